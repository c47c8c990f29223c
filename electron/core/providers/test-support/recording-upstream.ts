// A tiny real HTTP upstream on 127.0.0.1 for tests: it records every request (method, path,
// headers, body) and answers with whatever handler the test sets.
import http, { type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export type UpstreamHandler = (req: RecordedRequest, res: ServerResponse) => void;

export interface RecordingUpstream {
  /** http://127.0.0.1:PORT */
  url: string;
  requests: RecordedRequest[];
  handle(handler: UpstreamHandler): void;
  close(): Promise<void>;
}

export async function startRecordingUpstream(handler: UpstreamHandler = (_r, res) => res.end(), port = 0): Promise<RecordingUpstream> {
  let current = handler;
  const requests: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rec = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) };
      requests.push(rec);
      current(rec, res);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    handle: (h) => { current = h; },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** Parses a recorded multipart/form-data body with the platform's own parser. */
export async function formOf(req: RecordedRequest): Promise<FormData> {
  return new Request('http://127.0.0.1/', {
    method: 'POST', headers: { 'content-type': String(req.headers['content-type']) }, body: new Uint8Array(req.body),
  }).formData();
}
