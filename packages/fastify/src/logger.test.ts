// A failing key source is logged through the app's logger (pino: details first, message
// second), once, not once per request; `logger` in the options wins.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bearer } from '@tokengate/testing/mint';
import Fastify from 'fastify';
import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { tokengate } from './index.js';

const ISSUER = 'https://id.example/';
let jwks: Server;
let jwksUri: string;
let token: string;

beforeAll(async () => {
  jwks = createServer((_req, res) => res.writeHead(500).end('down'));
  jwks.listen(0, '127.0.0.1');
  await once(jwks, 'listening');
  jwksUri = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json`;
  const { privateKey } = await generateKeyPair('ES256');
  token = await new SignJWT({ sub: 'u1' })
    .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
    .setIssuer(ISSUER)
    .setAudience('api')
    .setExpirationTime('1h')
    .sign(privateKey);
});

afterAll(() => {
  jwks.closeAllConnections();
  jwks.close();
});

async function appLogging(extra: Record<string, unknown> = {}) {
  const lines: Record<string, unknown>[] = [];
  const stream = { write: (line: string) => void lines.push(JSON.parse(line)) };
  const app = Fastify({ logger: { level: 'info', stream } });
  await app.register(tokengate, { jwksUri, issuer: ISSUER, audience: 'api', ...extra });
  app.get('/me', { onRequest: app.authenticate }, async () => 'ran');
  await app.ready();
  return { app, lines: () => lines.filter((l) => String(l.msg).startsWith('tokengate:')) };
}

describe('key source outages', () => {
  it("are logged once through the app's logger, with the URL and the cause as fields", async () => {
    const { app, lines } = await appLogging();
    for (let i = 0; i < 5; i++) {
      const res = await app.inject({ url: '/me', headers: bearer(token) });
      expect(res.statusCode).toBe(503);
      expect(res.body).not.toBe('ran');
    }
    expect(lines()).toHaveLength(1);
    expect(lines()[0]).toMatchObject({
      level: 50,
      msg: expect.stringContaining(`${jwksUri}: unexpected HTTP status 500`),
      url: jwksUri,
      cause: { kind: 'http-status', status: 500 },
    });
    await app.close();
  });

  it('go to the logger the options name instead, or nowhere with logger: false', async () => {
    const own = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
    const mine = await appLogging({ logger: own });
    await mine.app.inject({ url: '/me', headers: bearer(token) });
    expect(own.error).toHaveBeenCalledTimes(1);
    expect(mine.lines()).toEqual([]);
    await mine.app.close();
    const silent = await appLogging({ logger: false });
    expect((await silent.app.inject({ url: '/me', headers: bearer(token) })).statusCode).toBe(503);
    expect(silent.lines()).toEqual([]);
    await silent.app.close();
  });
});
