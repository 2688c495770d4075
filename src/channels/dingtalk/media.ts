import { PlatformApiError } from '../../errors';
import { dispositionName, type FetchedMedia, type MediaFetcher } from '../../files/mediaFetcher';
import { platformFetch } from '../shared/http';
import type { DingtalkApi } from './api';
import type { DingtalkConfig } from './config';

/**
 * DingTalk does not say how long a downloadCode stays good; the fetch follows within seconds and
 * is retried for as long as WeCom keeps its media, 3 days.
 */
const VALID_MS = 3 * 24 * 3600 * 1000;

/**
 * Fetches a picture, video or file sent to the robot: robot/messageFiles/download turns the
 * message's downloadCode into a short-lived downloadUrl, which is then read.
 */
export class DingtalkMediaFetcher implements MediaFetcher {
  readonly validForMs = VALID_MS;

  constructor(
    private readonly api: DingtalkApi,
    private readonly config: Pick<DingtalkConfig, 'robotCode' | 'apiTimeoutMs'>,
  ) {}

  async fetch(downloadCode: string): Promise<FetchedMedia> {
    const { downloadUrl } = await this.api.call<{ downloadUrl?: string }>('POST', '/v1.0/robot/messageFiles/download', { downloadCode, robotCode: this.config.robotCode });
    if (!downloadUrl) throw new PlatformApiError('dingtalk', 'robot/messageFiles/download: answer has no downloadUrl');
    // A download link is good for a short while only; the next attempt asks for a new one.
    const response = await platformFetch('dingtalk', 'messageFiles downloadUrl', new URL(downloadUrl), { method: 'GET' }, this.config.apiTimeoutMs * 4);
    if (!response.ok) {
      await response.body?.cancel();
      throw new PlatformApiError('dingtalk', `messageFiles downloadUrl: HTTP ${response.status}`, response.status);
    }
    return {
      bytes: Buffer.from(await response.arrayBuffer()),
      contentType: response.headers.get('content-type')?.split(';')[0].trim() || 'application/octet-stream',
      fileName: dispositionName(response.headers.get('content-disposition')),
    };
  }
}
