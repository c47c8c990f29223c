// The desktop self-updater as the UI sees it: asked for after every (re)connect, then followed
// through `updateState` pushes. It only derives what to show; the React views render it.
import type { UpdateState } from '@shared/contract/update';
import type { ContractClient } from '@shared/client/contract-client';

/** The "ready, restart to update" banner. */
export interface UpdateBanner {
  version: string;
  /** installUpdate was sent and has not been answered yet (the button waits). */
  installing: boolean;
}

/** The quiet line in Settings while downloading, or after a failed check. */
export type UpdateLine =
  | { kind: 'downloading'; version: string | null; progress: number }
  | { kind: 'error'; message: string };

export class UpdateStatus {
  /** Until the core says otherwise the updater is treated as absent, so nothing shows. */
  state: UpdateState = { state: 'unsupported' };
  private installing = false;
  /** "Later" hides the banner for this version, for the rest of this session. */
  private postponed: string | null = null;

  constructor(
    private readonly client: ContractClient,
    private readonly changed: () => void,
  ) {}

  /** Replies and pushes alike carry the whole state; the newest one received wins. */
  apply(state: UpdateState): void {
    this.state = state;
    this.changed();
  }

  /**
   * Asks the core where the updater stands. A core that does not know the request (an older
   * service) leaves the updater "unsupported": there is nothing to show and nothing to report.
   */
  async refresh(): Promise<void> {
    try {
      await this.client.request('getUpdateState');
    } catch {
      // The reply or a later push would have set the state; without one it stays as it was.
    }
  }

  get banner(): UpdateBanner | null {
    const s = this.state;
    if (s.state !== 'downloaded') return null;
    const version = s.version ?? '';
    if (this.postponed === version) return null;
    return { version, installing: this.installing };
  }

  get settingsLine(): UpdateLine | null {
    const s = this.state;
    if (s.state === 'downloading') return { kind: 'downloading', version: s.version ?? null, progress: Math.round(s.progress ?? 0) };
    if (s.state === 'error') return { kind: 'error', message: s.message ?? '' };
    return null;
  }

  /** Restart into the downloaded update: the app flushes the core and relaunches. */
  async install(): Promise<void> {
    this.installing = true;
    this.changed();
    try {
      await this.client.request('installUpdate');
    } finally {
      this.installing = false;
      this.changed();
    }
  }

  later(): void {
    this.postponed = this.state.version ?? '';
    this.changed();
  }
}
