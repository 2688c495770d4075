import { datesBetween, LONGEST_HOLIDAY, type SourcedDay } from './arrangement';

/**
 * The State Council's notice as 党群工作部 pastes it into the chat, one holiday a line:
 *
 *   二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。
 *
 * or typed shortly (春节 2月15日至23日放假；2月14日、2月28日上班). Parenthesised remarks are
 * dropped, a date without a month takes the one before it, a date without a year is in the
 * notice's year; lines without any date (the notice's heading and closing words) are skipped.
 */
export interface ParsedNotice {
  days: SourcedDay[];
  problems: { row: string; reason: string }[];
}

const DATE = /(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})|(?:(\d{4})\s*年\s*)?(?:(\d{1,2})\s*月\s*)?(\d{1,2})\s*[日号]/g;
const RANGE = /[至到~～\-—－–]/;
const NUMBERING = /^\s*(?:[一二三四五六七八九十]+|\d+)\s*[、.．)）]\s*/;

interface Token {
  date?: string;
  problem?: string;
  /** Where the date stands in its clause. */
  start: number;
  end: number;
}

const pad = (n: number) => String(n).padStart(2, '0');

function validDate(year: number, month: number, day: number): string | undefined {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCMonth() === month - 1 && d.getUTCDate() === day ? `${year}-${pad(month)}-${pad(day)}` : undefined;
}

/** The dates of a clause in order; a month or year left out is the previous date's. */
function tokens(clause: string, year: number, previous: { year: number; month?: number }): Token[] {
  const found: Token[] = [];
  for (const m of clause.matchAll(DATE)) {
    const start = m.index;
    const end = start + m[0].length;
    const y = Number(m[1] ?? m[4] ?? (m[5] ? year : previous.year));
    const month = Number(m[2] ?? m[5] ?? previous.month);
    const day = Number(m[3] ?? m[6]);
    if (!month) {
      found.push({ start, end, problem: `“${m[0]}”缺少月份` });
      continue;
    }
    const date = validDate(y, month, day);
    found.push(date ? { start, end, date } : { start, end, problem: `“${m[0].trim()}”不是有效日期` });
    Object.assign(previous, { year: y, month });
  }
  return found;
}

export function parseNotice(text: string, year: number): ParsedNotice {
  const days: SourcedDay[] = [];
  const problems: ParsedNotice['problems'] = [];
  // Remarks go first (农历腊月二十八、周日 looks like a numbering); a notice pasted as one paragraph
  // still has its 二、三、… after each sentence to split on.
  const lines = text.replace(/[（(][^）)]*[）)]/g, '').split(/\r?\n|(?<=[。；\s])(?=[二三四五六七八九十]、)/);
  lines.forEach((raw, index) => {
    const row = `第${index + 1}行`;
    const problem = (reason: string) => problems.push({ row, reason });
    const line = raw.replace(NUMBERING, '').trim();
    // Neither the heading and closing words nor the date the notice was signed on.
    if (!/\d\s*[日号]|\d{4}[-/.]\d/.test(line) || /^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$/.test(line)) return;
    const named = /^([\p{Script=Han}、]{1,20}?)\s*[：:]?\s*(?=\d)(.*)$/u.exec(line);
    if (!named) return void problem('应以节日名称开头，例如：春节：2月15日至23日放假调休，共9天。2月14日、2月28日上班。');
    const name = named[1].replace(/[：:、]+$/, '');
    const previous: { year: number; month?: number } = { year };
    for (const [at, clause] of named[2].split(/[。；;]/).entries()) {
      // After the first sentence only what says 放假 or 上班 is the arrangement (not a signing date).
      if (at > 0 && !/放假|休|上班/.test(clause)) continue;
      const found = tokens(clause, year, previous);
      const bad = found.find((t) => t.problem);
      if (bad) return void problem(bad.problem!);
      if (found.length === 0) continue;
      if (clause.includes('上班')) {
        for (const t of found) days.push({ date: t.date!, kind: 'workday', name, row });
        continue;
      }
      const [first, second] = found;
      const ranged = second && RANGE.test(clause.slice(first.end, second.start));
      if (found.length > (ranged ? 2 : 1)) return void problem(`“${clause.trim()}”中的日期应写成“起始日至结束日”`);
      const dates = ranged ? datesBetween(first.date!, second.date!) : [first.date!];
      if (ranged && second.date! < first.date!) return void problem(`${second.date} 早于 ${first.date}`);
      if (dates.length > LONGEST_HOLIDAY) return void problem(`${name}放假 ${dates.length} 天，超过 ${LONGEST_HOLIDAY} 天，请核对日期`);
      const declared = /共\s*(\d+)\s*天/.exec(clause);
      if (declared && Number(declared[1]) !== dates.length) {
        return void problem(`写明“共${declared[1]}天”，但 ${first.date}${ranged ? ` 至 ${second.date}` : ''} 是 ${dates.length} 天`);
      }
      for (const date of dates) days.push({ date, kind: 'holiday', name, row });
    }
  });
  if (days.length === 0 && problems.length === 0) problems.push({ row: '全文', reason: '没有找到任何日期，请按通知原文逐条粘贴，例如：元旦：1月1日至3日放假，共3天。' });
  return { days, problems };
}
