// Core's sources (createVerifier, below) use Web API types, as in core's own tsconfig.
/// <reference lib="dom" />
import { once } from 'node:events';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { createVerifier } from '@tokengate/core';
import { createTestIssuer, type TestIssuer } from '@tokengate/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractBlocks } from './markdown.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const runDir = fileURLToPath(new URL('../.snippets/run/', import.meta.url));
const JWKS_URI = "'https://id.example.com/.well-known/jwks.json'";

interface Usage {
  /** The README line that starts the server, and what replaces it (port 0, exported). */
  listen: [string, string];
  audience: string;
  me: string;
  deleteThing: [path: string, status: number];
  health?: string;
}

// The first ts block of each README ("Usage"), run as written but for the JWKS URL (a test
// issuer on 127.0.0.1 with the README's `iss` and `aud`) and the port.
const usages: Record<string, Usage> = {
  express: {
    listen: ['app.listen(3000);', "export const server = app.listen(0, '127.0.0.1');"],
    audience: 'https://api.example.com',
    me: '/api/me',
    deleteThing: ['/api/things/1', 204],
    health: '/health',
  },
  fastify: {
    listen: [
      'await app.listen({ port: 3000 });',
      "await app.listen({ port: 0, host: '127.0.0.1' });\nexport const server = app.server;",
    ],
    audience: 'https://api.example.com',
    me: '/me',
    deleteThing: ['/things/1', 200],
    health: '/health',
  },
  hono: {
    listen: [
      'serve({ fetch: app.fetch, port: 3000 });',
      "export const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });",
    ],
    audience: 'api',
    me: '/api/me',
    deleteThing: ['/api/things/1', 204],
  },
  node: {
    listen: ['server.listen(3000);', "server.listen(0, '127.0.0.1');\nexport { server };"],
    audience: 'https://api.example.com',
    me: '/me',
    deleteThing: ['/things/1', 204],
    health: '/health',
  },
};

/** The README's usage block with the JWKS URL and the listen line replaced; throws if either is gone. */
function runnable(name: string, usage: Usage, jwksUri: string): string {
  const readme = `packages/${name}/README.md`;
  const block = extractBlocks(readFileSync(`${root}${readme}`, 'utf8'), readme)[0];
  const code = block?.code ?? '';
  for (const expected of [JWKS_URI, usage.listen[0]]) {
    if (!code.includes(expected))
      throw new Error(`${readme}: the usage block no longer contains ${expected}`);
  }
  return code.replace(JWKS_URI, JSON.stringify(jwksUri)).replace(usage.listen[0], usage.listen[1]);
}

