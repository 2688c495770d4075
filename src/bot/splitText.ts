const encoder = new TextEncoder();
const bytes = (s: string) => encoder.encode(s).length;

/**
 * Cuts a long text into pieces of at most `maxBytes` (UTF-8), at line breaks where it can and
 * between characters where a single line is too long, so that nothing a messenger would
 * truncate is lost.
 */
export function splitText(text: string, maxBytes: number): string[] {
  if (bytes(text) <= maxBytes) return [text];
  const pieces: string[] = [];
  let current = '';
  const flush = () => {
    if (current) pieces.push(current);
    current = '';
  };
  for (const line of text.split('\n')) {
    const candidate = current ? `${current}\n${line}` : line;
    if (bytes(candidate) <= maxBytes) {
      current = candidate;
      continue;
    }
    flush();
    for (const char of line) {
      if (bytes(current + char) > maxBytes) flush();
      current += char;
    }
  }
  flush();
  return pieces;
}
