import type { Context } from 'koa';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const FORWARDED = ['forwarded', 'x-forwarded-for', 'x-real-ip'];

/** A request from this machine that no reverse proxy passed on (one carrying a forwarding header counts as from outside). */
export function fromLoopback(ctx: Context): boolean {
  const peer = ctx.req.socket.remoteAddress ?? '';
  return LOOPBACK.has(peer) && !FORWARDED.some((header) => ctx.get(header) !== '');
}
