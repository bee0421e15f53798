// The soak's key source: a JWK Set on 127.0.0.1 whose signing key rotates, and which goes down
// on a schedule (connections dropped without an answer). Every request is counted per path, so
// each instance's fetches (one path per instance) can be checked against its rotation budget.
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';

/** A signing key of the rotation: its `kid`, public JWK and private key. */
export interface RotatingKey {
  kid: string;
  jwk: JWK;
  privateKey: CryptoKey;
}

async function newKey(): Promise<RotatingKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const kid = `soak-${randomUUID().slice(0, 8)}`;
  return {
    kid,
    jwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' },
    privateKey,
  };
}

/** The running key source. */
export interface JwksSource {
  readonly origin: string;
  /** The key new tokens are signed with. */
  current(): RotatingKey;
  /** Publish a new key beside the current one and sign with it from now on. */
  rotate(): Promise<void>;
  /** Down: drop every connection. Up: answer. */
  setUp(up: boolean): void;
  isUp(): boolean;
  /** The requests received, by path: when, and whether the source was up (answered). */
  readonly requests: Map<string, { at: number; up: boolean }[]>;
  close(): Promise<void>;
  /** Sign claims with the current key as an RFC 9068 access token. */
  sign(claims: Record<string, unknown>, header?: Record<string, unknown>): Promise<string>;
}

/**
 * Start the key source. `staticKeys` are published always (the example APIs' own issuing key,
 * which signs the tokens of /login and /refresh).
 */
export async function startJwksSource(staticKeys: JWK[]): Promise<JwksSource> {
  let keys = [await newKey()];
  let up = true;
  const requests = new Map<string, { at: number; up: boolean }[]>();
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    const times = requests.get(path) ?? [];
    requests.set(path, times);
    times.push({ at: Date.now(), up });
    if (!up) {
      req.socket.destroy();
      return;
    }
    // Five minutes, as identity providers commonly send: a new key is found through its
    // unknown `kid` (the rotation budget), not through the routine refresh.
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=300' });
    res.end(JSON.stringify({ keys: [...staticKeys, ...keys.map((k) => k.jwk)] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    requests,
    current: () => keys.at(-1) as RotatingKey,
    async rotate() {
      // The previous key stays published: tokens it signed a moment ago still verify.
      keys = [...keys.slice(-1), await newKey()];
    },
    setUp(value) {
      up = value;
    },
    isUp: () => up,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
    sign(claims, header = {}) {
      const key = keys.at(-1) as RotatingKey;
      return new SignJWT(claims)
        .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: key.kid, ...header })
        .sign(key.privateKey);
    },
  };
}
