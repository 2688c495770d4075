/** A picture, a video or a document, as the messenger labelled it. */
export type MediaKind = 'image' | 'video' | 'file';

export const MEDIA_WORDS: Record<MediaKind, string> = { image: '图片', video: '视频', file: '文件' };

/**
 * pending: waiting for (or between attempts of) the fetch; stored: its bytes are in the file store;
 * expired: the messenger's copy went before it could be fetched; rejected: over a size limit.
 */
export type FileStatus = 'pending' | 'stored' | 'expired' | 'rejected';

export interface ReceivedFile {
  id: number;
  channel: string;
  mediaKind: MediaKind;
  mediaId: string;
  senderId: number;
  fileName: string | null;
  contentType: string | null;
  sizeBytes: number | null;
  sha256: string | null;
  storageKey: string | null;
  status: FileStatus;
  attempts: number;
  lastError: string | null;
  /** ISO instants. */
  receivedAt: string;
  expiresAt: string;
  storedAt: string | null;
}

/** The name people know the file by: its own, or 图片/视频 with the day it was sent. */
export function displayName(file: Pick<ReceivedFile, 'fileName' | 'mediaKind'>): string {
  return file.fileName ?? MEDIA_WORDS[file.mediaKind];
}

/** 1.2 MB, 35 KB, 800 B. */
export function sizeText(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} B`;
}

/**
 * A file name safe inside a zip and in a Content-Disposition: control characters and path or
 * shell-awkward characters become “_”; the words stay. Empty becomes 文件.
 */
export function safeFileName(name: string, maxLength = 200): string {
  const cleaned = Array.from(name, (ch) => ((ch.codePointAt(0) ?? 0) < 0x20 || '\\/:*?"<>|'.includes(ch) ? '_' : ch)).join('');
  return cleaned.replace(/_{2,}/g, '_').slice(0, maxLength) || '文件';
}
