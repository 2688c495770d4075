import type { MediaKind } from './receivedFile';

export interface FetchedMedia {
  bytes: Buffer;
  contentType: string;
  /** The name the platform gives the file (Content-Disposition), when the message had none. */
  fileName?: string;
}

/**
 * Fetches a file a person sent, by the messenger's media id. Throws PlatformApiError: `permanent`
 * when asking again cannot help (an unknown or expired id), otherwise the job retries.
 */
export interface MediaFetcher {
  /** How long the platform keeps a media id valid after the message (WeCom: 3 days). */
  readonly validForMs: number;
  fetch(mediaId: string, mediaKind: MediaKind): Promise<FetchedMedia>;
}

const EXTENSIONS: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'video/mp4': 'mp4',
  'video/quicktime': 'mov',
  'application/pdf': 'pdf',
  'application/msword': 'doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.ms-excel': 'xls',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'application/zip': 'zip',
};

export function extensionOf(contentType: string, fileName?: string | null): string {
  const own = fileName?.match(/\.([A-Za-z0-9]{1,8})$/)?.[1];
  return (own ?? EXTENSIONS[contentType.split(';')[0].trim().toLowerCase()] ?? 'bin').toLowerCase();
}

/** A Content-Disposition's file name (RFC 5987 filename* first, then filename), if any. */
export function dispositionName(header: string | null): string | undefined {
  if (!header) return undefined;
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header)?.[1];
  if (star) {
    try {
      return decodeURIComponent(star.trim());
    } catch {
      return undefined;
    }
  }
  return /filename\s*=\s*"?([^";]+)"?/.exec(header)?.[1]?.trim() || undefined;
}
