import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { zoneDate, type Clock } from '../clock';
import type { AuditLog } from '../domain/audit';
import type { Notifier } from '../domain/notifier';
import { PlatformApiError } from '../errors';
import { reasonOf } from '../logger';
import type { RosterRepository } from '../roster/rosterRepository';
import type { Job, JobHandler } from '../scheduling/scheduler';
import { scheduleJob } from '../scheduling/scheduler';
import { isDuplicateKey } from '../storage/dataSource';
import { insert, select, update, type Executor } from '../storage/sql';
import type { FileLimits } from './config';
import type { FileStore } from './fileStore';
import { extensionOf, type MediaFetcher } from './mediaFetcher';
import { displayName, MEDIA_WORDS, sizeText, type FileStatus, type MediaKind, type ReceivedFile } from './receivedFile';

export const FETCH_JOB = 'file-fetch';
/** How long an id stays fetchable where the platform does not say (DingTalk's downloadCode, the simulator). */
const DEFAULT_VALID_MS = 3 * 24 * 3600 * 1000;
/** The first retry after 30 s, then doubling, at most an hour apart, until the platform's copy expires. */
export function fetchBackoffMs(attempts: number): number {
  return Math.min(3_600_000, 30_000 * 2 ** Math.max(0, attempts - 1));
}

interface Row {
  id: number;
  channel: string;
  media_kind: MediaKind;
  media_id: string;
  sender_id: number;
  file_name: string | null;
  content_type: string | null;
  size_bytes: number | string | null;
  sha256: string | null;
  storage_key: string | null;
  status: FileStatus;
  attempts: number;
  last_error: string | null;
  received_at: string;
  expires_at: string;
  stored_at: string | null;
}

const toFile = (r: Row): ReceivedFile => ({
  id: Number(r.id),
  channel: r.channel,
  mediaKind: r.media_kind,
  mediaId: r.media_id,
  senderId: Number(r.sender_id),
  fileName: r.file_name,
  contentType: r.content_type,
  sizeBytes: r.size_bytes === null ? null : Number(r.size_bytes),
  sha256: r.sha256,
  storageKey: r.storage_key,
  status: r.status,
  attempts: Number(r.attempts),
  lastError: r.last_error,
  receivedAt: r.received_at,
  expiresAt: r.expires_at,
  storedAt: r.stored_at,
});

export interface Arrival {
  channel: string;
  mediaKind: MediaKind;
  mediaId: string;
  fileName?: string;
  senderId: number;
  /** When the messenger says it was sent (its media id's validity counts from then). */
  receivedAt: string;
}

export interface ReceivedFilesDeps {
  store: FileStore;
  /** One per channel that delivers media ids to fetch. */
  fetchers: Partial<Record<string, MediaFetcher>>;
  limits: FileLimits;
  clock: Clock;
  notifier: Notifier;
  roster: RosterRepository;
  audit: AuditLog;
}

/**
 * Files people send: recorded when they arrive (find-or-create on the messenger's media id, so a
 * redelivered or redone message is one file), fetched by a database-backed job soon after, never
 * on the webhook's path, and kept in the file store with their name, type, size and sha256.
 */
export class ReceivedFiles {
  constructor(
    private readonly db: Executor,
    private readonly deps: ReceivedFilesDeps,
  ) {}

  get limits(): FileLimits {
    return this.deps.limits;
  }

