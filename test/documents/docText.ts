import JSZip from 'jszip';
import { it } from 'vitest';
import { resolvePdfFont } from '../../src/documents/pdfFont';

/** Reading back what the exports wrote: the .docx is a zip of WordprocessingML, the PDF goes through pdf.js. */

const decode = (s: string): string =>
  s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

export async function docxPart(docx: Buffer, part: string): Promise<string> {
  const zip = await JSZip.loadAsync(docx);
  const file = zip.file(part);
  if (!file) throw new Error(`${part} is missing from the .docx`);
  return file.async('string');
}

/** The text of a piece of WordprocessingML, one line per paragraph. */
export function paragraphsText(xml: string): string {
  return xml
    .split(/<w:p[ >]/)
    .slice(1)
    .map((p) => [...p.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => decode(m[1])).join(''))
    .join('\n');
}

/** The form's table, one entry per row, each cell's text separated by “|”. */
export function tableRows(documentXml: string): string[] {
  return documentXml
    .split('</w:tr>')
    .slice(0, -1)
    .map((row) =>
      row
        .split('</w:tc>')
        .slice(0, -1)
        .map((cell) => paragraphsText(cell.slice(cell.lastIndexOf('<w:tc>'))).trim())
        .join('|'),
    );
}

/** All text of a PDF, page after page, as pdf.js extracts it (through the fonts' ToUnicode maps). */
export async function pdfText(pdf: Buffer): Promise<string> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await pdfjs.getDocument({ data: new Uint8Array(pdf), isEvalSupported: false, disableFontFace: true, verbosity: 0 }).promise;
  const pages: string[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const content = await (await doc.getPage(n)).getTextContent();
    pages.push(content.items.map((i) => ('str' in i ? i.str : '')).join('\n'));
  }
  await doc.destroy();
  return pages.join('\n');
}

/** Why no PDF can be made here, or undefined when a CJK font is installed. */
const fontProblem = resolvePdfFont().then(
  () => undefined,
  (error: Error) => error.message,
);

/**
 * `it` for a test that makes a PDF: skipped where no CJK font is installed, except on CI, which
 * installs one (.ci/run), so that there a missing font fails the test instead.
 */
export function withFont(name: string, test: () => Promise<void>, timeoutMs?: number): void {
  it(
    name,
    async (context) => {
      const problem = await fontProblem;
      if (problem && !process.env.CI) {
        console.log(`[documents] PDF test skipped, no CJK font on this machine:\n${problem}`);
        context.skip();
      }
      await test();
    },
    timeoutMs,
  );
}
