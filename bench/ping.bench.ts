// Request round trips: `ping` -> `pong` through SoraDesk's door and router, against a bare `ws` server
// that parses the frame and answers, with 1 and 50 clients (the same client code on both sides) each
// sending pings one after another. The figure is throughput (round trips per second), so the ratio
// reads as "fraction of a bare echo".
import { WebSocketServer } from 'ws';
import { connectBenchClient, type BenchClient } from './support/bench-client';
import { startCoreUnderTest } from './support/core-under-test';
import type { BenchCase, Figure } from './support/figures';
import { alternate, median, timed } from './support/stats';

/**
 * The least a server does to answer a ping: a bare `ws` server that parses each frame and replies with
 * its id (and says yes to any `auth`, so the same client can talk to it as to SoraDesk).
 */
async function bareServer(): Promise<{ wsUrl: string; close(): Promise<void> }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  wss.on('connection', (ws) =>
    ws.on('message', (data) => {
      const { type, id } = JSON.parse(String(data)) as { type: string; id: string };
      const reply = type === 'auth' ? { type: 'authenticated', payload: { user: { id: 'local' } } } : { type: 'pong', payload: {} };
      ws.send(JSON.stringify({ ...reply, id, timestamp: Date.now() }));
    }));
  await new Promise((r) => wss.once('listening', r));
  return {
    wsUrl: `ws://127.0.0.1:${(wss.address() as { port: number }).port}`,
    async close() {
      for (const ws of wss.clients) ws.terminate();
      await new Promise((r) => wss.close(r));
    },
  };
}

function pingCase(clients: number, quickClients: number): BenchCase {
  return {
    name: `ping through the router, ${clients} client${clients > 1 ? 's' : ''}`,
    async run(ctx): Promise<Figure[]> {
      const n = ctx.quick ? quickClients : clients;
      const perClient = ctx.quick ? 50 : Math.max(200, 4000 / n);
      const c = await startCoreUnderTest();
      const bare = await bareServer();
      // The same client on both sides: only the server differs.
      const fleet: BenchClient[] = await Promise.all(Array.from({ length: n }, () => connectBenchClient(c.info.wsUrl, c.info.token)));
      const bareFleet: BenchClient[] = await Promise.all(Array.from({ length: n }, () => connectBenchClient(bare.wsUrl, 'none')));
      try {
        const pings = async (cl: BenchClient) => {
          for (let i = 0; i < perClient; i++) {
            const reply = await cl.request('ping');
            if (reply.type !== 'pong') throw new Error(`ping answered ${reply.type}`);
          }
        };
        const r = await alternate(
          { rounds: ctx.quick ? 3 : 11, warmup: 2 },
          () => timed(() => Promise.all(bareFleet.map(pings))),
          () => timed(() => Promise.all(fleet.map(pings))),
        );
        const perSecond = (ms: number) => (n * perClient * 1000) / ms;
        return [{
          name: `ping round trips per second, ${n} client${n > 1 ? 's' : ''} (${perClient} each)`,
          unit: 'round trips/s',
          baselineIs: 'a bare ws server that parses the frame and answers pong, same client',
          baseline: perSecond(median(r.baseline)),
          candidate: perSecond(median(r.candidate)),
          target: { ratioAtLeast: n > 1 ? 0.6 : 0.8 },
          rounds: r.candidate.length,
        }];
      } finally {
        await Promise.all([...fleet, ...bareFleet].map((f) => f.close()));
        await bare.close();
        await c.stop();
      }
    },
  };
}

const cases: BenchCase[] = [pingCase(1, 1), pingCase(50, 5)];

export default cases;
