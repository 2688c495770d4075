const NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

/** （一）…（十）, as the articles number their items; index 0 is （一）. */
export const item = (index: number): string => `（${NUMERALS[index]}）`;
