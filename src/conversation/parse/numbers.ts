const DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** 1–99 written as digits, full-width digits or Chinese numerals (三, 十二, （十）); else undefined. */
export function parseSmallNumber(raw: string): number | undefined {
  const s = raw
    .trim()
    .replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
    .replace(/^[（(]|[)）]$/g, '')
    .replace(/^第|[项条个号]$/g, '');
  if (/^\d{1,2}$/.test(s)) return Number(s);
  if (!/^[零〇一二两三四五六七八九十]{1,3}$/.test(s)) return undefined;
  if (!s.includes('十')) return s.length === 1 ? DIGITS[s] : undefined;
  const [tens, ones] = s.split('十');
  const t = tens === '' ? 1 : DIGITS[tens];
  const o = ones === '' ? 0 : DIGITS[ones];
  return t === undefined || o === undefined ? undefined : t * 10 + o;
}

/** Splits "1,3", "1、3", "一、三", "1 3", "思想，工作" into their parts. */
export function splitList(raw: string): string[] {
  return raw
    .split(/[,，、;；\s]+/)
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}

/**
 * Splits several picks as people type them: "二和四", "2和4", "二 四", "2、4", "第二及第四项".
 * Only for choices: a name may hold 和 (王和平), so lists of names keep to splitList.
 */
export function splitChoices(raw: string): string[] {
  return splitList(raw.replace(/以及|还有|和|及|与|跟/g, '、'));
}
