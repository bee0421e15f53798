import { bearer } from '@tokengate/testing/mint';
import { type Context, Hono } from 'hono';
import { describe, expect, it, vi } from 'vitest';
import { configKey } from './gate-cache.js';
import { jwtAuth } from './index.js';
import { mint, options } from './test-support/tokens.js';

describe('configKey', () => {
  it('gives equal configurations the same key regardless of key order', () => {
    expect(configKey({ a: 1, b: ['x'], c: new URL('https://x.test/j') })).toBe(
      configKey({ c: new URL('https://x.test/j'), b: ['x'], a: 1 }),
    );
    expect(configKey({ s: new Uint8Array([1, 2]) })).toBe(configKey({ s: new Uint8Array([1, 2]) }));
  });

  it('tells different values, types and functions apart', () => {
    expect(configKey({ a: 1 })).not.toBe(configKey({ a: '1' }));
    expect(configKey({ a: 'x' })).not.toBe(configKey({ a: new URL('https://x.test/') }));
    expect(configKey({ s: 'bytes:1.2' })).not.toBe(configKey({ s: new Uint8Array([1, 2]) }));
    expect(configKey({ f: () => 1 })).not.toBe(configKey({ f: () => 1 }));
    const f = () => 1;
    expect(configKey({ f })).toBe(configKey({ f }));
    expect(configKey({ a: undefined })).toBe(configKey({}));
  });

  it('refuses a cycle with a TypeError', () => {
    const o: Record<string, unknown> = {};
    o.self = o;
    expect(() => configKey(o)).toThrow(TypeError);
  });
});

describe('jwtAuth with an options factory', () => {
  type E = { Bindings: { AUDIENCE: string } };

  it('reads its configuration from c.env per request', async () => {
    const factory = vi.fn((c: Context<E>) => ({ ...options, audience: c.env.AUDIENCE }));
    const app = new Hono<E>();
    app.get('/p', jwtAuth(factory), (c) => c.json({ aud: c.var.auth.claims.aud }));
    const token = await mint();
    const ok = await app.request('/p', { headers: bearer(token) }, { AUDIENCE: 'api' });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ aud: 'api' });
    expect((await app.request('/p', { headers: bearer(token) }, { AUDIENCE: 'api' })).status).toBe(
      200,
    );
    const wrong = await app.request('/p', { headers: bearer(token) }, { AUDIENCE: 'other' });
    expect(wrong.status).toBe(401);
    expect(factory).toHaveBeenCalledTimes(3);
  });

  // The verified-token cache lives in the verifier: a validator that runs again means the
  // configuration's verifier was built again.
  it('keeps one verifier per configuration, the maxVerifiers most recently used', async () => {
    const validator = vi.fn();
    const base = { ...options, cache: true, validators: [validator] };
    const app = new Hono<E>();
    const factory = (c: Context<E>) => ({ ...base, audience: [c.env.AUDIENCE, 'api'] });
    app.get('/p', jwtAuth(factory, { maxVerifiers: 2 }), (c) => c.text('ok'));
    const headers = bearer(await mint());
    const send = (AUDIENCE: string) => app.request('/p', { headers }, { AUDIENCE });
    for (const tenant of ['a', 'a', 'b', 'a', 'c', 'a'])
      expect((await send(tenant)).status).toBe(200);
    expect(validator).toHaveBeenCalledTimes(3); // a, b, c: each verified once
    await send('b'); // evicted by c (a was used more recently)
    expect(validator).toHaveBeenCalledTimes(4);
  });

  it('calls the factory only on a cache miss when a cacheKey is given', async () => {
    const factory = vi.fn(() => options);
    const app = new Hono();
    app.get('/p', jwtAuth(factory, { cacheKey: () => 'tenant-1' }), (c) => c.text('ok'));
    const token = await mint();
    await app.request('/p', { headers: bearer(token) });
    await app.request('/p', { headers: bearer(token) });
    expect(factory).toHaveBeenCalledOnce();
  });

  it('answers 500 without leaking details when the factory returns invalid options', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {}); // Hono logs unhandled errors
    const app = new Hono();
    app.get(
      '/p',
      jwtAuth(() => ({ nonsense: true }) as never),
      (c) => c.text('ok'),
    );
    const res = await app.request('/p', { headers: bearer(await mint()) });
    expect(res.status).toBe(500);
    expect(await res.text()).not.toMatch(/nonsense|at /);
  });
});
