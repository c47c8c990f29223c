// What the app's self-updater is doing, as the UI sees it (`getUpdateState` reply and `updateState` push).
import { z } from 'zod';
import { UPDATE_STATES } from './values';

export { UPDATE_STATES } from './values';

export const UpdateStateSchema = z.object({
  /** 'unsupported': development build or browser mode (no updater at all). */
  state: z.enum(UPDATE_STATES),
  /** The version on offer (available, downloading, downloaded). */
  version: z.string().optional(),
  /** Download progress 0-100 while downloading. */
  progress: z.number().min(0).max(100).optional(),
  /** What went wrong (state 'error'); never holds a token. */
  message: z.string().optional(),
});
export type UpdateState = z.infer<typeof UpdateStateSchema>;
