/**
 * A browser's part in the sign-in redirects, without a browser: follows each Location by hand,
 * keeps cookies per host as a browser does (ports ignored), and lets a test stand in for the
 * messenger where the person would scan or tap.
 */
export interface Hop {
  url: string;
  status: number;
  location?: string;
}

export class CookieJar {
  private readonly cookies = new Map<string, Map<string, string>>();

  store(url: string, response: Response): void {
    const host = new URL(url).hostname;
    const jar = this.cookies.get(host) ?? new Map<string, string>();
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      if (value === '' || /max-age=0/i.test(line)) jar.delete(name);
      else jar.set(name, value);
    }
    this.cookies.set(host, jar);
  }

  header(url: string): string {
    return [...(this.cookies.get(new URL(url).hostname) ?? new Map()).entries()].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  get(url: string, name: string): string | undefined {
    return this.cookies.get(new URL(url).hostname)?.get(name);
  }

  clear(): void {
    this.cookies.clear();
  }
}

export class WebClient {
  readonly jar = new CookieJar();
  csrf = '';

  /** `admin`: the admin listener, where the development sign-in is. */
  constructor(
    readonly base: string,
    readonly admin?: string,
  ) {}

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const url = new URL(path, this.base).toString();
    const headers = new Headers(init.headers);
    const cookie = this.jar.header(url);
    if (cookie) headers.set('cookie', cookie);
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    this.jar.store(url, response);
    return response;
  }

  /** GETs `path` and follows redirects (to any host) until a page answers; returns every hop. */
  async follow(path: string, init: RequestInit = {}, limit = 10): Promise<{ hops: Hop[]; response: Response }> {
    const hops: Hop[] = [];
    let url = new URL(path, this.base).toString();
    let response = await this.request(url, init);
    for (;;) {
      const location = response.headers.get('location') ?? undefined;
      hops.push({ url, status: response.status, location });
      if (!location || response.status < 300 || response.status >= 400 || hops.length > limit) return { hops, response };
      url = new URL(location, url).toString();
      response = await this.request(url);
    }
  }

  /**
   * Signs in through the development sign-in on the admin listener, as `code`, follows its hand-over
   * to the public site and fetches the CSRF token. Answers the admin's refusal, or the hand-over's redirect.
   */
  async devSignIn(code: string, next = '/console/'): Promise<Response> {
    if (!this.admin) throw new Error('the development sign-in is on the admin listener: give the WebClient its URL');
    const page = await this.request(`${this.admin}/auth/dev/?next=${encodeURIComponent(next)}`);
    if (!page.ok) return page;
    const state = /name="state" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
    const answer = await this.request(`${this.admin}/auth/dev`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ state, person: code }).toString(),
    });
    const handoff = answer.headers.get('location');
    if (answer.status !== 302 || !handoff) return answer;
    const signedIn = await this.request(handoff);
    if (signedIn.status === 302) await this.loadCsrf();
    return signedIn;
  }

  async loadCsrf(): Promise<void> {
    const me = await this.request('/api/me');
    if (me.ok) this.csrf = ((await me.json()) as { csrfToken: string }).csrfToken;
  }

  api(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (init.method && init.method !== 'GET') headers.set('x-csrf-token', this.csrf);
    if (typeof init.body === 'string') headers.set('content-type', 'application/json');
    return this.request(`/api${path}`, { ...init, headers });
  }
}

/**
 * One client per roster person, signed in through the development sign-in at first use and kept
 * for the rest of the file. `site` is read then, as a stack opened in beforeAll is not there yet.
 */
export function signedInClients(site: () => { url: string; adminUrl: string }): (code: string) => Promise<WebClient> {
  const clients = new Map<string, Promise<WebClient>>();
  return (code) => {
    if (!clients.has(code)) {
      const client = new WebClient(site().url, site().adminUrl);
      clients.set(code, client.devSignIn(code).then(() => client));
    }
    return clients.get(code)!;
  };
}
