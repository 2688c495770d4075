import type { StateStore } from '../../state/stateStore';
import { randomToken, sameToken, type SignInChannel, type SignInFlow } from '../sessions';

/** A sign-in under way: sent to the messenger, awaited back at the callback. */
export interface PendingSignIn {
  channel: SignInChannel;
  flow: SignInFlow;
  /** Where to go once signed in: a path on this site. */
  next: string;
  /** Also in a cookie of the browser that started it: a code delivered to another browser is refused. */
  binding: string;
}

const TTL_MS = 10 * 60 * 1000;
const key = (state: string) => `web:signin:${state}`;
const USED = 'used';

/**
 * The OAuth `state` of each sign-in: random, stored in the shared state store for ten minutes,
 * and taken once, by the browser that started it. That stops a forged callback (CSRF on the
 * sign-in) and a replayed one.
 */
export class PendingSignIns {
  constructor(private readonly state: StateStore) {}

  async begin(sign: Omit<PendingSignIn, 'binding'>): Promise<{ state: string; binding: string }> {
    const state = randomToken(24);
    const binding = randomToken(24);
    await this.state.set(key(state), JSON.stringify({ ...sign, binding }), TTL_MS);
    return { state, binding };
  }

  /** The sign-in, once; undefined when unknown, expired, already used or started by another browser. */
  async take(state: string, binding: string | undefined): Promise<PendingSignIn | undefined> {
    if (!/^[\w-]{16,64}$/.test(state) || !binding) return undefined;
    const raw = await this.state.get(key(state));
    if (!raw || raw === USED) return undefined;
    const pending = JSON.parse(raw) as PendingSignIn;
    if (!sameToken(pending.binding, binding)) return undefined;
    if (!(await this.state.compareAndSet(key(state), raw, USED, TTL_MS))) return undefined;
    return pending;
  }
}

/** A path on this site to return to after sign-in: anything else (another host, //evil) goes to the console. */
export function safeNext(next: unknown, fallback = '/console/'): string {
  if (typeof next !== 'string' || next.length > 500) return fallback;
  return /^\/(?![/\\])[\w\-./%?=&#~]*$/.test(next) ? next : fallback;
}
