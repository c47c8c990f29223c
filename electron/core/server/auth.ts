// The per-launch token: a JWT signed with a secret that exists only in this process, so a token
// from a previous launch (or another instance) never verifies, whatever its expiry says.
import { randomBytes, randomUUID } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import { systemClock, type Clock } from '../clock';

export const DEFAULT_TOKEN_TTL_MS = 30 * 24 * 60 * 60 * 1000;

export interface TokenIssuer {
  /** A signed token for `userId` that expires after the issuer's ttl. */
  issue(userId?: string): Promise<string>;
  /** The token's user id, or null when it is forged, expired, from another launch, or garbage. */
  verify(token: string): Promise<string | null>;
}

export interface TokenIssuerOptions {
  clock?: Clock;
  ttlMs?: number;
}

export function createTokenIssuer(opts: TokenIssuerOptions = {}): TokenIssuer {
  const clock = opts.clock ?? systemClock;
  const ttlMs = opts.ttlMs ?? DEFAULT_TOKEN_TTL_MS;
  const secret = new Uint8Array(randomBytes(32));
  // The secret already differs per launch; the launch id makes that rule explicit in the claims.
  const launchId = randomUUID();

  return {
    async issue(userId = 'local') {
      const nowSec = Math.floor(clock.now() / 1000);
      return new SignJWT({ lid: launchId })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(userId)
        .setIssuedAt(nowSec)
        .setExpirationTime(nowSec + Math.ceil(ttlMs / 1000))
        .sign(secret);
    },
    async verify(token) {
      if (typeof token !== 'string' || token.length === 0 || token.length > 4096) return null;
      try {
        const { payload } = await jwtVerify(token, secret, {
          algorithms: ['HS256'],
          currentDate: new Date(clock.now()),
          requiredClaims: ['exp', 'sub'],
        });
        if (payload.lid !== launchId || typeof payload.sub !== 'string' || payload.sub === '') return null;
        return payload.sub;
      } catch {
        return null;
      }
    },
  };
}
