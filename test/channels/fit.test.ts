import { describe, expect, it } from 'vitest';
import { cutAtPhrase } from '../../src/channels/fit';

describe('a value too long for a card is cut after a phrase, never inside one', () => {
  it('keeps what fits whole', () => {
    expect(cutAtPhrase('滨江项目征地补偿', 26)).toBe('滨江项目征地补偿');
  });

  it('cuts after the last phrase that fits, not mid-word', () => {
    expect(cutAtPhrase('在征地拆迁、招商引资、项目建设中出现偏差', 12)).toBe('在征地拆迁、招商引资…');
  });

  it('keeps a closing bracket with what it closes', () => {
    expect(cutAtPhrase('予以容错免责，作《容错细则》第七条（一）（三）处理，另有说明', 25)).toBe('予以容错免责，作《容错细则》第七条（一）（三）…');
  });

  it('cuts between characters only when no phrase break is in reach', () => {
    expect(cutAtPhrase('一二三四五六七八九十', 6)).toBe('一二三四五…');
  });
});
