// Every request the service answers, one handler each, grouped by job. The type below makes the
// map complete: a route in shared/contract/routes.ts without its handler does not compile.
import type { ServiceHandlers, Hub } from '../server/door-types';
import type { TaskService } from '../tasks/service-types';
import type { UpdaterPort } from '../update-types';
import { createBatchHandlers } from './batch-handlers';
import { createDiagnosticsHandlers, type DiagnosticsExporter } from './diagnostics-handlers';
import { createProviderHandlers, type ProviderAdmin } from './provider-handlers';
import { createSettingsHandlers, type SettingsAdmin } from './settings-handlers';
import { createTaskHandlers } from './task-handlers';
import { createUpdateHandlers } from './update-handlers';

export interface ServiceHandlerDeps {
  service: TaskService;
  registry: ProviderAdmin;
  settings: SettingsAdmin;
  hub: Hub;
  /** The desktop self-updater; absent under `npm run serve`. */
  updater?: UpdaterPort;
  /** Writes a diagnostics bundle (the core's exportDiagnostics); absent in handler-level tests. */
  diagnostics?: DiagnosticsExporter;
}

export function createServiceHandlers(d: ServiceHandlerDeps): ServiceHandlers {
  return {
    ...createTaskHandlers(d.service),
    ...createBatchHandlers(d.service),
    ...createProviderHandlers(d.registry, d.service),
    ...createSettingsHandlers(d.settings, d.hub),
    ...createUpdateHandlers(d.updater, d.hub),
    ...createDiagnosticsHandlers(d.diagnostics),
  };
}
