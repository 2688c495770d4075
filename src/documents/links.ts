import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock';
import type { StateStore } from '../state/stateStore';
import type { LedgerFilter } from './ledger';
import type { CaseDocument, FormFormat } from './render';

/**
 * Short-lived download links. The bot does not send files as messenger attachments: it answers
 * with a link whose token (32 random bytes) is kept in the state store for 15 minutes, bound to
 * what may be downloaded with it and for whom. The file is made when the link is opened.
 */

export const DOCUMENT_LINK_TTL_MS = 15 * 60 * 1000;

export type DocumentGrant =
  | { kind: 'form'; caseId: number; document?: CaseDocument; format: FormFormat; personId: number; channel: string }
  | { kind: 'ledger'; filter: LedgerFilter; fileName: string; format: 'xlsx'; personId: number; channel: string }
  | { kind: 'analysis'; year: number; fileName: string; format: 'xlsx'; personId: number; channel: string };

export interface DocumentLink {
  url: string;
  expiresAt: Date;
}

/** base64url of 32 bytes: 43 characters, no padding. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const key = (token: string) => `document:${token}`;

export class DocumentLinks {
  constructor(
    private readonly state: StateStore,
    private readonly clock: Clock,
    /** PUBLIC_BASE_URL: where people's phones reach this bot, without a trailing slash. */
    private readonly baseUrl: string,
    private readonly ttlMs = DOCUMENT_LINK_TTL_MS,
  ) {}

  async issue(grant: DocumentGrant): Promise<DocumentLink> {
    const token = randomBytes(32).toString('base64url');
    await this.state.set(key(token), JSON.stringify(grant), this.ttlMs);
    return { url: `${this.baseUrl.replace(/\/+$/, '')}/documents/${token}`, expiresAt: new Date(this.clock.now().getTime() + this.ttlMs) };
  }
}

/** What the token grants; undefined for a token that is malformed, unknown or expired alike. */
export async function documentGrant(state: StateStore, token: string): Promise<DocumentGrant | undefined> {
  if (!TOKEN.test(token)) return undefined;
  const raw = await state.get(key(token));
  return raw === undefined ? undefined : (JSON.parse(raw) as DocumentGrant);
}