  /** Records a file that arrived and schedules its fetch; the same media id again is the same file. */
  async receive(arrival: Arrival, ex: Executor = this.db): Promise<ReceivedFile> {
    const known = await this.byMedia(arrival.channel, arrival.mediaId, ex);
    if (known) return known;
    const validFor = this.deps.fetchers[arrival.channel]?.validForMs ?? DEFAULT_VALID_MS;
    try {
      await insert(ex, 'received_files', {
        channel: arrival.channel,
        media_kind: arrival.mediaKind,
        media_id: arrival.mediaId,
        sender_id: arrival.senderId,
        file_name: arrival.fileName?.slice(0, 255) ?? null,
        status: 'pending',
        attempts: 0,
        received_at: arrival.receivedAt,
        expires_at: new Date(Date.parse(arrival.receivedAt) + validFor).toISOString(),
      });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    const file = (await this.byMedia(arrival.channel, arrival.mediaId, ex))!;
    await scheduleJob(ex, { kind: FETCH_JOB, uniqueKey: `${FETCH_JOB}:${file.id}:1`, runAt: this.deps.clock.now(), payload: { fileId: file.id } });
    return file;
  }

  /**
   * A file that arrived with its bytes (the upload page): stored at once, under a media id of its
   * own that the chat then refers to like any other.
   */
  async storeUploaded(arrival: Arrival, bytes: Buffer, contentType: string): Promise<ReceivedFile> {
    const sizeProblem = this.sizeProblem(bytes.length, arrival.fileName ?? '');
    if (sizeProblem) throw new Error(sizeProblem);
    const stored = await this.put(bytes, contentType, arrival.fileName);
    await insert(this.db, 'received_files', {
      channel: arrival.channel,
      media_kind: arrival.mediaKind,
      media_id: arrival.mediaId,
      sender_id: arrival.senderId,
      file_name: arrival.fileName?.slice(0, 255) ?? null,
      ...stored,
      status: 'stored',
      attempts: 0,
      received_at: arrival.receivedAt,
      expires_at: arrival.receivedAt,
    });
    return (await this.byMedia(arrival.channel, arrival.mediaId))!;
  }

  async byId(id: number, ex: Executor = this.db): Promise<ReceivedFile | undefined> {
    const [row] = await select<Row>(ex, 'SELECT * FROM received_files WHERE id = ?', [id]);
    return row && toFile(row);
  }

  async byIds(ids: number[]): Promise<ReceivedFile[]> {
    if (ids.length === 0) return [];
    const rows = await select<Row>(this.db, `SELECT * FROM received_files WHERE id IN (${ids.map(() => '?').join(', ')})`, ids);
    const byId = new Map(rows.map((r) => [Number(r.id), toFile(r)]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  async byMedia(channel: string, mediaId: string, ex: Executor = this.db): Promise<ReceivedFile | undefined> {
    const [row] = await select<Row>(ex, 'SELECT * FROM received_files WHERE channel = ? AND media_id = ?', [channel, mediaId]);
    return row && toFile(row);
  }

  /** The stored bytes of a file; undefined while it is not (yet, or ever) stored. */
  async content(file: ReceivedFile): Promise<Buffer | undefined> {
    return file.status === 'stored' && file.storageKey ? this.deps.store.get(file.storageKey) : undefined;
  }

  /** Why a file of this size cannot be kept, in the words the sender reads; undefined when it can. */
  sizeProblem(bytes: number, name: string): string | undefined {
    const { maxFileBytes } = this.deps.limits;
    if (bytes <= maxFileBytes) return undefined;
    return `“${name}”有 ${sizeText(bytes)}，超过了每个文件 ${sizeText(maxFileBytes)} 的上限（本区设置），未能保存。请压缩或拆分后重新发送。`;
  }

  /** The fetch job: one attempt per run; a failed one schedules the next while the id is still valid. */
  fetchJob(): JobHandler {
    return { kind: FETCH_JOB, run: (job, tx) => this.attempt(job, tx) };
  }

  private async attempt(job: Job, tx: EntityManager): Promise<void> {
    const file = await this.byId(Number(job.payload.fileId), tx);
    if (!file || file.status !== 'pending') return;
    const now = this.deps.clock.now();
    const fetcher = this.deps.fetchers[file.channel];
    const attempts = file.attempts + 1;
    if (!fetcher) return this.giveUp(tx, file, attempts, `no fetcher for channel ${file.channel}`);
    if (now.getTime() >= Date.parse(file.expiresAt)) return this.giveUp(tx, file, attempts, 'media id expired before it could be fetched');
    try {
      const media = await fetcher.fetch(file.mediaId, file.mediaKind);
      const fileName = file.fileName ?? media.fileName ?? null;
      const name = fileName ?? displayName(file);
      const sizeProblem = this.sizeProblem(media.bytes.length, name);
      if (sizeProblem) {
        await update(tx, 'received_files', { status: 'rejected', attempts, size_bytes: media.bytes.length, last_error: 'over FILES_MAX_FILE_MB' }, 'id = ?', [file.id]);
        await this.deps.notifier.notify(tx, file.senderId, { kind: 'text', text: sizeProblem });
        return;
      }
      const stored = await this.put(media.bytes, media.contentType, fileName);
      await update(tx, 'received_files', { ...stored, file_name: fileName, status: 'stored', attempts, last_error: null, stored_at: now.toISOString() }, 'id = ? AND status = ?', [file.id, 'pending']);
      await this.deps.audit.append(tx, { actorId: file.senderId, channel: file.channel, action: 'file.stored', subject: `file:${file.id}`, detail: { sha256: stored.sha256, bytes: stored.size_bytes } });
    } catch (error) {
      const reason = reasonOf(error).slice(0, 500);
      const next = new Date(now.getTime() + fetchBackoffMs(attempts));
      const permanent = error instanceof PlatformApiError && error.permanent;
      if (permanent || next.getTime() >= Date.parse(file.expiresAt)) return this.giveUp(tx, file, attempts, reason);
      await update(tx, 'received_files', { attempts, last_error: reason }, 'id = ?', [file.id]);
      await scheduleJob(tx, { kind: FETCH_JOB, uniqueKey: `${FETCH_JOB}:${file.id}:${attempts + 1}`, runAt: next, payload: { fileId: file.id } });
    }
  }

  /** The file is lost: the sender is asked to send it again, and 党群工作部 is told. */
  private async giveUp(tx: EntityManager, file: ReceivedFile, attempts: number, reason: string): Promise<void> {
    await update(tx, 'received_files', { status: 'expired', attempts, last_error: reason.slice(0, 500) }, 'id = ? AND status = ?', [file.id, 'pending']);
    const name = displayName(file);
    const day = sentDay(file.receivedAt);
    await this.deps.notifier.notify(tx, file.senderId, { kind: 'text', text: `您 ${day}发送的“${name}”未能保存，请重新发送。` });
    const sender = await this.deps.roster.person(file.senderId);
    const admins = sender ? ((await this.deps.roster.nearestHolders('partyAffairsAdmin', sender.unitId))?.people ?? []) : [];
    for (const admin of admins) {
      await this.deps.notifier.notify(tx, admin.id, {
        kind: 'text',
        text: `【文件未能保存】${sender?.name ?? ''} ${day}发送的${MEDIA_WORDS[file.mediaKind]}“${name}”在有效期内未能取回（已尝试 ${attempts} 次），已请其重新发送。`,
      });
    }
    await this.deps.audit.append(tx, { actorId: null, channel: file.channel, action: 'file.lost', subject: `file:${file.id}`, detail: { attempts, reason: reason.slice(0, 200) } });
  }

  /** Content-addressed: the same bytes twice are one object, and a repeated write is harmless. */
  private async put(bytes: Buffer, contentType: string, fileName?: string | null): Promise<{ storage_key: string; sha256: string; size_bytes: number; content_type: string }> {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const key = `files/${sha256.slice(0, 2)}/${sha256}.${extensionOf(contentType, fileName)}`;
    await this.deps.store.put(key, bytes, contentType);
    return { storage_key: key, sha256, size_bytes: bytes.length, content_type: contentType.slice(0, 128) };
  }
}

/** 11 月 3 日 (the zone's calendar day). */
function sentDay(iso: string): string {
  const [, month, day] = zoneDate(new Date(iso)).split('-').map(Number);
  return `${month} 月 ${day} 日`;
}
