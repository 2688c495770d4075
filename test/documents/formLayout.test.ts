import { describe, expect, it } from 'vitest';
import { wrapText } from '../../src/documents/formLayout';

/** Every character one unit wide: a line of width 10 holds ten. */
const mono = { width: (text: string) => Array.from(text).length };

describe('breaking a form’s text into lines', () => {
  it('never starts a line with a closing mark: one hangs at the end of the line, two take the character before them down', () => {
    expect(wrapText('一二三四五六七八九十。后文', 10, mono)).toEqual(['一二三四五六七八九十。', '后文']);
    const lines = wrapText('一二三四五六七八九十）。后文', 10, mono);
    expect(lines).toEqual(['一二三四五六七八九', '十）。后文']);
    for (const l of lines) expect(mono.width(l)).toBeLessThanOrEqual(10);
  });

  it('takes a closing mark that fits on the line it ends, and leaves no empty line after it', () => {
    expect(wrapText('（一）在党风廉政建设；', 11, mono)).toEqual(['（一）在党风廉政建设；']);
    expect(wrapText('（一）在党风廉政建设责；', 11, mono)).toEqual(['（一）在党风廉政建设责；']);
    expect(wrapText('甲乙\n\n丙', 10, mono)).toEqual(['甲乙', '', '丙']);
  });

  it('keeps Latin words and numbers whole', () => {
    expect(wrapText('编号RC2026-0001已提交', 12, mono)).toEqual(['编号', 'RC2026-0001已', '提交']);
  });
});
