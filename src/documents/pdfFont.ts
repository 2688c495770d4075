import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type * as Fontkit from 'fontkit';
import { loadFontkit } from '../rareModules';

/**
 * The CJK font the PDF forms are set in: one on this machine, never downloaded at run time.
 * fontkit is loaded at the first PDF (see rareModules), hence the async lookups.
 */

type Fontkit = typeof Fontkit;

export interface PdfFont {
  path: string;
  /** PostScript name of the face inside a .ttc collection. */
  face?: string;
  bold?: { path: string; face?: string };
}

export const PDF_FONT_PACKAGE = 'fonts-noto-cjk';

export class PdfFontMissingError extends Error {
  constructor(detail?: string) {
    super(
      `${detail ? `${detail}\n` : ''}导出 PDF 需要中文字体：请安装 ${PDF_FONT_PACKAGE}（apt-get install -y ${PDF_FONT_PACKAGE}），` +
        '或用设置 PDF_FONT_PATH 指定一个含中文字形的 .ttf/.otf/.ttc 字体文件。\n' +
        `PDF export needs a CJK font: install the Debian package ${PDF_FONT_PACKAGE} (apt-get install -y ${PDF_FONT_PACKAGE}) ` +
        'or set PDF_FONT_PATH to a .ttf/.otf/.ttc font file with Chinese glyphs.',
    );
    this.name = 'PdfFontMissingError';
  }
}

/** Song/Ming faces first, as the paper form is set in 宋体; then common Hei faces. */
const FONT_CANDIDATES = [
  '/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc',
  '/usr/share/fonts/noto-cjk/NotoSerifCJK-Regular.ttc',
  '/usr/share/fonts/google-noto-cjk/NotoSerifCJK-Regular.ttc',
  '/usr/share/fonts/truetype/arphic/uming.ttc',
  '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc',
  '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc',
  '/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf',
  '/System/Library/Fonts/Supplemental/Songti.ttc',
  '/Library/Fonts/Arial Unicode.ttf',
  'C:\\Windows\\Fonts\\simsun.ttc',
];

/** Characters every face must have: the form's own words. */
const PROBE = '临港开发区容错免责审批表纪（工）委意见盖章年月日';

const isCollection = (f: Fontkit.Font | Fontkit.FontCollection): f is Fontkit.FontCollection => 'fonts' in f;

/** Opens a font file and picks the simplified-Chinese face of a collection; undefined if it has no CJK glyphs. */
function openFace(fontkit: Fontkit, path: string, face?: string): { font: Fontkit.Font; face?: string } | undefined {
  let opened: Fontkit.Font | Fontkit.FontCollection;
  try {
    opened = fontkit.openSync(path);
  } catch {
    return undefined;
  }
  const faces = isCollection(opened) ? opened.fonts : [opened];
  const covers = (f: Fontkit.Font) => Array.from(PROBE).every((ch) => f.hasGlyphForCodePoint(ch.codePointAt(0)!));
  const wanted = face
    ? faces.filter((f) => f.postscriptName === face)
    : [...faces.filter((f) => /(sc|SC|CN|GB|Hans)(-|$)/.test(f.postscriptName)), ...faces];
  const font = wanted.find(covers);
  return font && { font, face: isCollection(opened) ? font.postscriptName : undefined };
}

