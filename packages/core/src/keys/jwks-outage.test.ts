// A remote key source that breaks is loud once, with the URL and the cause, however many
// requests hit it, and says once when it works again; health() names the same cause.
import { once } from 'node:events';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { decodeProtectedHeader } from 'jose';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KeySetUnavailableError } from '../errors.js';
import type { Observer } from '../telemetry/observe.js';
import type { KeySetFetchEvent } from '../telemetry/types.js';
import {
  type Fault,
  type JwksServer,
  makeKey,
  sign,
  startJwksServer,
  type TestKey,
} from '../test-support/jwks-server.js';
import { CERT_KEY_PEM, CERT_PEM } from '../test-support/x509.js';
import { createRemoteKeySource } from './remote.js';
import type { RemoteJwksOptions } from './remote-options.js';
import type { KeySource, KeySourceFailureCause } from './types.js';

const T0 = Date.UTC(2026, 0, 1);
const REQUESTS = 12;
let server: JwksServer;
let k1: TestKey;
let token: string;

function spyLogger() {
  return { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
}

type Spy = ReturnType<typeof spyLogger>;

function source(
  logger: Spy,
  jwks: RemoteJwksOptions = {},
  jwksUri = `${server.origin}/jwks.json`,
  events: KeySetFetchEvent[] = [],
): KeySource {
  const observer: Observer = { logger, telemetry: { keySetFetch: (e) => void events.push(e) } };
  return createRemoteKeySource(
    { jwksUri, algorithms: ['ES256'], jwks: { timeoutDuration: 150, ...jwks } },
    undefined,
    observer,
  );
}

async function attempt(src: KeySource): Promise<unknown> {
  try {
    await src.getKey(decodeProtectedHeader(token), {});
    return 'ok';
  } catch (error) {
    return error;
  }
}

function advance(ms: number) {
  vi.setSystemTime(Date.now() + ms);
}

// Many requests, most of them after the backoff so that each one fetches again.
async function failMany(src: KeySource): Promise<void> {
  for (let i = 0; i < REQUESTS; i++) {
    expect(await attempt(src)).toBeInstanceOf(KeySetUnavailableError);
    expect(await attempt(src)).toBeInstanceOf(KeySetUnavailableError); // inside the backoff
    advance(31_000);
  }
}

function expectOneLine(spy: ReturnType<typeof vi.fn>, ...parts: (string | RegExp)[]) {
  expect(spy).toHaveBeenCalledTimes(1);
  const [message, details] = spy.mock.calls[0] as [string, Record<string, unknown>];
  for (const part of parts) expect(message).toMatch(part);
  return details;
}

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(T0);
  server = await startJwksServer();
  k1 = await makeKey('k1');
  token = await sign(k1);
  server.routes.set('/jwks.json', { body: { keys: [k1.jwk] } });
});

afterEach(async () => {
  vi.useRealTimers();
  await server.close();
});

const url = () => `${server.origin}/jwks.json`;

