// Sample task records for the store's tests, crash child and benchmark (no real provider or key).
import type { TaskStatus } from '@shared/contract/status';
import type { TaskRecord } from '../record';

const BASE_TIME = Date.UTC(2025, 0, 1);

/** A task created `n` seconds after a fixed base time, so order follows n. */
export function sampleTask(n: number, overrides: Partial<TaskRecord> = {}): TaskRecord {
  const createdAt = new Date(BASE_TIME + n * 1000).toISOString();
  const status: TaskStatus = overrides.status ?? 'QUEUED';
  return {
    videoId: `video_${String(n).padStart(7, '0')}`,
    externalId: `ext_${n}`,
    providerId: 'demo',
    status,
    progress: status === 'COMPLETED' ? 100 : 0,
    prompt: `A paper boat number ${n} drifting down a rainy street`,
    model: 'sora-2',
    seconds: '4',
    size: '1280x720',
    videoUrl: null,
    localPath: null,
    thumbnailUrl: null,
    error: null,
    errorCode: null,
    createdAt,
    updatedAt: createdAt,
    completedAt: null,
    expiresAt: null,
    remixOf: null,
    submitState: 'accepted',
    submitStartedAt: BASE_TIME + n * 1000,
    inputReference: null,
    notFoundCount: 0,
    faultCount: 0,
    userId: 'local',
    ...overrides,
  };
}
