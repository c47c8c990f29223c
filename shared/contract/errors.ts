import { z } from 'zod';
import { ERROR_CODES, type ErrorCode } from './values';

export { ERROR_CODES, type ErrorCode } from './values';

export const ErrorCodeSchema = z.enum(ERROR_CODES);

export const ErrorPayloadSchema = z.object({
  code: ErrorCodeSchema,
  message: z.string(),
  videoId: z.string().optional(),
});
export type ErrorPayload = z.infer<typeof ErrorPayloadSchema>;

/** Task-level error codes stored on a FAILED task (`errorCode`), besides the upstream's own. */
export const TASK_ERROR_CODES = {
  SUBMIT_UNCONFIRMED: 'SUBMIT_UNCONFIRMED',
  TRACKING_TIMEOUT: 'TRACKING_TIMEOUT',
  UPSTREAM_NOT_FOUND: 'UPSTREAM_NOT_FOUND',
  SUBMIT_REJECTED: 'SUBMIT_REJECTED',
  UPSTREAM_FAILED: 'UPSTREAM_FAILED',
} as const;

/** An error that crosses the doors as {code, message}. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly videoId?: string,
  ) {
    super(message);
    this.name = 'AppError';
  }
  toPayload(): ErrorPayload {
    return this.videoId ? { code: this.code, message: this.message, videoId: this.videoId } : { code: this.code, message: this.message };
  }
}
