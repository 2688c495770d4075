import type { Context } from 'koa';
import { contentSecurityPolicy, newNonce } from './securityHeaders';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c]);

const STYLE = `
  body { font-family: system-ui, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif; margin: 0; background: #f5f5f5; color: #1f1f1f; }
  main { max-width: 26rem; margin: 10vh auto; background: #fff; padding: 2rem; border-radius: 8px; box-shadow: 0 1px 4px rgba(0,0,0,.08); }
  h1 { font-size: 1.4rem; margin: 0 0 1rem; }
  p { line-height: 1.6; }
  a.button, button { display: block; width: 100%; box-sizing: border-box; margin: .75rem 0; padding: .75rem; font-size: 1rem; text-align: center;
    border-radius: 6px; border: 1px solid #0958d9; background: #0958d9; color: #fff; text-decoration: none; cursor: pointer; }
  a.button.secondary, button.secondary { background: #fff; color: #003eb3; }
  label { display: block; margin: 1rem 0 .25rem; }
  select { width: 100%; padding: .5rem; font-size: 1rem; }
  .note { color: #595959; font-size: .9rem; }
`;

export interface PageOptions {
  title: string;
  /** Trusted HTML: built by the caller with escapeHtml around every value. */
  body: string;
  status?: number;
  /** Scripts of this origin (paths) and of others (full URLs) the page loads, in order. */
  scripts?: string[];
  /** Other origins the page's forms end up at (CSP form-action governs the redirect after a post too). */
  forms?: string[];
}

/** A small server-rendered page (sign-in, refusals) with its own nonce and CSP. */
export function renderPage(ctx: Context, options: PageOptions): void {
  const nonce = newNonce();
  const foreign = (options.scripts ?? []).filter((s) => /^https?:/.test(s)).map((s) => new URL(s).origin);
  ctx.status = options.status ?? 200;
  ctx.type = 'html';
  ctx.set('content-security-policy', contentSecurityPolicy(nonce, { scripts: foreign, forms: options.forms }));
  ctx.body = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title)} - 担当</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
<main>
<h1>${escapeHtml(options.title)}</h1>
${options.body}
</main>
${(options.scripts ?? []).map((s) => `<script src="${escapeHtml(s)}"></script>`).join('\n')}
</body>
</html>`;
}
