import type { Context } from 'koa';
import { sameToken, type Session } from './sessions';

/**
 * CSRF protection of every change: the session's token in the x-csrf-token header (a page of
 * another site cannot read it, nor set the header without a CORS preflight we never answer), and a
 * browser's own word on where the request came from when it gives one.
 */
export class Csrf {
  private readonly publicOrigin: string;

  constructor(publicBaseUrl: string) {
    this.publicOrigin = new URL(publicBaseUrl).origin;
  }

  /** `token`: the header's, or a plain form's hidden field (the case page posts without script). */
  valid(ctx: Context, session: Session, token = ctx.get('x-csrf-token')): boolean {
    const site = ctx.get('sec-fetch-site');
    if (site && site !== 'same-origin') return false;
    const origin = ctx.get('origin');
    if (origin && origin !== this.publicOrigin && origin !== `${ctx.protocol}://${ctx.host}`) return false;
    return token !== '' && sameToken(token, session.csrf);
  }
}
