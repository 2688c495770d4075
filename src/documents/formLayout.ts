import { zoneDate } from '../clock';
import { loadDocx, loadPdfKit } from '../rareModules';
import type { ReturnRound, StageOpinion } from './formData';
import { glyphRuns, pdfFaces, resolveFallbackFont, resolvePdfFont } from './pdfFont';
import { documentValues } from './safeText';

/**
 * The paper forms of the 《容错细则》 (附件1 容错免责审批表, 附件2 改革创新风险备案表) as one
 * FormLayout: a title, a first row of two label/value pairs, then label | content rows. Each form
 * builds its layout from plain data; layoutDocx and layoutPdf draw any layout, so a form's Word
 * file and its PDF always say the same thing.
 */

// ---------------------------------------------------------------------------------------------
// Wording shared by the forms and the ledger.

/** User text without its closing punctuation, for sentences the form completes itself. */
export const bare = (text: string): string => text.trim().replace(/[。；;.，,、\s]+$/u, '');

/** 2026年11月27日: an ISO instant (taken in Asia/Shanghai) or a YYYY-MM-DD date. */
export function chineseDate(value: string | null | undefined): string {
  if (!value) return '';
  const ymd = /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : zoneDate(new Date(value));
  const [y, m, d] = ymd.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/** The last line under both forms. */
export const FORM_FOOTER = '此表一式两份，报告单位、纪工委各执一份。';

export const BLANK_DATE = '年\u3000\u3000月\u3000\u3000日';
export const BLANK_NAME = '\u3000\u3000\u3000\u3000\u3000\u3000';
/** Text longer than `max` characters, shortened with …… (the full text stays in the case record). */
export const brief = (text: string, max: number): string => (Array.from(text).length > max ? `${Array.from(text).slice(0, max).join('')}……` : text);

// ---------------------------------------------------------------------------------------------
// The layout: the rows of the paper form with their content, for either renderer.

export interface FormLine {
  text: string;
  bold?: boolean;
}

export interface FormRow {
  /** The label cell, one entry per line as on paper (所在单位 / 党组织意见). */
  label: string[];
  body: FormLine[];
  /** Signature and date, right-aligned at the foot of the cell. */
  sign: string[];
  /** Height the paper form gives the row when empty, in points. */
  minHeight: number;
}

/** A label cell and the value beside it, on the form's first row (申请人 | 杨帆). */
export interface FormPair {
  label: string;
  value: string;
}

export interface FormLayout {
  /** 附件1, 附件2: the line above the title. */
  annex: string;
  title: string;
  numberLine: string;
  /** The first row: two label/value pairs (申请人 | … | 申请时间 | …). */
  head: [FormPair, FormPair];
  rows: FormRow[];
  footer: string;
  /** Document properties: the title (with the case number) and the subject (《容错细则》附件1). */
  documentTitle: string;
  subject: string;
}

/** User text as form lines, one per line it was typed in, without blank lines at either end. */
export const lines = (text: string): FormLine[] => text.split(/\r?\n/).filter((l, i, all) => l.trim() !== '' || (i > 0 && i < all.length - 1)).map((t) => ({ text: t }));

/** 签名：陈建国 2026年11月27日, or the printed blanks of the paper form while nobody has signed. */
export function signature(o: StageOpinion | null, who: string): string {
  return o ? `${who}${o.signer}\u3000\u3000${chineseDate(o.decidedAt)}` : `${who}${BLANK_NAME}\u3000\u3000${BLANK_DATE}`;
}

/** 核实人：吴海燕 2026年11月27日（盖章） under a seal, or the printed 年 月 日（盖章） while blank. */
export function sealedSignature(o: StageOpinion | null, who: string): string {
  return o ? `${who}${o.signer}\u3000\u3000${chineseDate(o.decidedAt)}（盖章）` : `${BLANK_DATE}（盖章）`;
}

/** 备注: the 开发区党工委意见 row does not apply to a matter outside the 八个一体化. */
export function zoneRowNote(integrated: boolean): FormLine[] {
  return integrated ? [] : [{ text: '本事项不属于“八个一体化”事项，开发区党工委意见栏不适用。' }];
}

/** 备注: the date of the 报备 to 市纪委监委, or that a granted case still waits for it. */
export function reportedNote(reportedOn: string | null, status: string): FormLine[] {
  if (reportedOn) return [{ text: `已于${chineseDate(reportedOn)}报备市纪委监委。` }];
  return status === 'granted' ? [{ text: '报备市纪委监委：尚未报备。' }] : [];
}

/** A 退回补充 and its answer, for the 备注 row; `answerer` is 申请人 or 备案单位. */
export function returnNote(r: ReturnRound, answerer: string): FormLine {
  return {
    text:
      `退回补充：${chineseDate(r.at)}，${r.stageTitle}环节${r.by}要求：${bare(r.question)}` +
      (r.answer === null ? `；${answerer}尚未补充。` : `；${answerer}于${chineseDate(r.answeredAt)}补充：${bare(r.answer)}${r.attachments > 0 ? `（附件${r.attachments}份）` : ''}。`),
  };
}

// ---------------------------------------------------------------------------------------------
// Geometry shared by both renderers (points; A4 is 595.28 × 841.89).

const CM = 72 / 2.54;
const PAGE = { width: 595.28, height: 841.89, top: 2.5 * CM, bottom: 2.2 * CM, left: 2.6 * CM, right: 2.6 * CM };
const CONTENT_WIDTH = PAGE.width - PAGE.left - PAGE.right;
/** 申请人 | value | 申请时间 | value (the head); later rows merge the last three. */
const COLUMNS = [80, 160, 72, CONTENT_WIDTH - 80 - 160 - 72];
const SIZE = { annex: 12, title: 18, label: 12, body: 10.5, footer: 10.5 };

// ---------------------------------------------------------------------------------------------
// .docx

const SONG = { ascii: 'SimSun', hAnsi: 'SimSun', eastAsia: '宋体', cs: 'SimSun' };
const twip = (pt: number): number => Math.round(pt * 20);
const halfPt = (pt: number): number => Math.round(pt * 2);
const cellMargins = { top: twip(4), bottom: twip(4), left: twip(5), right: twip(5) };

type Docx = Awaited<ReturnType<typeof loadDocx>>;
type TextRun = InstanceType<Docx['TextRun']>;
type TableCell = InstanceType<Docx['TableCell']>;

function run({ TextRun }: Docx, text: string, size: number, bold = false): TextRun {
  return new TextRun({ text, size: halfPt(size), bold, font: SONG });
}

function labelCell(d: Docx, label: string[], width: number): TableCell {
  const { AlignmentType, Paragraph, TableCell, VerticalAlign, WidthType } = d;
  return new TableCell({
    width: { size: twip(width), type: WidthType.DXA },
    verticalAlign: VerticalAlign.CENTER,
    margins: cellMargins,
    children: label.map((l) => new Paragraph({ alignment: AlignmentType.CENTER, children: [run(d, l, SIZE.label)] })),
  });
}


function valueCell(d: Docx, value: string, width: number): TableCell {
  const { AlignmentType, Paragraph, TableCell, VerticalAlign, WidthType } = d;
  return new TableCell({
    width: { size: twip(width), type: WidthType.DXA },
    verticalAlign: VerticalAlign.CENTER,
    margins: cellMargins,
    children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [run(d, value, SIZE.label)] })],
  });
}

