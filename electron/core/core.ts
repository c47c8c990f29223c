// createCore: builds the task service from what the shell or the CLI hands in, and runs it.
// The same code runs in Electron's main process and under `npm run serve`.
import fs from 'node:fs';
import path from 'node:path';
import { DEMO_PROVIDER_ID } from '@shared/contract/provider';
import { languageForLocale } from '@shared/contract/settings';
import type { ServerPayload } from '@shared/contract/messages';
import { systemClock } from './clock';
import { CONNECTION_FILE, writeConnectionFile } from './connection-file';
import type { ConnectionInfo, Core, CoreDeps } from './core-types';
import { coreDiagnosticsSources } from './diagnostics/core-diagnostics';
import { exportDiagnostics, type ExportDiagnosticsOptions } from './diagnostics/export-diagnostics';
import { startSimulator, type Simulator } from './providers/simulator/simulator';
import { createTokenIssuer } from './server/auth';
import type { Hub } from './server/door-types';
import { createHub } from './server/hub';
import { createLocalDoor, type LocalDoor } from './server/local-door';
import { createLibrary, type Library } from './library/library';
import { createServiceHandlers } from './handlers/service-handlers';
import { createLibraryMediaSource } from './library/library-media';
import { createRouter, type Router } from './server/router';
import { startWsDoor, type WsDoor } from './server/ws-door';
import { probeSecretStore } from './secrets/secret-store-probe';
import { holdSettingsInMemory } from './settings/held-settings';
import { DEMO_ORIGINS } from './settings/demo-providers';
import { PROVIDERS_KEY, ProviderRegistry } from './settings/provider-registry';
import { SettingsService } from './settings/settings-service';
import { createUpstreamMediaSource } from './tasks/media';
import { createPoller, type Poller } from './tasks/poller';
import { createTaskService } from './tasks/service';
import type { TaskService } from './tasks/service-types';
import { openTaskStore } from './tasks/store';
import type { TaskStore } from './tasks/task-store';
import { toView } from './tasks/record';

type Notice = ServerPayload<'notice'>;

/**
 * A hub that also greets each newly authenticated connection with what happened at start-up
 * (a recovered database): nobody was connected to hear it when it happened.
 */
function withStartupNotices(hub: Hub, notices: Notice[], now: () => number): Hub {
  return {
    add: (c) => hub.add(c),
    drop: (c) => hub.drop(c),
    joinUser: (c, userId) => {
      hub.joinUser(c, userId);
      // After the `authenticated` reply the router sends next: a client reads nothing before it.
      if (notices.length > 0) queueMicrotask(() => { for (const payload of notices) c.send({ type: 'notice', timestamp: now(), payload }); });
    },
    joinTask: (c, id) => hub.joinTask(c, id),
    leaveTask: (c, id) => hub.leaveTask(c, id),
    isWatched: (id) => hub.isWatched(id),
    publishTask: (userId, view) => hub.publishTask(userId, view),
    broadcast: (type, payload) => hub.broadcast(type, payload),
  };
}

/**
 * The OS locale as a POSIX system states it (LC_ALL, then LC_MESSAGES, then LANG: the order ICU reads
 * them in), else as ICU resolves it. Reading the environment spares loading ICU's locale data at every
 * start of `npm run serve` (about 8 MiB resident); only the language is taken from it.
 */
function systemLocale(): string {
  return process.env.LC_ALL || process.env.LC_MESSAGES || process.env.LANG || Intl.DateTimeFormat().resolvedOptions().locale;
}

