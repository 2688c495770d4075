import { PlatformApiError } from '../../errors';
import type { FetchedMedia, MediaFetcher } from '../../files/mediaFetcher';

/**
 * The simulator's stand-in for a messenger's media store: what the page sends is kept here under
 * its media id until the fetch job reads it, as it would read WeCom's. In memory: the simulator
 * is one process on one machine.
 */
export class SimulatorMedia implements MediaFetcher {
  readonly validForMs = 3 * 24 * 3600 * 1000;
  private readonly media = new Map<string, FetchedMedia>();

  keep(mediaId: string, media: FetchedMedia): void {
    this.media.set(mediaId, media);
  }

  async fetch(mediaId: string): Promise<FetchedMedia> {
    const media = this.media.get(mediaId);
    if (!media) throw new PlatformApiError('simulator', `no media ${mediaId} (the simulator was restarted since it was sent)`, 40007, true);
    return media;
  }
}
