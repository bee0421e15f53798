import { once } from 'node:events';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
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
