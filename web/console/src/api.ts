import type { Me } from '../../../src/web/api/contract';

let csrfToken = '';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** The console's one way to the server: JSON, the session cookie, and the CSRF token on every change. */
export async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const headers = new Headers(init.headers);
  if (init.method && init.method !== 'GET') headers.set('x-csrf-token', csrfToken);
  if (typeof init.body === 'string') headers.set('content-type', 'application/json');
  const response = await fetch(`/api${path}`, { ...init, headers, credentials: 'same-origin' });
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (response.status === 401) {
    window.location.assign(`/login?next=${encodeURIComponent(window.location.pathname)}`);
  }
  if (!response.ok) throw new ApiError(response.status, String(body.error ?? `请求失败（${response.status}）`), body);
  return body as T;
}

export async function loadMe(): Promise<Me> {
  const me = await api<Me>('/me');
  csrfToken = me.csrfToken;
  return me;
}

export async function signOut(): Promise<void> {
  const response = await fetch('/auth/logout', { method: 'POST', headers: { 'x-csrf-token': csrfToken }, credentials: 'same-origin' });
  const body = (await response.json().catch(() => ({}))) as { next?: string };
  window.location.assign(body.next ?? '/login');
}

/** A download link's address: the API's export with the page's filters. */
export const exportUrl = (path: string, query: Record<string, string | undefined>): string => {
  const params = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => Boolean(e[1])));
  return `/api${path}${params.size > 0 ? `?${params}` : ''}`;
};
