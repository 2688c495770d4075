import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock';
import type { StateStore } from '../state/stateStore';

/**
 * WeCom delivers no documents to a self-built app, so a Word or PDF file is uploaded on a small
 * page instead: the step that asks for material gives the person a link (32 random bytes in the
 * state store, 30 minutes), bound to them. What they upload arrives in their chat as if sent there.
 */
export const UPLOAD_LINK_TTL_MS = 30 * 60 * 1000;

export interface UploadGrant {
  personId: number;
}

const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const key = (token: string) => `upload:${token}`;

export class UploadLinks {
  constructor(
    private readonly state: StateStore,
    private readonly clock: Clock,
    private readonly baseUrl: string,
  ) {}

  async issue(grant: UploadGrant): Promise<{ url: string; expiresAt: Date }> {
    const token = randomBytes(32).toString('base64url');
    await this.state.set(key(token), JSON.stringify(grant), UPLOAD_LINK_TTL_MS);
    return { url: `${this.baseUrl.replace(/\/+$/, '')}/upload/${token}`, expiresAt: new Date(this.clock.now().getTime() + UPLOAD_LINK_TTL_MS) };
  }
}

export async function uploadGrant(state: StateStore, token: string): Promise<UploadGrant | undefined> {
  if (!TOKEN.test(token)) return undefined;
  const raw = await state.get(key(token));
  return raw === undefined ? undefined : (JSON.parse(raw) as UploadGrant);
}
