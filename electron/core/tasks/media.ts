// The player's media for the browser UI: a COMPLETED task's video or thumbnail, streamed from the
// upstream through the provider client (which adds the key only for the provider's own origin).
// Kept apart so a local library can answer first later.
import { AppError } from '@shared/contract/errors';
import { UpstreamError } from '../providers/provider-client';
import type { MediaSource } from '../server/door-types';
import { contentUrl } from './service-apply';
import type { TaskService } from './service-types';
import type { TaskStore } from './task-store';

export function createUpstreamMediaSource(deps: { store: Pick<TaskStore, 'get'>; service: Pick<TaskService, 'clientForProvider'> }): MediaSource {
  return {
    async open(videoId, variant, range) {
      const rec = deps.store.get(videoId);
      if (!rec || rec.status !== 'COMPLETED' || !rec.externalId) {
        throw new AppError('NOT_FOUND', `No finished video for "${videoId}"`, videoId);
      }
      const { client, conn } = await deps.service.clientForProvider(rec.providerId);
      // A URL we derived from the job id is the dialect's content endpoint: let the client build it.
      const own = rec.videoUrl === contentUrl(conn.baseUrl, rec.externalId, 'video');
      try {
        return await client.fetchContent({ externalId: rec.externalId, videoUrl: own ? null : rec.videoUrl }, variant, range);
      } catch (err) {
        if (err instanceof UpstreamError) {
          throw new AppError(err.code === 'NOT_FOUND' ? 'NOT_FOUND' : err.code, err.message, videoId);
        }
        throw err;
      }
    },
  };
}