function fcMatch(): { path: string; face?: string } | undefined {
  try {
    const out = execFileSync('fc-match', ['-f', '%{file}|%{postscriptname}', ':lang=zh-cn'], { encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'] });
    const [path, face] = out.trim().split('|');
    return path ? { path, face: face || undefined } : undefined;
  } catch {
    return undefined;
  }
}

function describe(fontkit: Fontkit, path: string, face: string | undefined): PdfFont {
  const boldPath = path.replace(/Regular/, 'Bold');
  const boldFace = face?.replace(/Regular/, 'Bold');
  const bold = boldPath !== path && existsSync(boldPath) ? openFace(fontkit, boldPath, boldFace) : undefined;
  return { path, face, bold: bold && { path: boldPath, face: bold.face } };
}

const resolved = new Map<string, PdfFont>();

/**
 * Faces with symbols and emoji that a CJK face lacks, from Debian's packages: fonts-symbola (emoji
 * and symbols in outline, which a PDF can embed; the colour emoji fonts are bitmaps it cannot) and
 * fonts-dejavu-core. Looked for on this machine only, never downloaded.
 */
const FALLBACK_CANDIDATES = [
  '/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf',
  '/usr/share/fonts/truetype/symbola/Symbola.ttf',
  '/usr/share/fonts/TTF/Symbola.ttf',
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/TTF/DejaVuSans.ttf',
];

/** What no face draws becomes this (in the CJK face, which has it); invisible marks are left out. */
export const REPLACEMENT = '□';

const opened = new Map<string, Fontkit.Font | undefined>();

function face(fontkit: Fontkit, path: string, name?: string): Fontkit.Font | undefined {
  const key = `${path}#${name ?? ''}`;
  if (!opened.has(key)) {
    let font: Fontkit.Font | undefined;
    try {
      const file = fontkit.openSync(path);
      font = isCollection(file) ? (file.fonts.find((f) => f.postscriptName === name) ?? file.fonts[0]) : file;
    } catch {
      font = undefined;
    }
    opened.set(key, font);
  }
  return opened.get(key);
}

/** The first fallback face found on this machine. */
export async function resolveFallbackFont(): Promise<{ path: string } | undefined> {
  const fontkit = await loadFontkit();
  const path = FALLBACK_CANDIDATES.find((p) => existsSync(p) && face(fontkit, p) !== undefined);
  return path ? { path } : undefined;
}

/** The opened faces glyphRuns looks characters up in. */
export interface PdfFaces {
  mainFace: Fontkit.Font | undefined;
  fallbackFace: Fontkit.Font | undefined;
}

export async function pdfFaces(main: PdfFont, fallback: { path: string } | undefined): Promise<PdfFaces> {
  const fontkit = await loadFontkit();
  return { mainFace: face(fontkit, main.path, main.face), fallbackFace: fallback && face(fontkit, fallback.path) };
}

export interface GlyphRun {
  /** 'main': the CJK face; 'fallback': the symbol face. */
  face: 'main' | 'fallback';
  text: string;
}

/**
 * Splits text into runs each drawn in a face that has its glyphs: the CJK face first, then the
 * fallback face; a character neither has is drawn as □ (so the reader sees something was there),
 * and an invisible one (a variation selector, a zero-width joiner) is left out. Any text a person
 * can type therefore makes a PDF.
 */
export function glyphRuns({ mainFace, fallbackFace }: PdfFaces, text: string): GlyphRun[] {
  const runs: GlyphRun[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    let which: GlyphRun['face'];
    let drawn = ch;
    if (ch === '\n' || mainFace?.hasGlyphForCodePoint(code) || ch.trim() === '') which = 'main';
    else if (fallbackFace?.hasGlyphForCodePoint(code)) which = 'fallback';
    else if (/[\p{Cf}\p{Mn}\p{Me}]/u.test(ch)) continue;
    else {
      which = 'main';
      drawn = REPLACEMENT;
    }
    const last = runs.at(-1);
    if (last?.face === which) last.text += drawn;
    else runs.push({ face: which, text: drawn });
  }
  return runs;
}

/**
 * The font the PDF is set in: PDF_FONT_PATH when set (a .ttc may name its face as path#PostScriptName),
 * else the first CJK font found among the usual system paths or by fontconfig. Throws
 * PdfFontMissingError, naming the setting and the apt package, when there is none.
 */
export async function resolvePdfFont(env: NodeJS.ProcessEnv = process.env): Promise<PdfFont> {
  const fontkit = await loadFontkit();
  const setting = env.PDF_FONT_PATH?.trim() ?? '';
  const cached = resolved.get(setting);
  if (cached) return cached;
  let font: PdfFont | undefined;
  if (setting) {
    const [path, face] = setting.split('#');
    if (!existsSync(path)) throw new PdfFontMissingError(`PDF_FONT_PATH=${setting}：文件不存在 (file not found)。`);
    const opened = openFace(fontkit, path, face || undefined);
    if (!opened) throw new PdfFontMissingError(`PDF_FONT_PATH=${setting}：不是含中文字形的字体 (not a font with Chinese glyphs)。`);
    font = describe(fontkit, path, opened.face);
  } else {
    for (const path of FONT_CANDIDATES) {
      const opened = existsSync(path) ? openFace(fontkit, path) : undefined;
      if (opened) {
        font = describe(fontkit, path, opened.face);
        break;
      }
    }
    if (!font) {
      const match = fcMatch();
      const opened = match && existsSync(match.path) ? (openFace(fontkit, match.path, match.face) ?? openFace(fontkit, match.path)) : undefined;
      if (match && opened) font = describe(fontkit, match.path, opened.face);
    }
    if (!font) throw new PdfFontMissingError('未找到中文字体 (no CJK font found)。');
  }
  resolved.set(setting, font);
  return font;
}
