// The batches, as the core pushes them (`batchUpdated`: counts per status, held items, the estimate), and
// what can be done with one. Newest first.
import type { ContractClient } from '@shared/client/contract-client';
import type { BatchView } from '@shared/contract/batch';
import type { RequestInput, ServerPayload } from '@shared/contract/messages';

export class BatchesModel {
  private readonly byId = new Map<string, BatchView>();
  list: BatchView[] = [];

  constructor(
    private readonly client: ContractClient,
    private readonly changed: () => void,
  ) {}

  async load(): Promise<void> {
    const { batches } = await this.client.request('listBatches');
    this.byId.clear();
    for (const b of batches) this.byId.set(b.id, b);
    this.sort();
  }

  /** A batch as the core last said it (a reply or a push). */
  apply(batch: BatchView): void {
    this.byId.set(batch.id, batch);
    this.sort();
  }

  async create(payload: RequestInput<'createBatch'>): Promise<ServerPayload<'batchCreated'>> {
    const created = await this.client.request('createBatch', payload);
    this.apply(created.batch);
    return created;
  }

  async act(action: 'pauseBatch' | 'resumeBatch' | 'cancelBatch' | 'retryBatch', id: string): Promise<void> {
    this.apply((await this.client.request(action, { id })).batch);
  }

  private sort(): void {
    this.list = [...this.byId.values()].sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
    this.changed();
  }
}
