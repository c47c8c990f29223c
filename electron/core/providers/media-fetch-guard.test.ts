// Attack-review finding 5: the media route and the library fetched any URL an upstream named, loopback and
// LAN included. A provider that is not local (its base URL names a public host) hands out video URLs
// pointing at a service on this machine, directly, by a name that resolves to loopback (DNS rebinding),
// or over plain http. Names are resolved by the test's own DNS table (dns.lookup patched in this process),
// so every connection still goes to 127.0.0.1.
import dns from 'node:dns';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createProviderClient } from './create-provider-client';
import { startRecordingUpstream, type RecordingUpstream } from './test-support/recording-upstream';

const NAMES: Record<string, string> = { 'relay.test': '127.0.0.1', 'cdn.rebind.test': '127.0.0.1', 'lan.test': '192.168.1.20' };
const realLookup = dns.lookup;
beforeAll(() => {
  (dns as { lookup: unknown }).lookup = (host: string, opts: unknown, cb?: unknown) => {
    const callback = (typeof opts === 'function' ? opts : cb) as (...a: unknown[]) => void;
    const options = (typeof opts === 'object' && opts ? opts : {}) as { all?: boolean };
    const address = NAMES[host];
    if (!address) return (realLookup as (...a: unknown[]) => void)(host, opts, cb);
    return options.all ? callback(null, [{ address, family: 4 }]) : callback(null, address, 4);
  };
});
afterAll(() => { (dns as { lookup: unknown }).lookup = realLookup; });

let provider: RecordingUpstream;
let internal: RecordingUpstream;
afterEach(async () => {
  await provider?.close();
  await internal?.close();
});

async function setup(providerHost: string, dialect: 'openai' | 'fal' = 'openai') {
  provider = await startRecordingUpstream((_r, res) => res.writeHead(200, { 'content-type': 'video/mp4' }).end('....ftyp'));
  internal = await startRecordingUpstream((_r, res) => res.writeHead(200, { 'content-type': 'video/mp4' }).end('internal secrets'));
  const port = new URL(provider.url).port;
  const client = createProviderClient({ dialect, baseUrl: `http://${providerHost}:${port}`, apiKey: 'sk-media-guard-0123456789abcdef' });
  const fetchVideo = (videoUrl: string) => client.fetchContent({ externalId: 'video_1', videoUrl }, 'video');
  return { client, fetchVideo, internalPort: new URL(internal.url).port };
}

describe('media is fetched only where the provider may keep it', () => {
  it('a public provider cannot send the media route or the library to a service on this machine', async () => {
    const { fetchVideo, internalPort } = await setup('relay.test');
    for (const url of [
      `http://127.0.0.1:${internalPort}/admin`,
      `http://localhost:${internalPort}/admin`,
      `http://[::ffff:127.0.0.1]:${internalPort}/admin`,
      // Plain http from another host, even one the relay may use.
      `http://cdn.rebind.test:${internalPort}/v.mp4`,
      // A name that resolves to loopback, over https: checked at connect time, not by the name.
      `https://cdn.rebind.test:${internalPort}/v.mp4`,
      `https://lan.test:${internalPort}/v.mp4`,
    ]) {
      await expect(fetchVideo(url), url).rejects.toMatchObject({ code: 'UPSTREAM_ERROR', transient: false });
    }
    expect(internal.requests).toEqual([]);
  });

  it('a dialect with its own media hosts (fal) fetches from no other host, and says why', async () => {
    const { fetchVideo } = await setup('relay.test', 'fal');
    const refused = fetchVideo('https://cdn.rebind.test/v.mp4');
    await expect(refused).rejects.toMatchObject({ code: 'UPSTREAM_ERROR', transient: false });
    await expect(refused).rejects.toThrow(/cdn\.rebind\.test is neither the provider's host nor one of its dialect's media hosts/);
    expect(internal.requests).toEqual([]);
  });

  it('a local provider (the demo, a relay on this machine) still gets its media from this machine', async () => {
    const { fetchVideo, internalPort } = await setup('127.0.0.1');
    const res = await fetchVideo(`http://127.0.0.1:${internalPort}/v.mp4`);
    expect(res.status).toBe(200);
    (res.body as NodeJS.ReadableStream & { destroy(): void }).destroy();
    expect(internal.requests).toHaveLength(1);
  });
});
