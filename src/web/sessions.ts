import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../clock';
import type { StateStore } from '../state/stateStore';

/** How a person signed in: the messenger, and which of its ways. */
export type SignInChannel = 'wecom' | 'dingtalk' | 'dev';
export type SignInFlow = 'oauth' | 'qr' | 'jsapi' | 'dev';

export interface Session {
  personId: number;
  channel: SignInChannel;
  flow: SignInFlow;
  /** Sent back by the page in x-csrf-token on every change; never in a cookie. */
  csrf: string;
  createdAt: string;
  expiresAt: string;
}

const VERSION = 1;

export const randomToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');

/** The store key never holds the cookie's value: a dump of Redis yields no usable session. */
const keyOf = (token: string) => `web:session:${createHash('sha256').update(token).digest('base64url')}`;

export function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Signed-in sessions in the shared state store, so that any instance behind the load balancer
 * serves them. A session lasts WEB_SESSION_HOURS from sign-in, then the person signs in again.
 */
export class Sessions {
  constructor(
    private readonly state: StateStore,
    private readonly clock: Clock,
    private readonly hours: number,
  ) {}

  get lifetimeMs(): number {
    return this.hours * 3600 * 1000;
  }

  async create(personId: number, channel: SignInChannel, flow: SignInFlow): Promise<{ token: string; session: Session }> {
    const token = randomToken();
    const now = this.clock.now();
    const session: Session = {
      personId,
      channel,
      flow,
      csrf: randomToken(),
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + this.lifetimeMs).toISOString(),
    };
    await this.state.set(keyOf(token), JSON.stringify({ v: VERSION, ...session }), this.lifetimeMs);
    return { token, session };
  }

  async get(token: string | undefined): Promise<Session | undefined> {
    if (!token || token.length > 100) return undefined;
    const raw = await this.state.get(keyOf(token));
    if (!raw) return undefined;
    const stored = JSON.parse(raw) as Session & { v: number };
    if (stored.v !== VERSION || stored.expiresAt <= this.clock.now().toISOString()) return undefined;
    return { personId: stored.personId, channel: stored.channel, flow: stored.flow, csrf: stored.csrf, createdAt: stored.createdAt, expiresAt: stored.expiresAt };
  }

  async end(token: string | undefined): Promise<void> {
    if (token) await this.state.delete(keyOf(token));
  }
}
