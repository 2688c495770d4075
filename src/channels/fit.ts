/**
 * Shortening for places a messenger shows only so much (a WeCom card's title and fields): the
 * text is cut after the last phrase that fits (at 、，。；： or a space) and marked with …, so a
 * card never reads "招商引资、项…". The whole text is always in the message before the card.
 */
const BREAK = /[、，。；：,;:！？!?）)\s]/u;

export function cutAtPhrase(text: string, maxChars: number): string {
  const chars = Array.from(text.trim());
  if (chars.length <= maxChars) return chars.join('');
  const room = chars.slice(0, maxChars - 1);
  // Keep at least half of what fits: a single early comma is no better than a cut.
  for (let i = room.length - 1; i >= Math.floor(room.length / 2); i--) {
    if (!BREAK.test(room[i])) continue;
    const kept = /[）)]/u.test(room[i]) ? room.slice(0, i + 1) : room.slice(0, i);
    return `${kept.join('').trimEnd()}…`;
  }
  return `${room.join('')}…`;
}
