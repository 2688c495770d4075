/**
 * The words of the annual 考核 and how they compare. 公务员 (性质 行政, or 参公) are rated 优秀 /
 * 称职 / 基本称职 / 不称职; everyone else (事业, 企业性质, 年薪制, 村社区) 优秀 / 合格 / 基本合格 / 不合格.
 * The rules treat both scales alike, level by level (能上能下办法 第八条（四）（八）).
 */
export const GRADE_SCALES = {
  称职: ['优秀', '称职', '基本称职', '不称职'],
  合格: ['优秀', '合格', '基本合格', '不合格'],
} as const;
export type GradeScale = keyof typeof GRADE_SCALES;
export type Grade = (typeof GRADE_SCALES)[GradeScale][number];
/** 1 优秀, 2 称职/合格, 3 基本称职/基本合格, 4 不称职/不合格. */
export type Level = 1 | 2 | 3 | 4;

export const ALL_GRADES: readonly Grade[] = [...new Set<Grade>([...GRADE_SCALES.称职, ...GRADE_SCALES.合格])];

export function scaleOf(nature: string): GradeScale {
  return /行政|参公/.test(nature) ? '称职' : '合格';
}

export function levelOf(grade: Grade): Level {
  const scale = (GRADE_SCALES.称职 as readonly string[]).includes(grade) ? GRADE_SCALES.称职 : GRADE_SCALES.合格;
  return ((scale as readonly string[]).indexOf(grade) + 1) as Level;
}

export const isGrade = (text: string): text is Grade => (ALL_GRADES as readonly string[]).includes(text);

/** 江阴市年度综合考核 of units: 第一等次 … 第四等次 (能上能下办法 第八条（一）). */
export const CITY_GRADES = ['第一等次', '第二等次', '第三等次', '第四等次'] as const;
export type CityGrade = (typeof CITY_GRADES)[number];

/** The four categories of 一体化绩效考核 that 激励办法 第八条（一） ranks and shares out. */
export const CATEGORIES = ['镇街园', '特色园区', '综合保障部门', '经济服务部门'] as const;
export type Category = (typeof CATEGORIES)[number];

/** 国资公司 聘任期满考核 (能上能下办法 第八条（七）). */
export const SOE_RESULTS = ['合格', '不合格'] as const;
export type SoeResult = (typeof SOE_RESULTS)[number];

/**
 * A vote share, exactly: votes out of voters ("12/35") or a percentage as written ("34%",
 * "33.3%"), kept as a fraction so that one third is one third and 33.3% is less than it.
 */
export interface Share {
  num: number;
  den: number;
  text: string;
}

const FRACTION = /^(\d{1,6})\s*[/／]\s*(\d{1,6})$/;
const PERCENT = /^(\d{1,3})(?:\.(\d{1,4}))?\s*[%％]$/;

/** The share a cell says, or a reason it says none; empty is null. */
export function parseShare(text: string): Share | null | string {
  const value = text.trim();
  if (value === '') return null;
  const fraction = FRACTION.exec(value);
  if (fraction) {
    const [num, den] = [Number(fraction[1]), Number(fraction[2])];
    if (den === 0) return '总票数不能为 0';
    if (num > den) return `票数 ${num} 多于总票数 ${den}`;
    return { num, den, text: `${num}/${den}` };
  }
  const percent = PERCENT.exec(value);
  if (percent) {
    const decimals = percent[2] ?? '';
    const num = Number(percent[1] + decimals);
    const den = 100 * 10 ** decimals.length;
    if (num > den) return '得票率不能超过 100%';
    return { num, den, text: `${percent[1]}${decimals ? `.${decimals}` : ''}%` };
  }
  // An Excel cell formatted as a percentage holds the proportion itself: 34% is 0.34.
  const proportion = /^0\.(\d{1,6})$/.exec(value);
  if (proportion) {
    const digits = proportion[1];
    const whole = digits.slice(0, 2).padEnd(2, '0');
    const decimals = digits.slice(2);
    return parseShare(`${Number(whole)}${decimals ? `.${decimals}` : ''}%`);
  }
  return '应写成“票数/总票数”（如 12/35）或百分比（如 34%）';
}

/** 第八条（三）: “超过三分之一”. */
export const overOneThird = (s: Share): boolean => 3 * s.num > s.den;
/** 第八条（五）（六）: “达三分之一”. */
export const reachesOneThird = (s: Share): boolean => 3 * s.num >= s.den;

/** How a share reads in a message: 12/35 票（34.3%）, or 34%. */
export function shareText(s: Share): string {
  if (s.text.endsWith('%')) return s.text;
  return `${s.num}/${s.den} 票（${((100 * s.num) / s.den).toFixed(1)}%）`;
}