describe.each(Object.entries(usages))('the %s README usage block, run', (name, usage) => {
  let issuer: TestIssuer;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    issuer = await createTestIssuer({
      issuer: 'https://id.example.com/',
      audience: usage.audience,
    });
    mkdirSync(runDir, { recursive: true });
    const file = `${runDir}${name}-usage.ts`;
    writeFileSync(file, runnable(name, usage, issuer.jwksUri));
    ({ server } = await import(/* @vite-ignore */ file));
    if (!server.listening) await once(server, 'listening');
    const address = server.address();
    if (!address || typeof address === 'string')
      throw new Error(`${name}: the server is not listening`);
    base = `http://127.0.0.1:${address.port}`;
  });

  afterAll(async () => {
    server?.close();
    await issuer?.close();
  });

  const get = (path: string, token?: string, method = 'GET') =>
    fetch(`${base}${path}`, { method, headers: token ? { authorization: `Bearer ${token}` } : {} });

  it('answers a request without a token with 401 and the Bearer challenge', async () => {
    const response = await get(usage.me);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it('answers a valid token with its subject', async () => {
    const response = await get(usage.me, await issuer.mint());
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ sub: 'test-user' });
  });

  it('refuses a token for another audience with 401 invalid_token', async () => {
    const response = await get(usage.me, await issuer.mint({ aud: 'someone-else' }));
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  it('needs the write:things scope to delete a thing', async () => {
    const [path, status] = usage.deleteThing;
    const without = await get(path, await issuer.mint({ scope: 'read:things' }), 'DELETE');
    expect(without.status).toBe(403);
    expect(without.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
    const granted = await get(path, await issuer.mint({ scope: 'write:things' }), 'DELETE');
    expect(granted.status).toBe(status);
  });

  const health = usage.health;
  if (health) {
    it('leaves the health route public', async () => {
      const response = await get(health);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('ok');
    });
  }
});

// The root README: the "Ten lines per framework" blocks trust the demo issuer
// (http://127.0.0.1:3000, audience tokengate-demo, ES256); here a test issuer with that `iss`
// serves the keys on a free port. Each block is found by the line that starts its server.
const ROOT_JWKS = "'http://127.0.0.1:3000/.well-known/jwks.json'";
const LOOPBACK = "{ port: 0, host: '127.0.0.1' }";
const rootBlocks: Record<string, [listen: string, replacement: string]> = {
  express: ['app.listen(3011);', "export const server = app.listen(0, '127.0.0.1');"],
  fastify: [
    'await app.listen({ port: 3012 });',
    `await app.listen(${LOOPBACK});\nexport const server = app.server;`,
  ],
  hono: [
    'serve({ fetch: app.fetch, port: 3013 });',
    "export const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });",
  ],
  nestjs: [
    'await (await NestFactory.create(AppModule)).listen(3014);',
    "const nest = await NestFactory.create(AppModule, { logger: false });\nawait nest.listen(0, '127.0.0.1');\nexport const server = nest.getHttpServer();\nexport const close = () => nest.close();",
  ],
  issuer: ['app.listen(3020);', "export const server = app.listen(0, '127.0.0.1');"],
};

interface Running {
  base: string;
  close(): Promise<void>;
}

/** Write the root README block that contains `listen`, rewritten, and import it. */
async function runRootBlock(name: string, replace: Record<string, string>): Promise<Running> {
  const blocks = extractBlocks(readFileSync(`${root}README.md`, 'utf8'), 'README.md');
  const [listen, replacement] = rootBlocks[name]!;
  let code = blocks.find((b) => b.code.includes(listen))?.code;
  if (!code) throw new Error(`README.md: no ts block contains ${listen}`);
  for (const [from, to] of Object.entries({ ...replace, [listen]: replacement })) {
    if (!code.includes(from)) throw new Error(`README.md (${name}): ${from} is gone`);
    code = code.replace(from, to);
  }
  mkdirSync(runDir, { recursive: true });
  // Nest's decorators are TypeScript's (legacy) ones.
  writeFileSync(
    `${runDir}tsconfig.json`,
    JSON.stringify({ compilerOptions: { experimentalDecorators: true, target: 'ES2022' } }),
  );
  const file = `${runDir}root-${name}.ts`;
  writeFileSync(file, code);
  const mod = (await import(/* @vite-ignore */ file)) as {
    server: Server;
    close?: () => Promise<void>;
  };
  if (!mod.server.listening) await once(mod.server, 'listening');
  const address = mod.server.address();
  if (!address || typeof address === 'string') throw new Error(`${name}: not listening`);
  const close = mod.close ?? (() => new Promise<void>((done) => mod.server.close(() => done())));
  return { base: `http://127.0.0.1:${address.port}`, close };
}

describe('the root README framework blocks, run', () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await createTestIssuer({
      issuer: 'http://127.0.0.1:3000',
      audience: 'tokengate-demo',
      algorithm: 'ES256',
    });
  });
  afterAll(() => issuer?.close());

  describe.each(['express', 'fastify', 'hono', 'nestjs'])('%s', (name) => {
    let api: Running;
    beforeAll(async () => {
      api = await runRootBlock(name, { [ROOT_JWKS]: JSON.stringify(issuer.jwksUri) });
    });
    afterAll(() => api?.close());

    const get = (path: string, token?: string) =>
      fetch(`${api.base}${path}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});

    it('serves /health without a token and refuses /me without one with 401', async () => {
      const health = await get('/health');
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
      const me = await get('/me');
      expect(me.status).toBe(401);
      expect(me.headers.get('www-authenticate')).toMatch(/^Bearer/);
    });

    it('returns the claims of a demo-issuer token on /me, and refuses a forged one', async () => {
      const ok = await get('/me', await issuer.mint({ sub: 'alice' }));
      expect(ok.status).toBe(200);
      expect(await ok.json()).toMatchObject({ sub: 'alice', iss: 'http://127.0.0.1:3000' });
      const other = await get('/me', await issuer.mint({ aud: 'another-api' }));
      expect(other.status).toBe(401);
      expect(other.headers.get('www-authenticate')).toContain('error="invalid_token"');
    });

    it('needs the admin scope for /admin', async () => {
      const without = await get('/admin', await issuer.mint({ scope: 'profile' }));
      expect(without.status).toBe(403);
      expect(without.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
      const granted = await get(
        '/admin',
        await issuer.mint({ sub: 'ada', scope: 'profile admin' }),
      );
      expect(granted.status).toBe(200);
      expect(await granted.json()).toEqual({ sub: 'ada' });
    });
  });
});

describe('the root README issuer block, run', () => {
  let api: Running;
  beforeAll(async () => {
    api = await runRootBlock('issuer', {});
  });
  afterAll(() => api?.close());

  const post = (path: string, body?: string, type = 'application/json') =>
    fetch(`${api.base}${path}`, {
      method: 'POST',
      ...(body === undefined ? {} : { body, headers: { 'content-type': type } }),
    });

  it('logs in with a no-store pair whose access token verifies against its JWK Set', async () => {
    const res = await post('/login', '{}');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const { access_token } = (await res.json()) as { access_token: string };
    const verifier = createVerifier({
      jwksUri: `${api.base}/.well-known/jwks.json`,
      issuer: 'http://127.0.0.1:3020',
      audience: 'tokengate-demo',
    });
    expect((await verifier.verify(access_token)).claims).toMatchObject({ sub: 'alice' });
  });

  it('rotates the refresh token and refuses the old one with 400 invalid_grant', async () => {
    const first = (await (await post('/login', '{}')).json()) as { refresh_token: string };
    const body = JSON.stringify({ refresh_token: first.refresh_token });
    expect((await post('/refresh', body)).status).toBe(200);
    const reuse = await post('/refresh', body);
    expect(reuse.status).toBe(400);
    expect(await reuse.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it.each([
    ['no body', undefined, 400, 'invalid_grant'],
    ['null', 'null', 400, 'invalid_request'],
    ['broken JSON', '{"refresh_token":', 400, 'invalid_request'],
    ['a number as the token', '{"refresh_token":42}', 400, 'invalid_grant'],
  ])('answers /refresh with %s as JSON %i %s, never a stack trace', async (_, body, status, error) => {
    const res = await post('/refresh', body);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const text = await res.text();
    expect(text).not.toMatch(/\bat .+:\d+:\d+/);
    expect(JSON.parse(text)).toMatchObject({ error });
  });
});
