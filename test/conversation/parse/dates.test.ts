import { describe, expect, it } from 'vitest';
import { formatDate, parseDate, parseIsoDate } from '../../../src/conversation/parse/dates';
import { splitChoices } from '../../../src/conversation/parse/numbers';

// A Friday, as the test clock's.
const today = parseIsoDate('2026-11-27');
const read = (text: string, direction?: 'past' | 'future') => {
  const d = parseDate(text, today, direction);
  return d && formatDate(d);
};

describe('dates as typed in chat', () => {
  it('a record looks back: 1月1日 is the last one, 周五 the last Friday', () => {
    expect(read('1月1日')).toBe('2026-01-01');
    expect(read('12月1日')).toBe('2025-12-01');
    expect(read('周五')).toBe('2026-11-27');
    expect(read('周六')).toBe('2026-11-21');
    expect(read('上周五')).toBe('2026-11-20');
  });

  it('a plan looks ahead: 1月1日 is the next one, 周一 the coming Monday', () => {
    expect(read('1月1日', 'future')).toBe('2027-01-01');
    expect(read('11月27日', 'future')).toBe('2026-11-27');
    expect(read('11月20日', 'future')).toBe('2027-11-20');
    expect(read('周一', 'future')).toBe('2026-11-30');
    expect(read('周五', 'future')).toBe('2026-11-27');
  });

  it('words that say which way read the same either way', () => {
    for (const direction of ['past', 'future'] as const) {
      expect(read('明天', direction)).toBe('2026-11-28');
      expect(read('后天', direction)).toBe('2026-11-29');
      expect(read('下周一', direction)).toBe('2026-11-30');
      expect(read('下下周三', direction)).toBe('2026-12-09');
      expect(read('明年1月1日', direction)).toBe('2027-01-01');
      expect(read('今年3月5号', direction)).toBe('2026-03-05');
      expect(read('去年12月31日', direction)).toBe('2025-12-31');
      expect(read('下个月5日', direction)).toBe('2026-12-05');
      expect(read('上月30日', direction)).toBe('2026-10-30');
    }
  });

  it('dates that do not exist are not read', () => {
    expect(read('明年2月30日')).toBeUndefined();
    expect(read('这个月31日')).toBeUndefined();
    expect(read('局长办公室')).toBeUndefined();
  });
});

describe('several choices as typed', () => {
  it('splits on 和, 及, spaces and 顿号', () => {
    for (const typed of ['二和四', '2和4', '二 四', '2、4', '第二及第四项', '2,4']) expect(splitChoices(typed), typed).toHaveLength(2);
  });
});
