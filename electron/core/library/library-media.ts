// Media for the player: the library's file when there is one (it plays after the upstream's link
// has expired, and offline), else the upstream source. A file the user deleted counts as missing.
import type { MediaSource } from '../server/door-types';
import { openFileAnswer } from '../server/file-answer';
import type { TaskStore } from '../tasks/task-store';
import { thumbnailPathFor } from './library-file';

export function createLibraryMediaSource(deps: { store: Pick<TaskStore, 'get'>; upstream: MediaSource }): MediaSource {
  return {
    async open(videoId, variant, range) {
      const rec = deps.store.get(videoId);
      if (rec?.status === 'COMPLETED' && rec.localPath) {
        const file = variant === 'video' ? rec.localPath : thumbnailPathFor(rec.localPath);
        const local = await openFileAnswer(file, variant === 'video' ? 'video/mp4' : 'image/jpeg', range);
        if (local) return local;
      }
      return deps.upstream.open(videoId, variant, range);
    },
  };
}
