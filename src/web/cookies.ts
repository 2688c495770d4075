import type { Context } from 'koa';

/**
 * Cookie names and attributes. Behind HTTPS (PUBLIC_BASE_URL https://…) cookies are Secure and
 * take the __Host- prefix, which the browser only accepts from a secure origin, for the whole host.
 */
export interface CookiePolicy {
  secure: boolean;
}

export const cookieName = (policy: CookiePolicy, name: 'session' | 'signin') => (policy.secure ? `__Host-dandang-${name}` : `dandang-${name}`);

export function setCookie(ctx: Context, policy: CookiePolicy, name: 'session' | 'signin', value: string, maxAgeMs: number): void {
  // Koa's own cookie module refuses to set Secure over a plain connection, which is what a TLS-terminating proxy forwards.
  const parts = [`${cookieName(policy, name)}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Lax', `Max-Age=${Math.max(0, Math.floor(maxAgeMs / 1000))}`];
  if (policy.secure) parts.push('Secure');
  ctx.append('set-cookie', parts.join('; '));
}

export function clearCookie(ctx: Context, policy: CookiePolicy, name: 'session' | 'signin'): void {
  setCookie(ctx, policy, name, '', 0);
}

export function readCookie(ctx: Context, policy: CookiePolicy, name: 'session' | 'signin'): string | undefined {
  const wanted = cookieName(policy, name);
  for (const part of (ctx.get('cookie') || '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === wanted) return part.slice(at + 1).trim() || undefined;
  }
  return undefined;
}
