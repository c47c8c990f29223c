// Request round trips: `ping` -> `pong` through SoraDesk's door and router, against a bare `ws` echo
// server, with 1 and 50 clients each sending pings one after another. The figure is throughput
// (round trips per second), so the ratio reads as "fraction of a bare echo".
import WebSocket, { WebSocketServer } from 'ws';
import { connectBenchClient, type BenchClient } from './support/bench-client';
import { startCoreUnderTest } from './support/core-under-test';
import type { BenchCase, Figure } from './support/figures';
import { alternate, median, timed } from './support/stats';

async function bareEcho(clients: number): Promise<{ roundTrips(n: number): Promise<void>; close(): Promise<void> }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  wss.on('connection', (ws) => ws.on('message', (data) => ws.send(String(data))));
  await new Promise((r) => wss.once('listening', r));
  const port = (wss.address() as { port: number }).port;
  const sockets = await Promise.all(Array.from({ length: clients }, async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}`);
    await new Promise((r) => ws.once('open', r));
    return ws;
  }));
  // The same work a client does with SoraDesk: send a request, parse the reply, match its id.
  const oneClient = (ws: WebSocket, n: number) =>
    new Promise<void>((resolve) => {
      let i = 0;
      const onMessage = (data: WebSocket.RawData) => {
        const msg = JSON.parse(String(data)) as { id: string };
        if (msg.id !== `p${i}`) throw new Error('reply out of order');
        if (++i === n) {
          ws.off('message', onMessage);
          return resolve();
        }
        ws.send(JSON.stringify({ type: 'ping', id: `p${i}` }));
      };
      ws.on('message', onMessage);
      ws.send(JSON.stringify({ type: 'ping', id: `p${i}` }));
    });
  return {
    roundTrips: async (n) => void (await Promise.all(sockets.map((ws) => oneClient(ws, n)))),
    async close() {
      for (const ws of sockets) ws.terminate();
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
      const bare = await bareEcho(n);
      const fleet: BenchClient[] = await Promise.all(Array.from({ length: n }, () => connectBenchClient(c.info.wsUrl, c.info.token)));
      try {
        const pings = async (cl: BenchClient) => {
          for (let i = 0; i < perClient; i++) {
            const reply = await cl.request('ping');
            if (reply.type !== 'pong') throw new Error(`ping answered ${reply.type}`);
          }
        };
        const r = await alternate(
          { rounds: ctx.quick ? 3 : 11, warmup: 2 },
          () => timed(() => bare.roundTrips(perClient)),
          () => timed(() => Promise.all(fleet.map(pings))),
        );
        const perSecond = (ms: number) => (n * perClient * 1000) / ms;
        return [{
          name: `ping round trips per second, ${n} client${n > 1 ? 's' : ''} (${perClient} each)`,
          unit: 'round trips/s',
          baselineIs: 'bare ws echo server, same client work',
          baseline: perSecond(median(r.baseline)),
          candidate: perSecond(median(r.candidate)),
          target: { ratioAtLeast: n > 1 ? 0.6 : 0.8 },
          rounds: r.candidate.length,
        }];
      } finally {
        await Promise.all(fleet.map((f) => f.close()));
        await bare.close();
        await c.stop();
      }
    },
  };
}

const cases: BenchCase[] = [pingCase(1, 1), pingCase(50, 5)];

export default cases;
