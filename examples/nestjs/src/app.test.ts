import 'reflect-metadata';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { INestApplication } from '@nestjs/common';
import { createTestIssuer, type TestIssuer } from '@tokengate/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';
import { bootstrap } from './main.js';

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await createTestIssuer({ audience: 'tokengate-demo' });
});
afterAll(() => issuer?.close());

const env = () => {
  const o = issuer.verifierOptions();
  return { JWKS_URI: o.jwksUri, ISSUER: o.issuer, AUDIENCE: String(o.audience), PORT: '0' };
};

describe.each(['express', 'fastify'])('the Nest example on %s', (platform) => {
  let app: INestApplication;
  let base: string;
  beforeAll(async () => {
    app = await bootstrap(loadConfig({ ...env(), PLATFORM: platform }), { logger: false });
    base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });
  afterAll(() => app?.close());

  const get = (path: string, token?: string) =>
    fetch(`${base}${path}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});

  it('serves the public route without a token', async () => {
    const res = await get('/public');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ message: 'Anyone can read this.' });
  });

  it('answers the protected route with 401 and a Bearer challenge without a token', async () => {
    const res = await get('/me');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="tokengate-demo"');
    expect(await res.json()).toMatchObject({ code: 'ERR_TOKEN_MISSING' });
  });

  it('shows the caller their subject and scopes with a JWKS-signed token', async () => {
    const res = await get('/me', await issuer.mint({ sub: 'alice', scope: 'read:things profile' }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ sub: 'alice', scopes: ['read:things', 'profile'] });
  });

  it('lists things only for a token with read:things', async () => {
    const ok = await get('/things', await issuer.mint({ scope: 'read:things' }));
    expect(await ok.json()).toEqual({ things: [{ id: 1, name: 'teapot' }] });
    const denied = await get('/things', await issuer.mint({ scope: 'profile' }));
    expect(denied.status).toBe(403);
    expect(denied.headers.get('www-authenticate')).toContain('scope="read:things"');
  });

  it('opens the admin route to either admin or write:things', async () => {
    const admin = await get('/things/admin', await issuer.mint({ sub: 'root', scope: 'admin' }));
    expect(await admin.json()).toEqual({ sub: 'root', things: 1 });
    const reader = await get('/things/admin', await issuer.mint({ scope: 'read:things' }));
    expect(reader.status).toBe(403);
  });

  it('refuses an expired token with 401 invalid_token', async () => {
    const res = await get('/me', await issuer.mint({}, { expiresIn: '-10m' }));
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 'invalid_token', code: 'ERR_TOKEN_EXPIRED' });
  });
});

describe('the start script', () => {
  let child: ChildProcess | undefined;
  afterAll(() => {
    child?.kill();
  });

  it('starts the app from the environment and serves a protected route over HTTP', async () => {
    const dir = join(dirname(fileURLToPath(import.meta.url)), '..');
    child = spawn(
      join(dir, 'node_modules/.bin/tsx'),
      ['--conditions=@tokengate/source', 'src/main.ts'],
      {
        cwd: dir,
        env: { PATH: process.env.PATH, ...env(), PLATFORM: 'fastify' },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      out += chunk;
    });
    while (!/listening on (\S+)/.test(out)) {
      await Promise.race([
        once(child.stdout!, 'data'),
        once(child, 'exit').then(() => {
          throw new Error(`the app exited: ${out}`);
        }),
      ]);
    }
    const url = /listening on (\S+)/.exec(out)![1]!.replace('[::1]', '127.0.0.1');
    const res = await fetch(`${url}/me`, {
      headers: { authorization: `Bearer ${await issuer.mint({ sub: 'bob' })}` },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ sub: 'bob' });
  });
});