export function createCore(deps: CoreDeps): Core {
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger;
  const notices: Notice[] = [];
  const hub = withStartupNotices(createHub({ clock, logger }), notices, () => clock.now());
  const tokens = createTokenIssuer({ clock });
  const locale = deps.locale ?? systemLocale();
  // Settings and provider profiles from memory; the file is written through and read again only after a hand edit.
  const settingsFile = holdSettingsInMemory(deps.settings, { clock, logger: logger.child({ component: 'settings' }) });
  const settings = new SettingsService(settingsFile, logger.child({ component: 'settings' }), { language: languageForLocale(locale) });
  const registry = new ProviderRegistry({ backend: settingsFile, secrets: deps.secrets, settings, logger: logger.child({ component: 'providers' }) });
  settingsFile.onExternalChange((changes) => {
    settings.reloaded(changes);
    // A profile edited by hand may point elsewhere now: its key is read again before it is sent anywhere.
    if (changes.some((c) => c.key === PROVIDERS_KEY)) registry.forgetKeys();
  });

  let store: TaskStore | null = null;
  let simulator: Simulator | null = null;
  let poller: Poller | null = null;
  let service: TaskService | null = null;
  let library: Library | null = null;
  let door: WsDoor | null = null;
  let router: Router | null = null;
  let localDoor: LocalDoor | null = null;
  let media: Core['media'];
  let connectionWritten = false;
  let stopping: Promise<void> | null = null;
  let token: string | null = null;
  const diagnosticsLog = logger.child({ component: 'diagnostics' });
  const exportBundle = async (opts?: ExportDiagnosticsOptions) => {
    const sources = coreDiagnosticsSources({ deps, settings, registry, store: () => store, notices: () => [...notices], token: () => token });
    try {
      const made = await exportDiagnostics(sources, { now: new Date(clock.now()), ...opts });
      diagnosticsLog.info('diagnostics exported', { path: made.path, bytes: made.bytes, includePrompts: opts?.includePrompts ?? false });
      return made;
    } catch (err) {
      diagnosticsLog.error('diagnostics export failed', { err });
      throw err;
    }
  };

  async function start(): Promise<ConnectionInfo> {
    fs.mkdirSync(deps.dataDir, { recursive: true, mode: 0o700 });
    // Asked now, answered while the store opens: can API keys be kept at all?
    const keychainCheck = probeSecretStore(deps.secrets);
    // The store takes the data-dir lock: a second service on the same dir stops here, before any door opens.
    store = await openTaskStore({ dataDir: deps.dataDir, logger: logger.child({ component: 'store' }), clock });
    // A crash leaves the last launch's file behind; its token and port are dead. Clients wait for the new one.
    fs.rmSync(path.join(deps.dataDir, CONNECTION_FILE), { force: true });
    for (const r of store.openReport.recovered) {
      notices.push({
        level: 'warning',
        code: 'STORE_RECOVERED',
        message: `The task database file ${path.basename(r.file)} was damaged (${r.reason}). It was kept as ${path.basename(r.movedTo)} and ${r.restoredFrom ? 'the last good copy was restored' : 'no good copy existed, so that file starts empty'}.`,
      });
    }

    // The demo names itself by origins that never change, so a stored demo task outlives the port.
    simulator = await startSimulator({
      logger, clock, jobDurationMs: deps.demoJobDurationMs, sampleDir: deps.demoSampleDir, dataDir: deps.dataDir, publicOrigins: DEMO_ORIGINS,
    });
    registry.setDemoBaseUrl(simulator.baseUrl, simulator.mediaUrl);

    service = createTaskService({ store, providers: registry, settings, hub, clock, logger: logger.child({ component: 'tasks' }), dataDir: deps.dataDir });
    if (service.batchesProblem) notices.push({ level: 'warning', code: 'BATCHES_RECOVERED', message: service.batchesProblem });
    library = createLibrary({
      store, hub, service, settings, clock, logger: logger.child({ component: 'library' }),
      defaultDir: deps.defaultLibraryDir ?? path.join(deps.dataDir, 'videos'),
    });
    const taskStore = store;
    router = createRouter({
      handlers: createServiceHandlers({ service, registry, settings, hub, updater: deps.updater, diagnostics: exportBundle }),
      hub,
      tokens,
      logger: logger.child({ component: 'router' }),
      clock,
      getTaskView: (videoId) => {
        const rec = taskStore.get(videoId);
        return rec && toView(rec);
      },
    });
    localDoor = createLocalDoor(router, hub);
    // The library's file first (it outlives the upstream's link), the upstream otherwise.
    media = createLibraryMediaSource({ store, upstream: createUpstreamMediaSource({ store, service }) });

    door = await startWsDoor({
      port: deps.port ?? 0,
      router,
      hub,
      allowedOrigins: deps.extraOrigins ?? [],
      logger: logger.child({ component: 'ws' }),
      http: { rendererDir: deps.rendererDir ?? null, media, tokens },
    });

    settingsFile.watch();

    const keychain = await keychainCheck;
    if (keychain) {
      notices.push(keychain.notice);
      logger.error(keychain.notice.message, { code: keychain.notice.code, cause: keychain.cause });
    }

    token = await tokens.issue('local');
    const info: ConnectionInfo = { wsUrl: door.wsUrl, httpUrl: door.httpUrl, token, pid: process.pid };
    writeConnectionFile(deps.dataDir, info);
    connectionWritten = true;
    // Clients can connect now; the routine work starts behind them, not before.
    poller = createPoller({ service, store, hub, settings, clock, logger: logger.child({ component: 'poller' }) });
    poller.start();
    library.start();
    logger.info('service started', { httpUrl: info.httpUrl, dataDir: deps.dataDir, defaultProvider: settings.get().defaultProviderId ?? DEMO_PROVIDER_ID });
    return info;
  }

  async function stopNow(): Promise<void> {
    settingsFile.close();
    poller?.stop();
    // Calls still waiting in the provider gate give up unsent, so the waits below end now, not after a rate window.
    service?.close();
    library?.stop();
    if (connectionWritten) {
      fs.rmSync(path.join(deps.dataDir, CONNECTION_FILE), { force: true });
      connectionWritten = false;
    }
    await door?.close().catch((err: unknown) => logger.warn('closing the WebSocket door failed', { err }));
    // Let upstream calls already under way store what they learn, so nothing lands after the store closes.
    await Promise.all([poller?.idle(), service?.idle(), library?.idle()]).catch((err: unknown) => logger.warn('waiting for work in flight failed', { err }));
    // Flush before anything else can fail: what clients were told is already on disk, the rest lands now.
    await store?.close().catch((err: unknown) => logger.error('flushing the task database failed', { err }));
    await simulator?.close().catch(() => undefined);
    logger.info('service stopped');
  }

  return {
    start,
    stop: () => (stopping ??= stopNow()),
    hub,
    get startupNotices() {
      return [...notices];
    },
    exportDiagnostics: exportBundle,
    get media() {
      return media;
    },
    forgetProviderKeys: () => registry.forgetKeys(),
    openLocalConnection(send) {
      if (!localDoor) throw new Error('the core is not started');
      return localDoor.openLocalConnection(send);
    },
  };
}
