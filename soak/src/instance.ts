// One example API instance of the soak, in its own process (so that its RSS and event loop are
// its own): the example app with its login/refresh on the shared Redis, verifying through the
// soak's JWKS server. Reports `ready` and then a sample every second over IPC.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Telemetry } from '@tokengate/core';
import { createRedisStores } from '@tokengate/redis';
import { start as startExpress } from '@tokengate-examples/express';
import { start as startFastify } from '@tokengate-examples/fastify';
import { start as startHono } from '@tokengate-examples/hono';
import { start as startNest } from '@tokengate-examples/nestjs';
import {
  createAuthService,
  type ExampleDeps,
  type ListenOptions,
  type RunningApi,
  verifierOptions,
} from '@tokengate-examples/shared';
import { createClient } from 'redis';
import type { InstanceMessage } from './protocol.js';

const STARTS: Record<string, (deps: ExampleDeps, listen: ListenOptions) => Promise<RunningApi>> = {
  express: startExpress,
  fastify: startFastify,
  hono: startHono,
  nestjs: (deps, listen) => startNest(deps, listen),
};

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new TypeError(`${name} is not set`);
  return value;
}

const send = (message: InstanceMessage) => process.send?.(message);

async function main() {
  const framework = env('SOAK_FRAMEWORK');
  const start = STARTS[framework];
  if (!start) throw new TypeError(`SOAK_FRAMEWORK must be one of ${Object.keys(STARTS)}`);
  // Reconnect after a drop (the soak restarts Redis); fail fast while it is down.
  const client = createClient({
    url: env('SOAK_REDIS_URL'),
    disableOfflineQueue: true,
    socket: { reconnectStrategy: (retries) => Math.min(50 * retries, 500) },
  });
  client.on('error', () => {});
  await client.connect();
  const stores = createRedisStores({ client, prefix: env('SOAK_REDIS_PREFIX') });
  const service = await createAuthService({
    issuer: env('SOAK_ISSUER'),
    audience: env('SOAK_AUDIENCE'),
    signingKey: env('SOAK_SIGNING_KEY'),
    accessTokenTtl: 120,
    store: stores.refreshTokens,
  });
  let jwksFetches = 0;
  let jwksFailures = 0;
  // Every JWK Set fetch the verifier made, dated when it started (its end less its duration,
  // which is the instant its refetch policy counted): the rotation-budget check counts these.
  // The JWKS server sees them later, by as much as the event loop lags.
  let fetchLog: { at: number; ok: boolean }[] = [];
  const telemetry: Telemetry = {
    keySetFetch: (event) => {
      fetchLog.push({ at: Date.now() - event.durationMs, ok: event.outcome === 'success' });
    },
  };
  const options = verifierOptions(service, { jwksUri: env('SOAK_JWKS_URI'), clockTolerance: 5 });
  const deps: ExampleDeps = {
    service,
    verifier: {
      ...options,
      isRevoked: stores.revocations.isRevoked,
      telemetry,
      jwks: {
        onFetch: () => {
          jwksFetches++;
        },
        onFetchError: () => {
          jwksFailures++;
        },
      },
      dpop: { mode: 'allowed', origin: env('SOAK_DPOP_ORIGIN'), replayStore: stores.replay },
    },
  };
  const api = await start(deps, { port: 0 });
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  send({ type: 'ready', url: api.url, pid: process.pid });
  setInterval(() => {
    const memory = process.memoryUsage();
    send({
      type: 'sample',
      at: Date.now(),
      rss: memory.rss,
      heapUsed: memory.heapUsed,
      heapTotal: memory.heapTotal,
      external: memory.external,
      loopDelayP99: delay.percentile(99) / 1e6,
      loopDelayMax: delay.max / 1e6,
      jwksFetches,
      jwksFailures,
      jwksRequests: fetchLog,
    });
    fetchLog = [];
    delay.reset();
  }, 1000).unref();
  process.on('disconnect', () => {
    void api.close().finally(() => {
      client.destroy();
      process.exit(0);
    });
  });
}

main().catch((error: unknown) => {
  console.error(`soak instance: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});
