import { describe, expect, it } from 'vitest';
import { splitText } from '../../src/bot/splitText';

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

describe('a text too long for the messenger', () => {
  it('stays whole when it fits', () => {
    expect(splitText('本年度应谈 12 人', 2048)).toEqual(['本年度应谈 12 人']);
  });

  it('is cut at line breaks into pieces that fit, losing nothing', () => {
    const lines = Array.from({ length: 200 }, (_, i) => `${i + 1}. 经济发展局 刘洋：应谈 3 人，已谈 2 人，还差 杨帆`);
    const text = lines.join('\n');
    const pieces = splitText(text, 2048);
    expect(pieces.length).toBeGreaterThan(1);
    for (const piece of pieces) expect(bytes(piece)).toBeLessThanOrEqual(2048);
    expect(pieces.join('\n')).toBe(text);
  });

  it('cuts a single overlong line between characters, never inside one', () => {
    const line = '谈'.repeat(1000);
    const pieces = splitText(line, 2048);
    expect(pieces.map(bytes)).toEqual([2046, 954]);
    expect(pieces.join('')).toBe(line);
  });
});
