// Type tests for the IPC door's desktop-only pushes, compiled by `npm run typecheck`, never run: a push
// names a push type of the route table and carries that push's payload. Each `@ts-expect-error` line
// must fail to compile.
import type { IpcDoor } from './ipc-door';

declare const door: IpcDoor;

export function pushes(): void {
  door.push('focusTask', { videoId: 'tsk_1' });
  // @ts-expect-error a push type the contract does not have
  door.push('focusTsk', { videoId: 'tsk_1' });
  // @ts-expect-error a reply is not a push
  door.push('taskCreated', { videoId: 'tsk_1' });
  // @ts-expect-error the payload of another push
  door.push('focusTask', { level: 'info', code: 'X', message: 'hi' });
}
