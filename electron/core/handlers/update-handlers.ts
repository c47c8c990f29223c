// getUpdateState / installUpdate, and an `updateState` broadcast on every change of the desktop
// updater. Under `npm run serve` there is no updater: the state is 'unsupported'.
import type { UpdateState } from '@shared/contract/update';
import type { HandlerMap, Hub } from '../server/door-types';
import type { UpdaterPort } from '../update-types';

const UNSUPPORTED: UpdateState = { state: 'unsupported' };

export function createUpdateHandlers(updater: UpdaterPort | undefined, hub: Hub) {
  updater?.onState((state) => hub.broadcast('updateState', state));
  const current = () => updater?.getState() ?? UNSUPPORTED;
  return {
    getUpdateState(_p, ctx) {
      ctx.reply('updateState', current());
    },
    installUpdate(_p, ctx) {
      updater?.install();
      ctx.reply('updateState', current());
    },
  } satisfies HandlerMap;
}
