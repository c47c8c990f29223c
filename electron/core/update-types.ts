// The seam between the core (which answers getUpdateState/installUpdate and broadcasts updateState)
// and the shell's electron-updater. Under `npm run serve` there is none: the state is 'unsupported'.
import type { UpdateState } from '@shared/contract/update';

export type { UpdateState };

export interface UpdaterPort {
  getState(): UpdateState;
  /** Calls cb on every change; returns an unsubscribe function. */
  onState(cb: (state: UpdateState) => void): () => void;
  /** Checks now (a no-op when unsupported or offline). Never rejects: failures become state 'error'. */
  check(): Promise<void>;
  /** Restarts into a downloaded update (after flushing the core); a no-op unless 'downloaded'. */
  install(): void;
}
