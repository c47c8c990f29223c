// Type tests: compiled by `npm run typecheck`, never run. Each `@ts-expect-error` line must fail to
// compile; if one ever compiles (the route table stopped guarding it), tsc reports the unused
// directive and the typecheck fails.
import { expectTypeOf } from 'vitest';
import type { ContractClient } from '../client/contract-client';
import type { TaskView } from './task';

declare const client: ContractClient;

export async function replies(): Promise<void> {
  // A request resolves to its final reply's payload, no cast.
  const created = await client.request('createTask', { prompt: 'a cat', seconds: 4 });
  expectTypeOf(created).toEqualTypeOf<{ task: TaskView }>();
  const done = await client.request('requestMultipleTaskStatus', { videoIds: ['a'] }, {
    onItem: (m) => {
      // Streamed items are a batch's per-task answers: taskUpdated or error, nothing else.
      expectTypeOf(m.type).toEqualTypeOf<'taskUpdated' | 'error'>();
    },
  });
  expectTypeOf(done).toEqualTypeOf<{ videoIds: string[]; failed: string[] }>();
  const listed = await client.request('listTasks');
  expectTypeOf(listed.tasks).toEqualTypeOf<TaskView[]>();

  // @ts-expect-error createTask answers taskCreated, not a task list
  const wrong: { tasks: TaskView[] } = await client.request('createTask', { prompt: 'a cat' });
  void wrong;
  // @ts-expect-error a reply type is not a request type
  await client.request('taskCreated', {});
  // @ts-expect-error createTask needs a prompt
  await client.request('createTask', {});
  // @ts-expect-error seconds is a number or a string, not a boolean
  await client.request('createTask', { prompt: 'a cat', seconds: true });
  // @ts-expect-error getTask takes a videoId
  await client.request('getTask', { id: 'x' });
  // @ts-expect-error unknown request types do not compile
  await client.request('getSpendings');
}
