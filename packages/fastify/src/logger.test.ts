// A failing key source is logged through the app's logger (pino: details first, message
// second), once, not once per request; `logger` in the options wins.

import { FAILING_ISSUER, startFailingJwks } from '@tokengate/conformance';
import { bearer } from '@tokengate/testing/mint';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { tokengate } from './index.js';

const ISSUER = FAILING_ISSUER;
let jwksUri: string;
let token: string;
let down: Awaited<ReturnType<typeof startFailingJwks>>;

beforeAll(async () => {
  down = await startFailingJwks();
  ({ jwksUri, token } = down);
});

afterAll(() => down.close());

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
