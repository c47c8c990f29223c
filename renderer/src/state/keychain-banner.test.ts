// The keychain banner's state, fed by a real WebSocket core: the start-up notice, and a key operation
// that fails with the same code.
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeCore, fakeCoreClient, startFakeCore, waitFor, answerAnEmptyService } from '@shared/client/test-support/fake-core';
import { AppModel } from './app-model';

let core: FakeCore;
let model: AppModel;
const FIX = 'The system keychain cannot be reached, so API keys can be neither saved nor used. Install and unlock gnome-keyring.';

async function start(): Promise<void> {
  core = await startFakeCore();
  answerAnEmptyService(core);
  const client = fakeCoreClient(core, { reconnect: { baseMs: 20, maxMs: 50 } });
  model = new AppModel(client, 0);
  client.start();
  await waitFor(() => model.connection === 'connected', 'connected');
}

afterEach(async () => {
  model?.client.stop();
  await core?.close();
});

describe('keychain banner', () => {
  it('a KEYCHAIN_UNAVAILABLE notice raises it with the core\'s fix, not a toast; dismissed, a repeat does not bring it back', async () => {
    await start();
    expect(model.notices.keychain).toBeNull();
    core.push('notice', { level: 'error', code: 'KEYCHAIN_UNAVAILABLE', message: FIX });
    await waitFor(() => model.notices.keychain !== null, 'banner');
    expect(model.notices.keychain).toBe(FIX);
    expect(model.notices.toasts).toEqual([]);
    model.notices.dismissKeychain();
    expect(model.notices.keychain).toBeNull();
    core.push('notice', { level: 'error', code: 'KEYCHAIN_UNAVAILABLE', message: FIX });
    core.push('notice', { level: 'info', code: 'X', message: 'after' });
    await waitFor(() => model.notices.toasts.length === 1, 'the next notice');
    expect(model.notices.keychain).toBeNull();
  });

  it('a key operation refused with KEYCHAIN_UNAVAILABLE raises it too', async () => {
    await start();
    core.handlers.set('saveProvider', (m, reply) => reply('error', { code: 'KEYCHAIN_UNAVAILABLE', message: FIX }, m.id));
    await expect(model.config.saveProvider({ name: 'x', dialect: 'openai', baseUrl: 'http://127.0.0.1:9', apiKey: 'k' })).rejects.toThrow(FIX);
    expect(model.notices.keychain).toBe(FIX);
  });

  it('other notices and errors leave it alone', async () => {
    await start();
    core.push('notice', { level: 'warning', code: 'STORE_RECOVERED', message: 'recovered' });
    await waitFor(() => model.notices.toasts.length === 1, 'toast');
    expect(model.notices.keychain).toBeNull();
  });
});
