// A failing key source is logged through Nest's Logger (context "Tokengate"), once, not once
// per request; `logger` in the options wins.
import 'reflect-metadata';
import type { LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FAILING_ISSUER, startFailingJwks } from '@tokengate/conformance';
import type { Verifier } from '@tokengate/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TOKENGATE_VERIFIER } from './constants.js';
import { TokengateModule } from './tokengate.module.js';

const ISSUER = FAILING_ISSUER;
let jwksUri: string;
let token: string;
let down: Awaited<ReturnType<typeof startFailingJwks>>;

beforeAll(async () => {
  down = await startFailingJwks();
  ({ jwksUri, token } = down);
});

afterAll(() => down.close());

function spyLogger() {
  return { log: vi.fn(), error: vi.fn(), warn: vi.fn(), debug: vi.fn(), verbose: vi.fn() };
}

async function verifierOf(
  module: ReturnType<typeof TokengateModule.forRoot>,
  logger: LoggerService,
) {
  const app = await NestFactory.createApplicationContext(module, { logger });
  return { app, verifier: app.get<Verifier>(TOKENGATE_VERIFIER) };
}

describe('key source outages', () => {
  it("are logged once through Nest's Logger with the URL and the cause", async () => {
    const nest = spyLogger();
    const { app, verifier } = await verifierOf(
      TokengateModule.forRoot({ jwksUri, issuer: ISSUER, audience: 'api' }),
      nest,
    );
    for (let i = 0; i < 5; i++)
      await expect(verifier.verify(token)).rejects.toMatchObject({ status: 503 });
    const lines = nest.error.mock.calls.filter(([message]) =>
      String(message).startsWith('tokengate:'),
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]).toEqual([
      expect.stringContaining(`${jwksUri}: unexpected HTTP status 500`),
      expect.objectContaining({ url: jwksUri, cause: { kind: 'http-status', status: 500 } }),
      'Tokengate',
    ]);
    await app.close();
  });

  it('go to the logger the options name instead', async () => {
    const nest = spyLogger();
    const own = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
    const { app, verifier } = await verifierOf(
      TokengateModule.forRoot({ jwksUri, issuer: ISSUER, audience: 'api', logger: own }),
      nest,
    );
    await expect(verifier.verify(token)).rejects.toMatchObject({ status: 503 });
    expect(own.error).toHaveBeenCalledTimes(1);
    expect(nest.error.mock.calls.filter(([m]) => String(m).startsWith('tokengate:'))).toEqual([]);
    await app.close();
  });
});
