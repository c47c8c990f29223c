// The app's state outside React, one part per job: tasks (paging, filter, focus), notices (toasts,
// banners), config (providers and settings) and the updater; the push dispatcher routes every server
// message to its part. Plain TS, so it is tested under Node against a real WebSocket server.
import type { ConnectionState, ContractClient } from '@shared/client/contract-client';
import type { FirstPage } from '../backend/early-link';
import { BatchesModel } from './batches-model';
import { ChangeNotifier, nextFrame, type NotifyScheduler } from './change-notifier';
import { ConfigModel } from './config-model';
import { LinkStatus, type ServiceProbe } from './link-status';
import { NoticesModel } from './notices-model';
import { SpendModel } from './spend-model';
import { dispatchServerMessage, type MessageTargets } from './push-dispatcher';
import { TasksModel } from './tasks-model';
import { UNDO_MS } from './task-deletions';
import { UpdateStatus } from './update-status';

export interface AppModelOptions {
  /** How long a delete can be undone (tests shorten it). */
  undoMs?: number;
  /** Browser mode: asks whether the service still answers when the link is down (link-status.ts). */
  probeService?: ServiceProbe | null;
  /** The first page of tasks the boot module already asked for (early-link.ts): taken instead of asking again. */
  firstPage?: Promise<FirstPage | null>;
}

export class AppModel implements MessageTargets {
  readonly notices: NoticesModel;
  readonly config: ConfigModel;
  readonly tasks: TasksModel;
  /** Batches and what was spent (issue 9). */
  readonly batches: BatchesModel;
  readonly spend: SpendModel;
  /** The desktop self-updater (always 'unsupported' in browser mode). */
  readonly update: UpdateStatus;
  connection: ConnectionState;
  /** Why the link is down, while it is. */
  readonly link: LinkStatus;
  private readonly notifier: ChangeNotifier;

  constructor(
    readonly client: ContractClient,
    toastMs = 6000,
    schedule: NotifyScheduler = nextFrame,
    options: AppModelOptions = {},
  ) {
    this.notifier = new ChangeNotifier(schedule);
    const changed = () => this.notifier.changed();
    this.notices = new NoticesModel(changed, toastMs);
    this.config = new ConfigModel(client, changed);
    this.tasks = new TasksModel(client, this.notices, changed, options.undoMs ?? UNDO_MS, options.firstPage);
    this.batches = new BatchesModel(client, changed);
    this.spend = new SpendModel(client, changed);
    this.link = new LinkStatus(client, options.probeService ?? null, changed);
    this.update = new UpdateStatus(client, changed);
    this.connection = client.connectionState;
    client.onState((s) => {
      this.connection = s;
      changed();
    });
    client.onMessage((msg) => dispatchServerMessage(msg, this));
    client.onReady(() => void this.resync().catch(() => undefined));
  }

  subscribe(listener: () => void): () => void {
    return this.notifier.subscribe(listener);
  }

  /** Changes once per notification to React (per frame), however many changes that covers. */
  get version(): number {
    return this.notifier.version;
  }

  /** After every (re)connect: the first page of the current view, counts, providers, settings, updater, batches, spend. */
  async resync(): Promise<void> {
    const first = Promise.all([this.tasks.resync(), this.config.load(), this.update.refresh()]);
    // Batches and spending after the first page: the first paint does not wait for them.
    const rest = first.then(() => Promise.all([this.batches.load(), this.spend.refresh()]));
    await Promise.all([first, rest]);
  }
}
