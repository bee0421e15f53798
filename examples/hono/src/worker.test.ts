import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The Workers entry (wrangler.toml `main`) bundled and run in workerd through miniflare.
describe('hono example on Cloudflare workerd', () => {
  let mf: Miniflare;
  let url: URL;
  beforeAll(async () => {
    const out = await build({
      entryPoints: [fileURLToPath(new URL('./worker.ts', import.meta.url))],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'browser',
      conditions: ['@tokengate/source', 'workerd', 'worker', 'browser'],
      logLevel: 'silent',
    });
    mf = new Miniflare({
      modules: true,
      script: out.outputFiles[0]?.text ?? '',
      compatibilityDate: '2025-09-01',
      bindings: { ISSUER: 'https://id.example.com', AUDIENCE: 'tokengate-demo' },
    });
    url = await mf.ready;
  });
  afterAll(() => mf?.dispose());

  it('serves the public health route', async () => {
    const res = await fetch(new URL('/health', url));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', framework: 'hono-workers' });
  });

  it('answers a protected route without a token with 401 and the realm challenge', async () => {
    const res = await fetch(new URL('/me', url));
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="tokengate-demo"');
    expect(await res.json()).toMatchObject({ code: 'ERR_TOKEN_MISSING' });
  });

  it('refuses a malformed token before any key is fetched', async () => {
    const res = await fetch(new URL('/me', url), { headers: { Authorization: 'Bearer nope' } });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 'invalid_token' });
  });
});
