import { describe, expect, it } from 'vitest';
import { arrangementProblems, describeArrangement, packageArrangement } from '../../src/calendar/arrangement';
import { parseNotice } from '../../src/calendar/noticeText';

/** 国务院办公厅关于2026年部分节假日安排的通知, as published, heading and signature included. */
const NOTICE_2026 = `国务院办公厅关于2026年部分节假日安排的通知
经国务院批准，现将2026年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。
一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。
三、清明节：4月4日（周六）至6日（周一）放假，共3天。
四、劳动节：5月1日（周五）至5日（周二）放假调休，共5天。5月9日（周六）上班。
五、端午节：6月19日（周五）至21日（周日）放假，共3天。
六、中秋节：9月25日（周五）至27日（周日）放假，共3天。
七、国庆节：10月1日（周四）至7日（周三）放假调休，共7天。9月20日（周日）、10月10日（周六）上班。
节假日期间，各地区、各部门要妥善安排好值班和安全、保卫等工作，遇有重大突发事件，要按规定及时报告并妥善处置，确保人民群众祥和平安度过节日假期。
国务院办公厅
2025年11月4日`;

const datesAndKinds = (days: { date: string; kind: string }[]) => days.map((d) => `${d.date} ${d.kind}`).sort();

describe('reading the State Council’s notice as pasted in chat', () => {
  it('reads 2026’s notice into exactly the days the chinese-days package has for 2026', () => {
    const { days, problems } = parseNotice(NOTICE_2026, 2026);
    expect(problems).toEqual([]);
    expect(datesAndKinds(days)).toEqual(datesAndKinds(packageArrangement(2026)));
    expect(days.filter((d) => d.kind === 'workday').map((d) => `${d.date} ${d.name}`)).toEqual([
      '2026-01-04 元旦', '2026-02-14 春节', '2026-02-28 春节', '2026-05-09 劳动节', '2026-09-20 国庆节', '2026-10-10 国庆节',
    ]);
    expect(arrangementProblems(2026, days)).toEqual([]);
  });

  it('reads the same notice pasted as one paragraph, and the short form people type', () => {
    expect(datesAndKinds(parseNotice(NOTICE_2026.replace(/\n/g, ''), 2026).days)).toEqual(datesAndKinds(packageArrangement(2026)));
    const short = parseNotice('元旦 1月1日至3日\n春节：2月15日-2月23日放假；2月14日、2月28日上班\n国庆节 2026-10-01 至 2026-10-07', 2026);
    expect(short.problems).toEqual([]);
    expect(short.days.map((d) => d.date)).toEqual([
      '2026-01-01', '2026-01-02', '2026-01-03',
      ...['15', '16', '17', '18', '19', '20', '21', '22', '23'].map((d) => `2026-02-${d}`), '2026-02-14', '2026-02-28',
      '2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07',
    ]);
  });

  it('takes a date in the December before, written with its year, as part of 元旦 (as in 2012)', () => {
    const { days, problems } = parseNotice('一、元旦：2012年1月1日至3日放假调休，共3天。2011年12月31日（星期六）上班。', 2012);
    expect(problems).toEqual([]);
    expect(days.map((d) => `${d.date} ${d.kind}`)).toEqual(['2012-01-01 holiday', '2012-01-02 holiday', '2012-01-03 holiday', '2011-12-31 workday']);
    expect(arrangementProblems(2012, days)).toEqual([]);
    expect(describeArrangement(2012, days)).toEqual(['元旦：1月1日（周日）至1月3日（周二）放假，共3天。2011年12月31日（周六）上班。']);
  });

  it('says what is wrong on each line: a count that does not match, an impossible date, a date without a month, no holiday name', () => {
    const { problems } = parseNotice(
      ['一、元旦：1月1日至3日放假，共4天。', '二、春节：2月30日至3月2日放假。', '三、清明节：5日至6日放假。', '2月14日上班。', '五、端午节：6月1日至6月30日放假。'].join('\n'),
      2026,
    );
    expect(problems).toEqual([
      { row: '第1行', reason: '写明“共4天”，但 2026-01-01 至 2026-01-03 是 3 天' },
      { row: '第2行', reason: '“2月30日”不是有效日期' },
      { row: '第3行', reason: '“5日”缺少月份' },
      { row: '第4行', reason: '应以节日名称开头，例如：春节：2月15日至23日放假调休，共9天。2月14日、2月28日上班。' },
      { row: '第5行', reason: '端午节放假 30 天，超过 15 天，请核对日期' },
    ]);
    expect(parseNotice('好的，通知如下', 2026).problems).toEqual([{ row: '全文', reason: expect.stringContaining('没有找到任何日期') }]);
  });

  it('checks the days against each other and the year: a weekday made up, a date twice, a date of another year, no day off', () => {
    const { days } = parseNotice('春节：2月15日至23日放假。2月16日上班。2月18日（周三）上班。\n国庆节：2025年10月1日放假。', 2026);
    expect(arrangementProblems(2026, days)).toEqual([
      { row: '第1行', reason: '2月16日（周一）本来就是工作日，调休上班只能是周六或周日' },
      { row: '第1行', reason: '2026-02-16 重复（第1行已有：春节放假）' },
      { row: '第1行', reason: '2月18日（周三）本来就是工作日，调休上班只能是周六或周日' },
      { row: '第1行', reason: '2026-02-18 重复（第1行已有：春节放假）' },
      { row: '第2行', reason: '2025-10-01 不属于 2026 年的安排（只有元旦的放假或调休可以在上一年 12 月）' },
    ]);
    expect(arrangementProblems(2026, parseNotice('春节：2月14日上班。', 2026).days)).toEqual([{ row: '2026 年', reason: '没有任何放假日' }]);
  });
});
