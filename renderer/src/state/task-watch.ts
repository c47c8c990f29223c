// The active tasks on screen are "watched" (subscribe_task): the core then looks at them sooner as
// they near their expected end. The UI says which tasks it shows; this keeps the core's task rooms in
// step, and joins them again after a reconnect (a new connection starts in no room).
import type { ContractClient } from '@shared/client/contract-client';

export class TaskWatch {
  private watched = new Set<string>();

  constructor(private readonly client: ContractClient) {}

  get ids(): ReadonlySet<string> {
    return this.watched;
  }

  /** The tasks to watch now: the ones newly shown join their rooms, the ones gone leave theirs. */
  set(videoIds: Iterable<string>): void {
    const next = new Set(videoIds);
    if (this.client.connectionState === 'connected') {
      for (const id of next) if (!this.watched.has(id)) this.send('subscribe_task', id);
      for (const id of this.watched) if (!next.has(id)) this.send('unsubscribe_task', id);
    }
    this.watched = next;
  }

  /** After a (re)connect: the rooms of the old connection are gone. */
  rejoin(): void {
    for (const id of this.watched) this.send('subscribe_task', id);
  }

  private send(type: 'subscribe_task' | 'unsubscribe_task', videoId: string): void {
    // A task deleted meanwhile answers NOT_FOUND: nothing to watch, nothing to tell the user.
    void this.client.request(type, { videoId }).catch(() => undefined);
  }
}
