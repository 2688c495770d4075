import { PlatformApiError } from '../../errors';
import { dispositionName, type FetchedMedia, type MediaFetcher } from '../../files/mediaFetcher';
import type { WecomApi } from './api';

/** WeCom keeps media 3 days after the message (获取临时素材: media_id有效期只有3天). */
const VALID_MS = 3 * 24 * 3600 * 1000;
/** WeCom answers 830002 for a whole file over 20 MB: such files come in Range parts of at most 20 MB. */
export const WECOM_CHUNK_BYTES = 20 * 1024 * 1024;

/**
 * Fetches a picture or video a member sent the app (cgi-bin/media/get). Every request asks for a
 * Range, so a file over 20 MB arrives part by part (206 with Content-Range) and a smaller one in
 * one answer; WeCom's own JSON refusal (40007 invalid media_id…) is a PlatformApiError.
 */
export class WecomMediaFetcher implements MediaFetcher {
  readonly validForMs = VALID_MS;

  constructor(
    private readonly api: WecomApi,
    private readonly chunkBytes = WECOM_CHUNK_BYTES,
  ) {}

  async fetch(mediaId: string): Promise<FetchedMedia> {
    const parts: Buffer[] = [];
    let received = 0;
    let total = Infinity;
    let head: Response | undefined;
    while (received < total) {
      const response = await this.api.download('/cgi-bin/media/get', { media_id: mediaId }, { range: `bytes=${received}-${received + this.chunkBytes - 1}` });
      head ??= response;
      const bytes = Buffer.from(await response.arrayBuffer());
      if (response.status === 200) {
        // The whole file: the Range was not needed.
        parts.splice(0, parts.length, bytes);
        break;
      }
      const range = /bytes\s+(\d+)-(\d+)\/(\d+)/.exec(response.headers.get('content-range') ?? '');
      if (!range || Number(range[1]) !== received || bytes.length === 0) throw new PlatformApiError('wecom', '/cgi-bin/media/get: part does not continue the file');
      total = Number(range[3]);
      parts.push(bytes);
      received += bytes.length;
    }
    return {
      bytes: Buffer.concat(parts),
      contentType: head?.headers.get('content-type')?.split(';')[0].trim() || 'application/octet-stream',
      fileName: dispositionName(head?.headers.get('content-disposition') ?? null),
    };
  }
}
