import { afterEach, describe, expect, it } from 'vitest';
import type { UpdateState } from '@shared/contract/update';
import { type FakeCore, fakeCoreClient, startFakeCore, waitFor, answerAnEmptyService } from '@shared/client/test-support/fake-core';
import { AppModel } from './app-model';

let core: FakeCore;
let model: AppModel;
/** What the stand-in core's updater says; tests move it along. */
let updater: UpdateState = { state: 'unsupported' };

/** A core with an updater; `withUpdater: false` is an older core that does not know the requests. */
async function start(withUpdater = true): Promise<void> {
  core = await startFakeCore();
  answerAnEmptyService(core);
  if (withUpdater) {
    core.handlers.set('getUpdateState', (_m, reply) => reply('updateState', updater));
    core.handlers.set('installUpdate', (_m, reply) => reply('updateState', updater));
  }
  const client = fakeCoreClient(core, { reconnect: { baseMs: 20, maxMs: 50 } });
  model = new AppModel(client, 0);
  client.start();
}

const asked = () => core.received.filter((m) => m.type === 'getUpdateState').length;

afterEach(async () => {
  model?.client.stop();
  await core?.close();
  updater = { state: 'unsupported' };
});

describe('the desktop updater in the UI model', () => {
  it('asks getUpdateState on connect and again after a reconnect', async () => {
    updater = { state: 'downloaded', version: '2.0.0' };
    await start();
    await waitFor(() => asked() === 1 && model.update.banner !== null, 'state asked on connect');
    updater = { state: 'error', message: 'net::ERR_INTERNET_DISCONNECTED' };
    core.dropAll();
    await waitFor(() => model.connection !== 'connected', 'noticed the drop');
    await waitFor(() => asked() === 2 && model.update.state.state === 'error', 'state asked after the reconnect');
    expect(model.update.banner).toBeNull();
    expect(model.update.settingsLine).toEqual({ kind: 'error', message: 'net::ERR_INTERNET_DISCONNECTED' });
  });

  it('a pushed "downloaded" state brings the banner with the version; progress shows only while downloading', async () => {
    updater = { state: 'idle' };
    await start();
    await waitFor(() => model.update.state.state === 'idle', 'first state');
    expect(model.update.banner).toBeNull();
    expect(model.update.settingsLine).toBeNull();
    core.push('updateState', { state: 'downloading', version: '2.1.0', progress: 41.6 });
    await waitFor(() => model.update.state.state === 'downloading', 'downloading push');
    expect(model.update.settingsLine).toEqual({ kind: 'downloading', version: '2.1.0', progress: 42 });
    expect(model.update.banner).toBeNull();
    core.push('updateState', { state: 'downloaded', version: '2.1.0' });
    await waitFor(() => model.update.banner !== null, 'banner');
    expect(model.update.banner).toEqual({ version: '2.1.0', installing: false });
    expect(model.update.settingsLine).toBeNull();
  });

  it('Restart sends installUpdate; Later hides the banner until a newer version is ready', async () => {
    updater = { state: 'downloaded', version: '2.1.0' };
    await start();
    await waitFor(() => model.update.banner !== null, 'banner');
    // The core answers once it has flushed; until then the button waits.
    let answer: (() => void) | null = null;
    core.handlers.set('installUpdate', (_m, reply) => { answer = () => reply('updateState', updater); });
    const installed = model.update.install();
    await waitFor(() => answer !== null, 'installUpdate received');
    expect(core.received.filter((m) => m.type === 'installUpdate')).toHaveLength(1);
    expect(model.update.banner).toEqual({ version: '2.1.0', installing: true });
    answer!();
    await installed;
    expect(model.update.banner).toEqual({ version: '2.1.0', installing: false });
    model.update.later();
    expect(model.update.banner).toBeNull();
    core.push('updateState', { state: 'downloaded', version: '2.1.0' });
    core.push('updateState', { state: 'downloaded', version: '2.2.0' });
    await waitFor(() => model.update.state.version === '2.2.0', 'newer version');
    expect(model.update.banner).toEqual({ version: '2.2.0', installing: false });
  });

  it('"unsupported" (browser mode, development) shows nothing at all, and says nothing', async () => {
    updater = { state: 'downloaded', version: '2.1.0' };
    await start();
    await waitFor(() => model.update.banner !== null, 'banner from the first core');
    core.push('updateState', { state: 'unsupported' });
    await waitFor(() => model.update.state.state === 'unsupported', 'unsupported push');
    expect(model.update.banner).toBeNull();
    expect(model.update.settingsLine).toBeNull();
    expect(model.notices.toasts).toEqual([]);
  });

  it('an older core that does not know getUpdateState leaves the updater unsupported, without an error toast', async () => {
    await start(false);
    await waitFor(() => asked() === 1 && model.config.settings !== null, 'synced');
    expect(model.update.state).toEqual({ state: 'unsupported' });
    expect(model.update.banner).toBeNull();
    expect(model.notices.toasts).toEqual([]);
  });
});