describe.each<[string, () => void, () => KeySourceFailureCause, RemoteJwksOptions, RegExp]>([
  [
    'answers HTTP 500',
    () => {
      server.fault = { kind: 'status', status: 500 };
    },
    () => ({ kind: 'http-status', status: 500 }),
    {},
    /unexpected HTTP status 500/,
  ],
  [
    'hangs past the timeout',
    () => {
      server.fault = { kind: 'delay', ms: 2_000 };
    },
    () => ({ kind: 'timeout', timeoutMs: 150 }),
    {},
    /timed out after 150 ms/,
  ],
  [
    'redirects',
    () => {
      server.fault = { kind: 'redirect', status: 302, location: `${server.origin}/moved` };
    },
    () => ({ kind: 'redirect', status: 302, location: `${server.origin}/moved` }),
    {},
    /redirect refused \(HTTP 302 to http:\/\/127\.0\.0\.1:\d+\/moved/,
  ],
  [
    'answers HTML instead of JSON',
    () => {
      server.fault = { kind: 'html' };
    },
    () => ({ kind: 'not-json' }),
    {},
    /not a JSON object/,
  ],
  [
    'answers a body over the size limit',
    () => {
      server.fault = { kind: 'huge', bytes: 256 * 1024 };
    },
    () => ({ kind: 'too-large', limit: 4096 }),
    { maxResponseSize: 4096 },
    /larger than 4096 bytes/,
  ],
  [
    'publishes a set without a usable key',
    () => {
      server.routes.set('/jwks.json', { body: { keys: [{ kty: 'oct', k: 'c2VjcmV0' }] } });
    },
    () => ({ kind: 'no-usable-key' }),
    {},
    /no usable verification key/,
  ],
  [
    'publishes JSON that is not a JWK Set',
    () => {
      server.routes.set('/jwks.json', { body: { issuer: 'x' } });
    },
    () => ({ kind: 'not-jwk-set' }),
    {},
    /not a JWK Set/,
  ],
])('a JWKS endpoint that %s', (_, breakIt, cause, jwks, phrase) => {
  it('is logged once as an error with the URL and the cause, then once as recovered', async () => {
    const logger = spyLogger();
    const events: KeySetFetchEvent[] = [];
    const src = source(logger, jwks, url(), events);
    breakIt();
    await failMany(src);
    const details = expectOneLine(logger.error, url(), phrase, /refused with 503/);
    expect(details).toMatchObject({ source: url(), url: url(), cause: cause(), servingKeys: 0 });
    expect(logger.warn).not.toHaveBeenCalled();
    expect(logger.info).not.toHaveBeenCalled();
    expect(events).toHaveLength(REQUESTS);
    expect(events[0]).toMatchObject({ url: url(), outcome: 'failure', cause: cause() });

    server.fault = { kind: 'none' } satisfies Fault;
    server.routes.set('/jwks.json', { body: { keys: [k1.jwk] } });
    expect(await attempt(src)).toBe('ok');
    expect(await attempt(src)).toBe('ok');
    const back = expectOneLine(logger.info, url(), /available again \(1 key\)/);
    expect(back).toMatchObject({ source: url(), keyCount: 1, failedFetches: REQUESTS });
    expect(logger.error).toHaveBeenCalledTimes(1);
    expect(events.at(-1)).toMatchObject({ outcome: 'success', keyCount: 1, url: url() });
  });

  it('shows the cause in health() until a fetch succeeds', async () => {
    const src = source(spyLogger(), jwks);
    breakIt();
    await failMany(src);
    const health = src.health?.();
    expect(health).toMatchObject({
      state: 'empty',
      failure: { url: url(), cause: cause(), since: T0, count: REQUESTS },
    });
    expect(health?.lastError).toMatch(phrase);
    expect(health?.lastError).toContain(url());
    server.fault = { kind: 'none' };
    server.routes.set('/jwks.json', { body: { keys: [k1.jwk] } });
    expect(await attempt(src)).toBe('ok');
    expect(src.health?.()).not.toHaveProperty('failure');
    expect(src.health?.()).not.toHaveProperty('lastError');
  });
});

describe('a JWKS endpoint that cannot be reached', () => {
  it('names a DNS failure with its code', async () => {
    const logger = spyLogger();
    const jwksUri = 'https://jwks.tokengate.invalid/jwks.json';
    const src = source(logger, { timeoutDuration: 5_000 }, jwksUri);
    for (let i = 0; i < 3; i++) {
      expect(await attempt(src)).toBeInstanceOf(KeySetUnavailableError);
      advance(31_000);
    }
    const details = expectOneLine(
      logger.error,
      jwksUri,
      /DNS lookup failed \((ENOTFOUND|EAI_AGAIN)\)/,
    );
    expect(details.cause).toEqual({
      kind: 'dns',
      code: expect.stringMatching(/^(ENOTFOUND|EAI_AGAIN)$/),
    });
    expect(src.health?.().failure?.cause.kind).toBe('dns');
  });

  it('names a TLS failure with its code (a self-signed certificate)', async () => {
    const tls = createHttpsServer({ cert: CERT_PEM, key: CERT_KEY_PEM }, (_req, res) =>
      res.end(JSON.stringify({ keys: [k1.jwk] })),
    );
    tls.listen(0, '127.0.0.1');
    await once(tls, 'listening');
    const jwksUri = `https://127.0.0.1:${(tls.address() as AddressInfo).port}/jwks.json`;
    try {
      const logger = spyLogger();
      const src = source(logger, { timeoutDuration: 5_000 }, jwksUri);
      for (let i = 0; i < 3; i++) {
        expect(await attempt(src)).toBeInstanceOf(KeySetUnavailableError);
        advance(31_000);
      }
      const details = expectOneLine(
        logger.error,
        jwksUri,
        /TLS handshake failed \(DEPTH_ZERO_SELF_SIGNED_CERT\)/,
      );
      expect(details.cause).toEqual({ kind: 'tls', code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
      expect(src.health?.().failure).toMatchObject({ url: jwksUri, count: 3 });
    } finally {
      tls.closeAllConnections();
      tls.close();
    }
  });
});

describe('an endpoint that fails after a good fetch', () => {
  it('warns once while the last good set verifies, errors once when it expires, recovers once', async () => {
    const logger = spyLogger();
    const src = source(logger, { cacheMaxAge: 60_000, staleIfErrorDuration: 300_000 });
    expect(await attempt(src)).toBe('ok');
    server.fault = { kind: 'status', status: 503 };
    advance(61_000); // past the max age: each request refreshes in the background
    for (let i = 0; i < 8; i++) {
      expect(await attempt(src)).toBe('ok');
      await vi.waitFor(() => expect(src.health?.().failure?.count).toBe(i + 1));
      advance(31_000);
    }
    const warned = expectOneLine(logger.warn, url(), /503/, /last good set \(1 key\)/);
    expect(warned).toMatchObject({ servingKeys: 1, cause: { kind: 'http-status', status: 503 } });
    expect(logger.error).not.toHaveBeenCalled();
    expect(src.health?.()).toMatchObject({ state: 'stale', keyCount: 1 });

    advance(300_000); // past the stale-if-error window: nothing left to serve
    for (let i = 0; i < 4; i++) {
      expect(await attempt(src)).toBeInstanceOf(KeySetUnavailableError);
      advance(31_000);
    }
    expectOneLine(logger.error, url(), /refused with 503/);
    expect(logger.warn).toHaveBeenCalledTimes(1);

    server.fault = { kind: 'none' };
    expect(await attempt(src)).toBe('ok');
    expectOneLine(logger.info, /available again/);
  });

  it('never lets a throwing logger fail a request', async () => {
    const boom = () => {
      throw new Error('logger down');
    };
    const src = source({ info: vi.fn(boom), warn: vi.fn(boom), error: vi.fn(boom) });
    server.fault = { kind: 'status', status: 500 };
    expect(await attempt(src)).toBeInstanceOf(KeySetUnavailableError);
    server.fault = { kind: 'none' };
    advance(31_000);
    expect(await attempt(src)).toBe('ok');
  });
});
