import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock';
import type { StateStore } from '../state/stateStore';

/**
 * Short-lived links to a case's files and to its 归档 package, like the document links: 32 random
 * bytes kept in the state store for 15 minutes, bound to the one file (or package) and to the
 * reader, whose right to read the case was checked when the link was given.
 */
export const FILE_LINK_TTL_MS = 15 * 60 * 1000;

export type FileGrant =
  | { kind: 'file'; caseId: number; fileId: number; personId: number; channel: string }
  | { kind: 'archive'; caseId: number; personId: number; channel: string };

const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const key = (token: string) => `casefile:${token}`;

export class FileLinks {
  constructor(
    private readonly state: StateStore,
    private readonly clock: Clock,
    /** PUBLIC_BASE_URL, without a trailing slash. */
    private readonly baseUrl: string,
    private readonly ttlMs = FILE_LINK_TTL_MS,
  ) {}

  async issue(grant: FileGrant): Promise<{ url: string; expiresAt: Date }> {
    const token = randomBytes(32).toString('base64url');
    await this.state.set(key(token), JSON.stringify(grant), this.ttlMs);
    return { url: `${this.baseUrl.replace(/\/+$/, '')}/files/${token}`, expiresAt: new Date(this.clock.now().getTime() + this.ttlMs) };
  }
}

/** What the token grants; undefined for a malformed, unknown or expired token alike. */
export async function fileGrant(state: StateStore, token: string): Promise<FileGrant | undefined> {
  if (!TOKEN.test(token)) return undefined;
  const raw = await state.get(key(token));
  return raw === undefined ? undefined : (JSON.parse(raw) as FileGrant);
}
