// Where a running core's diagnostics come from: its settings, providers, store and start-up notices.
import type { ServerPayload } from '@shared/contract/messages';
import type { CoreDeps } from '../core-types';
import { logDirFor } from '../log-file';
import type { ProviderRegistry } from '../settings/provider-registry';
import type { SettingsService } from '../settings/settings-service';
import { toView } from '../tasks/record';
import type { TaskStore } from '../tasks/task-store';
import type { DiagnosticsSources } from './diagnostics-bundle';

export interface CoreParts {
  deps: CoreDeps;
  settings: SettingsService;
  registry: ProviderRegistry;
  store(): TaskStore | null;
  notices(): ServerPayload<'notice'>[];
  /** This launch's token, once issued. */
  token(): string | null;
}

export function coreDiagnosticsSources(parts: CoreParts): DiagnosticsSources {
  const { deps } = parts;
  return {
    dataDir: deps.dataDir,
    logDir: deps.diagnostics?.logDir ?? logDirFor(deps.dataDir),
    app: { version: deps.diagnostics?.appVersion ?? 'unknown', mode: deps.diagnostics?.mode ?? 'serve' },
    settings: () => parts.settings.get(),
    providers: () => parts.registry.list(),
    stats: () => parts.store()?.stats() ?? { total: 0, byStatus: { PENDING: 0, QUEUED: 0, PROCESSING: 0, COMPLETED: 0, FAILED: 0, CANCELLED: 0 } },
    recentTasks: (limit) => parts.store()?.list({ limit }).tasks.map(toView) ?? [],
    secretStore: { kind: deps.secrets.kind },
    notices: parts.notices,
    secretValues: () => [parts.token()].filter((t): t is string => t !== null),
    crashDumpsDir: deps.diagnostics?.crashDumpsDir,
  };
}
