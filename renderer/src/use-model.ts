// React's view of the AppModel: re-render on every model change (rows are memoised by task object).
import { useSyncExternalStore } from 'react';
import type { AppModel } from './state/app-model';

export function useModelVersion(model: AppModel): number {
  return useSyncExternalStore(
    (cb) => model.subscribe(cb),
    () => model.version,
  );
}
