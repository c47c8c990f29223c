// The simulator's doors are checked like the service's own: only its own Host (so a DNS-rebound name
// reads nothing), no foreign Origin (so a page on another site can neither read nor create demo jobs), and
// only JSON bodies (a page's no-cors text/plain POST is not a request here). The service calls the simulator
// from Node, which sends no Origin at all.
import type { IncomingMessage } from 'node:http';
import { isAllowedHost } from '../../server/http-routes';
import { HttpError } from './sim-http';

export function checkRequest(req: IncomingMessage, port: number, opts: { multipartAllowed: boolean }): void {
  if (!isAllowedHost(req.headers.host, port)) throw new HttpError(403, 'Forbidden: this server answers only at its own loopback address');
  const origin = req.headers.origin;
  if (origin !== undefined && origin.toLowerCase() !== `http://127.0.0.1:${port}` && origin.toLowerCase() !== `http://localhost:${port}`) {
    throw new HttpError(403, 'Forbidden: requests from web pages are not accepted');
  }
  if (!hasBody(req)) return;
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'application/json') return;
  if (type === 'multipart/form-data' && opts.multipartAllowed) return;
  throw new HttpError(415, `Unsupported Media Type: send application/json${opts.multipartAllowed ? ' or multipart/form-data' : ''}`);
}

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  if (length !== undefined) return Number(length) > 0;
  return req.headers['transfer-encoding'] !== undefined;
}
