// Why the page lost its link to the service, so the banner tells the truth: the service stopped
// (nothing answers at its address: start it again), or only the connection dropped (the service
// answers; the page reconnects by itself and the tasks keep running). Asked by probing the service's
// own page while the link is down, again every few seconds until it is back.
import type { ConnectionState, ContractClient } from '@shared/client/contract-client';

/** Resolves true when the service answers at its address, false when nothing does. */
export type ServiceProbe = () => Promise<boolean>;

const PROBE_EVERY_MS = 3000;

export type LinkDown = 'service-stopped' | 'connection-dropped' | 'unknown';

export class LinkStatus {
  /** null while connected (or connecting for the first time). */
  down: LinkDown | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private probing = false;

  constructor(
    client: ContractClient,
    private readonly probe: ServiceProbe | null,
    private readonly changed: () => void,
  ) {
    client.onState((s) => this.onState(s));
  }

  private onState(s: ConnectionState): void {
    const isDown = s === 'reconnecting' || s === 'offline';
    if (!isDown) {
      this.stop();
      if (this.down !== null) {
        this.down = null;
        this.changed();
      }
      return;
    }
    if (this.down === null) {
      this.down = 'unknown';
      this.changed();
    }
    if (!this.timer && !this.probing) void this.check();
  }

  private async check(): Promise<void> {
    if (!this.probe) return;
    this.probing = true;
    let answer: LinkDown;
    try {
      answer = (await this.probe()) ? 'connection-dropped' : 'service-stopped';
    } catch {
      answer = 'service-stopped';
    } finally {
      this.probing = false;
    }
    if (this.down === null) return; // back meanwhile
    if (answer !== this.down) {
      this.down = answer;
      this.changed();
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.down !== null) void this.check();
    }, PROBE_EVERY_MS);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
