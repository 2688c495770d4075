import { randomBytes } from 'node:crypto';
import type { Middleware } from 'koa';

export interface CspOptions {
  /** Extra script origins for one page: the DingTalk JSAPI on the 免登 page. */
  scripts?: string[];
  /**
   * Style elements without a nonce: Ant Design's components add some of their own at run time
   * (the dialog's scroll lock among them) that take no nonce, so the console allows inline styles.
   */
  inlineStyles?: boolean;
  /** Extra origins a form may post (or be redirected) to: the dev sign-in hands over to the public site. */
  forms?: string[];
}

/**
 * The Content-Security-Policy of every page: scripts from this origin only (and, on the 免登
 * page, DingTalk's JSAPI); styles from this origin and the page's nonce, or inline for the
 * console; no frames, no plugins, forms post only here. Style attributes stay allowed: charts and
 * tables set widths through them.
 */
export function contentSecurityPolicy(nonce: string, options: CspOptions = {}): string {
  return [
    "default-src 'self'",
    `script-src 'self'${(options.scripts ?? []).map((s) => ` ${s}`).join('')}`,
    options.inlineStyles ? "style-src 'self' 'unsafe-inline'" : `style-src 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    `form-action 'self'${(options.forms ?? []).map((s) => ` ${s}`).join('')}`,
  ].join('; ');
}

export const newNonce = (): string => randomBytes(16).toString('base64');

/** Headers every web page and API answer carries; pages add their CSP themselves (it needs their nonce). */
export function securityHeaders(): Middleware {
  return async (ctx, next) => {
    await next();
    ctx.set('x-content-type-options', 'nosniff');
    ctx.set('referrer-policy', 'same-origin');
    ctx.set('x-frame-options', 'DENY');
    if (!ctx.response.get('cache-control')) ctx.set('cache-control', 'no-store');
  };
}
