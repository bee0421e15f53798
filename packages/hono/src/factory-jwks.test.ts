import { createTestIssuer, type TestIssuer } from '@tokengate/testing';
import { bearer } from '@tokengate/testing/mint';
import { type Context, Hono } from 'hono';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { jwtAuth } from './index.js';

// An options factory runs on every request (Workers read c.env there). These tests prove over
// a real JWKS server on 127.0.0.1 that the verifier it configures, and with it the JWKS cache,
// is built once, not per request: the server counts every JWKS fetch.

type E = { Bindings: { AUDIENCE: string } };
const N = 12;

let issuer: TestIssuer;

beforeAll(async () => {
  issuer = await createTestIssuer({ audience: 'api' });
});
afterAll(() => issuer.close());
beforeEach(() => issuer.resetRequests());

/** N requests, each with its own token (so no result cache hides a verification). */
async function send(app: Hono<E>, count: number, concurrent = false): Promise<number[]> {
  const one = async () => {
    const res = await app.request(
      '/me',
      { headers: bearer(await issuer.mint()) },
      { AUDIENCE: 'api' },
    );
    return res.status;
  };
  if (concurrent) return Promise.all(Array.from({ length: count }, one));
  const statuses: number[] = [];
  for (let i = 0; i < count; i++) statuses.push(await one());
  return statuses;
}

function appWith(middleware: ReturnType<typeof jwtAuth<E>>): Hono<E> {
  const app = new Hono<E>();
  app.get('/me', middleware, (c) => c.json({ sub: c.var.auth.claims.sub }));
  return app;
}

describe('jwtAuth with a jwksUri options factory', () => {
  it(`fetches the JWKS once over ${N} sequential requests although the factory runs each time`, async () => {
    const factory = vi.fn((c: Context<E>) => ({
      ...issuer.verifierOptions(),
      audience: c.env.AUDIENCE,
    }));
    const statuses = await send(appWith(jwtAuth<E>(factory)), N);
    expect(statuses).toEqual(Array(N).fill(200));
    expect(factory).toHaveBeenCalledTimes(N);
    expect(issuer.jwksRequests).toBe(1);
  });

  it(`fetches the JWKS once over ${N} concurrent requests`, async () => {
    const factory = (c: Context<E>) => ({ ...issuer.verifierOptions(), audience: c.env.AUDIENCE });
    const statuses = await send(appWith(jwtAuth<E>(factory)), N, true);
    expect(statuses).toEqual(Array(N).fill(200));
    expect(issuer.jwksRequests).toBe(1);
  });

  it('keeps one verifier per middleware, so a second middleware has its own JWKS cache', async () => {
    const factory = (c: Context<E>) => ({ ...issuer.verifierOptions(), audience: c.env.AUDIENCE });
    await send(appWith(jwtAuth<E>(factory)), 3);
    await send(appWith(jwtAuth<E>(factory)), 3);
    expect(issuer.jwksRequests).toBe(2);
  });

  it('builds a verifier per request when the options hold a new function each time, which the counter sees', async () => {
    const factory = (c: Context<E>) => ({
      ...issuer.verifierOptions(),
      audience: c.env.AUDIENCE,
      validators: [() => {}],
    });
    expect(await send(appWith(jwtAuth<E>(factory)), 3)).toEqual([200, 200, 200]);
    expect(issuer.jwksRequests).toBe(3);
  });

  it('with a cacheKey, fetches the JWKS once even when the options hold a new function each time', async () => {
    const factory = vi.fn((c: Context<E>) => ({
      ...issuer.verifierOptions(),
      audience: c.env.AUDIENCE,
      validators: [() => {}],
    }));
    const middleware = jwtAuth<E>(factory, { cacheKey: (c) => c.env.AUDIENCE });
    expect(await send(appWith(middleware), N)).toEqual(Array(N).fill(200));
    expect(factory).toHaveBeenCalledOnce();
    expect(issuer.jwksRequests).toBe(1);
  });
});
