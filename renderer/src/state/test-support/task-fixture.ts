import type { TaskView } from '@shared/contract/task';

/** A task view as the core would send it; tests override what they care about. */
export function taskView(over: Partial<TaskView> & { videoId: string }): TaskView {
  return {
    externalId: null, providerId: 'demo', status: 'QUEUED', progress: 0, prompt: `prompt of ${over.videoId}`,
    model: 'sora-2', seconds: '4', size: '1280x720', videoUrl: null, localPath: null, thumbnailUrl: null,
    error: null, errorCode: null, createdAt: '2025-01-01T00:00:00.000Z', updatedAt: '2025-01-01T00:00:00.000Z',
    completedAt: null, expiresAt: null, remixOf: null, progressHistory: [], etaAt: null, etaBasis: null, queuePosition: null,
    ...over,
  };
}