/** Renders a form as a Word document: A4, 宋体, the bordered table of the paper form. */
export async function layoutDocx(typed: FormLayout): Promise<Buffer> {
  const d = await loadDocx();
  const { AlignmentType, BorderStyle, Document, HeightRule, Packer, Paragraph, Table, TableCell, TableLayoutType, TableRow, VerticalAlign, WidthType } = d;
  const border = { style: BorderStyle.SINGLE, size: 6, color: '000000' };
  const layout = documentValues(typed);
  const bodySpacing = { line: 320, before: 0, after: 0 };
  const [first, second] = layout.head;
  const rows = [
    new TableRow({
      height: { value: twip(32), rule: HeightRule.ATLEAST },
      children: [
        labelCell(d, [first.label], COLUMNS[0]),
        valueCell(d, first.value, COLUMNS[1]),
        labelCell(d, [second.label], COLUMNS[2]),
        valueCell(d, second.value, COLUMNS[3]),
      ],
    }),
    ...layout.rows.map(
      (row) =>
        new TableRow({
          height: { value: twip(row.minHeight), rule: HeightRule.ATLEAST },
          children: [
            labelCell(d, row.label, COLUMNS[0]),
            new TableCell({
              width: { size: twip(COLUMNS[1] + COLUMNS[2] + COLUMNS[3]), type: WidthType.DXA },
              columnSpan: 3,
              verticalAlign: row.body.length === 0 && row.sign.length > 0 ? VerticalAlign.BOTTOM : VerticalAlign.TOP,
              margins: cellMargins,
              children: [
                ...(row.body.length > 0 ? row.body : row.sign.length > 0 ? [] : [{ text: '' }]).map(
                  (l) => new Paragraph({ spacing: bodySpacing, children: [run(d, l.text, SIZE.body, l.bold)] }),
                ),
                ...row.sign.map(
                  (s, i) =>
                    new Paragraph({
                      alignment: AlignmentType.RIGHT,
                      spacing: { ...bodySpacing, before: i === 0 && row.body.length > 0 ? 160 : 0 },
                      indent: { right: twip(SIZE.body * 2) },
                      children: [run(d, s, SIZE.body)],
                    }),
                ),
              ],
            }),
          ],
        }),
    ),
  ];

  const doc = new Document({
    title: layout.documentTitle,
    subject: layout.subject,
    creator: 'dandang',
    styles: {
      default: {
        document: { run: { font: SONG, size: halfPt(SIZE.body), language: { value: 'zh-CN', eastAsia: 'zh-CN' } } },
      },
    },
    sections: [
      {
        properties: {
          page: {
            size: { width: twip(PAGE.width), height: twip(PAGE.height) },
            margin: { top: twip(PAGE.top), bottom: twip(PAGE.bottom), left: twip(PAGE.left), right: twip(PAGE.right) },
          },
        },
        children: [
          new Paragraph({ children: [run(d, layout.annex, SIZE.annex)] }),
          new Paragraph({ alignment: AlignmentType.CENTER, spacing: { before: 120, after: 240 }, children: [run(d, layout.title, SIZE.title, true)] }),
          new Paragraph({ alignment: AlignmentType.RIGHT, spacing: { after: 60 }, children: [run(d, layout.numberLine, SIZE.body)] }),
          new Table({
            layout: TableLayoutType.FIXED,
            width: { size: twip(CONTENT_WIDTH), type: WidthType.DXA },
            columnWidths: COLUMNS.map(twip),
            borders: { top: border, bottom: border, left: border, right: border, insideHorizontal: border, insideVertical: border },
            rows,
          }),
          new Paragraph({ spacing: { before: 120 }, children: [run(d, layout.footer, SIZE.footer)] }),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

// ---------------------------------------------------------------------------------------------
// PDF

/** Characters that may not begin a line (避头): they hang at the end of the previous one. */
const NO_LINE_START = new Set(Array.from('，。、；：？！）】》」』”’…—,.;:?!)]%'));

interface Measure {
  width(text: string): number;
}

/** Breaks text into lines of at most `width`, anywhere between CJK characters but not inside Latin words or numbers. */
export function wrapText(text: string, width: number, m: Measure): string[] {
  const out: string[] = [];
  for (const paragraph of text.split('\n')) {
    const first = out.length;
    let line = '';
    let lineWidth = 0;
    for (const ch of Array.from(paragraph)) {
      const w = m.width(ch);
      // One closing mark hangs at the end of the line before (into the cell's padding, 挤进); a
      // second would run past the cell, so the character before them goes down with both (推出).
      if (line === '' && NO_LINE_START.has(ch) && out.length > first) {
        const previous = Array.from(out[out.length - 1]);
        if (m.width(previous.join('')) <= width) {
          out[out.length - 1] += ch;
          continue;
        }
        let cut = previous.length;
        while (cut > 0 && NO_LINE_START.has(previous[cut - 1])) cut--;
        if (cut > 1) {
          out[out.length - 1] = previous.slice(0, cut - 1).join('');
          line = previous.slice(cut - 1).join('') + ch;
          lineWidth = m.width(line);
          continue;
        }
        out[out.length - 1] += ch;
        continue;
      }
      if (lineWidth + w <= width || line === '') {
        line += ch;
        lineWidth += w;
        continue;
      }
      if (NO_LINE_START.has(ch)) {
        out.push(line + ch);
        line = '';
        lineWidth = 0;
        continue;
      }
      const word = /[A-Za-z0-9\-_./]+$/.exec(line)?.[0] ?? '';
      if (/[A-Za-z0-9\-_./]/.test(ch) && word && word.length < line.length) {
        out.push(line.slice(0, line.length - word.length));
        line = word + ch;
        lineWidth = m.width(line);
      } else {
        out.push(line);
        line = ch;
        lineWidth = w;
      }
    }
    // A paragraph whose last character hung on its last line leaves nothing more to put down.
    if (line !== '' || out.length === first) out.push(line);
  }
  return out;
}

const LINE_HEIGHT = 1.55;
const PAD = { x: 6, y: 6 };
/** A row is split at a page's foot only if at least this many of its lines stay above the break. */
const MIN_SPLIT_LINES = 3;

/**
 * Renders a form as PDF with a CJK system font (see resolvePdfFont), and a symbol font for what it
 * lacks (emoji; see glyphRuns); same layout as the .docx.
 */
export async function layoutPdf(typed: FormLayout, env: NodeJS.ProcessEnv = process.env): Promise<Buffer> {
  const layout = documentValues(typed);
  const font = await resolvePdfFont(env);
  const fallback = await resolveFallbackFont();
  const faces = await pdfFaces(font, fallback);
  const PDFDocument = await loadPdfKit();
  const doc = new PDFDocument({
    size: 'A4',
    margin: 0,
    info: { Title: layout.documentTitle, Subject: layout.subject, Creator: 'dandang', Producer: 'dandang' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  doc.registerFont('song', font.path, font.face);
  doc.registerFont('song-bold', font.bold?.path ?? font.path, font.bold ? font.bold.face : font.face);
  if (fallback) doc.registerFont('symbols', fallback.path);
  const use = (size: number, bold = false, face: 'main' | 'fallback' = 'main') => doc.font(face === 'fallback' ? 'symbols' : bold ? 'song-bold' : 'song').fontSize(size);
  const measure = (size: number, bold = false): Measure => ({
    width: (t) => glyphRuns(faces, t).reduce((w, run) => w + use(size, bold, run.face).widthOfString(run.text), 0),
  });

  /** Draws one line so that its em box is centred in a line box of `lineHeight` starting at `top`. */
  const draw = (text: string, x: number, top: number, size: number, bold = false) => {
    const lh = size * LINE_HEIGHT;
    const baseline = top + (lh - size) / 2 + size * 0.88;
    let at = x;
    for (const run of glyphRuns(faces, text)) {
      use(size, bold, run.face).text(run.text, at, baseline, { lineBreak: false, baseline: 'alphabetic' });
      at += use(size, bold, run.face).widthOfString(run.text);
    }
  };
  const textWidth = (text: string, size: number, bold = false) => measure(size, bold).width(text);

  const bottomLimit = PAGE.height - PAGE.bottom;
  let y = PAGE.top;
  draw(layout.annex, PAGE.left, y, SIZE.annex);
  y += SIZE.annex * LINE_HEIGHT + 4;
  draw(layout.title, PAGE.left + (CONTENT_WIDTH - textWidth(layout.title, SIZE.title, true)) / 2, y, SIZE.title, true);
  y += SIZE.title * LINE_HEIGHT + 8;
  draw(layout.numberLine, PAGE.left + CONTENT_WIDTH - textWidth(layout.numberLine, SIZE.body), y, SIZE.body);
  y += SIZE.body * LINE_HEIGHT + 2;

  doc.lineWidth(0.75).strokeColor('#000000');
  const box = (x: number, top: number, w: number, h: number) => doc.rect(x, top, w, h).stroke();
  const centred = (labelLines: string[], x: number, w: number, top: number, h: number, size: number) => {
    const wrapped = labelLines.flatMap((l) => wrapText(l, w - 2 * PAD.x, measure(size)));
    const lh = size * LINE_HEIGHT;
    let ly = top + (h - wrapped.length * lh) / 2;
    for (const l of wrapped) {
      draw(l, x + (w - textWidth(l, size)) / 2, ly, size);
      ly += lh;
    }
  };

  // The head: 申请人 | … | 申请时间 | …
  const firstHeight = 32;
  let x = PAGE.left;
  const firstCells = layout.head.flatMap((pair) => [[pair.label], [pair.value]]);
  for (const [i, cell] of firstCells.entries()) {
    box(x, y, COLUMNS[i], firstHeight);
    centred(cell, x, COLUMNS[i], y, firstHeight, SIZE.label);
    x += COLUMNS[i];
  }
  y += firstHeight;

  /** The label cell's lines need this much height, whatever the row holds. */
  const labelHeight = (label: string[]) => label.flatMap((l) => wrapText(l, COLUMNS[0] - 2 * PAD.x, measure(SIZE.label))).length * SIZE.label * LINE_HEIGHT + 2 * PAD.y;
  const bodyX = PAGE.left + COLUMNS[0];
  const bodyWidth = CONTENT_WIDTH - COLUMNS[0];
  const lh = SIZE.body * LINE_HEIGHT;
  const signGap = 8;
  for (const row of layout.rows) {
    const body = row.body.flatMap((l) => wrapText(l.text, bodyWidth - 2 * PAD.x, measure(SIZE.body, l.bold)).map((text) => ({ text, bold: l.bold ?? false })));
    const sign = row.sign.flatMap((s) => wrapText(s, bodyWidth - 2 * PAD.x - SIZE.body * 2, measure(SIZE.body)));
    const needed = Math.max(labelHeight(row.label), 2 * PAD.y + body.length * lh + (sign.length > 0 ? (body.length > 0 ? signGap : 0) + sign.length * lh : 0));
    const room = bottomLimit - y;
    // The writing space the paper form leaves gives way at a page's foot when the text itself fits.
    const height = needed <= room ? Math.min(Math.max(row.minHeight, needed), Math.max(room, needed)) : Math.max(row.minHeight, needed);
    // As on paper, a row that does not fit the rest of the page goes on over the next one; only a
    // row of which fewer than MIN_SPLIT_LINES would be left at the foot starts on a new page.
    const splitHere = Math.floor((room - 2 * PAD.y) / lh) >= MIN_SPLIT_LINES && room >= labelHeight(row.label) && body.length + sign.length > MIN_SPLIT_LINES;
    if (y + height > bottomLimit && !splitHere && height <= bottomLimit - PAGE.top) {
      doc.addPage({ size: 'A4', margin: 0 });
      y = PAGE.top;
    }
    if (y + height <= bottomLimit) {
      box(PAGE.left, y, COLUMNS[0], height);
      box(bodyX, y, bodyWidth, height);
      centred(row.label, PAGE.left, COLUMNS[0], y, height, SIZE.label);
      body.forEach((l, i) => draw(l.text, bodyX + PAD.x, y + PAD.y + i * lh, SIZE.body, l.bold));
      const signTop = y + height - PAD.y - sign.length * lh;
      sign.forEach((s, i) => draw(s, bodyX + bodyWidth - PAD.x - SIZE.body * 2 - textWidth(s, SIZE.body), signTop + i * lh, SIZE.body));
      y += height;
      continue;
    }
    // Flow the lines over as many pages as it takes, repeating the label.
    const flow = [...body.map((l) => ({ ...l, right: false })), ...sign.map((text) => ({ text, bold: false, right: true }))];
    let first = true;
    while (flow.length > 0) {
      let fits = Math.floor((bottomLimit - y - 2 * PAD.y) / lh);
      if (fits < MIN_SPLIT_LINES) {
        doc.addPage({ size: 'A4', margin: 0 });
        y = PAGE.top;
        fits = Math.floor((bottomLimit - y - 2 * PAD.y) / lh);
      }
      const part = flow.splice(0, fits);
      const label = first ? row.label : [...row.label, '（续）'];
      const h = flow.length > 0 ? bottomLimit - y : Math.max(labelHeight(label), 2 * PAD.y + part.length * lh);
      box(PAGE.left, y, COLUMNS[0], h);
      box(bodyX, y, bodyWidth, h);
      centred(label, PAGE.left, COLUMNS[0], y, h, SIZE.label);
      part.forEach((l, i) => {
        const lx = l.right ? bodyX + bodyWidth - PAD.x - SIZE.body * 2 - textWidth(l.text, SIZE.body) : bodyX + PAD.x;
        draw(l.text, lx, y + PAD.y + i * lh, SIZE.body, l.bold);
      });
      y += h;
      first = false;
    }
  }
  if (y + SIZE.footer * LINE_HEIGHT + 6 > bottomLimit) {
    doc.addPage({ size: 'A4', margin: 0 });
    y = PAGE.top;
  }
  draw(layout.footer, PAGE.left, y + 6, SIZE.footer);
  doc.end();
  return done;
}
