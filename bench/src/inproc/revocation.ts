import type { JWTClaims } from '@tokengate/core';
import { createRedisStores, type RedisClientLike } from '@tokengate/redis';
import IoRedis from 'ioredis';
import { createClient } from 'redis';
import type { Fixture, TokenClaimsConfig } from '../tokens.js';
import { type Contender, coreContender, type RevocationHook } from './contenders.js';
import type { MeasureOptions } from './measure.js';
import { startRedisServer } from './redis-server.js';
import { type InProcessRow, runInProcess } from './run.js';

/** One row of the revocation section: a hook (or none) with the cache off or on. */
export interface RevocationRow {
  /** `none`, `memory` (a Set in this process) or the Redis client library. */
  hook: string;
  label: string;
  cache: boolean;
  opsPerSec: number | null;
  /** µs per verification (1e6 / opsPerSec). */
  usPerVerification: number | null;
  /** µs over the row without a hook, with the same cache setting. */
  addedUs: number | null;
  note?: string;
}

/** The revocation section of a run; `note` says why it was skipped (no rows then). */
export interface RevocationResult {
  alg: string;
  /** The redis-server version that answered. */
  redisVersion: string | null;
  rows: RevocationRow[];
  note?: string;
}

/** What the revocation section runs. */
export interface RevocationPlan extends MeasureOptions {
  /** Its `one` token is timed; `tokens[0]` is revoked, and must be refused before timing. */
  fixture: Fixture;
  claims: TokenClaimsConfig;
  /** Valid claims, wrong key: must be refused before timing. */
  forged: string;
  /** Pin redis-server to this CPU (the HTTP servers' one). */
  serverCpu?: number;
  /** The redis-server binary; default `$REDIS_SERVER` or `redis-server` on the PATH. */
  redisServer?: string;
  log?: (line: string) => void;
}

interface BenchClient {
  id: string;
  client: RedisClientLike;
  close(): void;
}

// Both clients set up as @tokengate/redis's README advises: fail fast while disconnected.
async function nodeRedis(url: string): Promise<BenchClient> {
  const client = createClient({ url, disableOfflineQueue: true });
  client.on('error', () => {});
  await client.connect();
  return { id: 'node-redis', client, close: () => client.destroy() };
}

async function ioredis(url: string): Promise<BenchClient> {
  const client = new IoRedis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
  });
  client.on('error', () => {});
  await client.connect();
  return { id: 'ioredis', client, close: () => client.disconnect() };
}

function payload(token: string): JWTClaims {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));
}

// The hook is live before it is timed: through the same contender, the valid token passes and
// the revoked one is refused as revoked.
async function checkHook(contender: Contender, plan: RevocationPlan, revoked: string) {
  const runner = (await contender.build(plan.fixture, plan.claims))!;
  try {
    await runner.run(runner.prepare(plan.fixture.one));
  } catch (error) {
    return `refused a valid token: ${(error as Error).message}`;
  }
  try {
    await runner.run(runner.prepare(revoked));
    return 'accepted a revoked token';
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return code === 'ERR_TOKEN_REVOKED' ? undefined : `revoked token refused with ${String(code)}`;
  }
}

function toRows(
  hooks: readonly RevocationHook[],
  timed: readonly InProcessRow[],
  notes: ReadonlyMap<string, string>,
): RevocationRow[] {
  const rows: RevocationRow[] = [];
  for (const cache of [false, true]) {
    const timedRow = (hook: RevocationHook) =>
      timed.find((r) => r.contender === coreContender(cache, false, hook).id);
    const base = timedRow(hooks[0]!)?.opsPerSec;
    for (const hook of hooks) {
      const row = timedRow(hook);
      const opsPerSec = row?.opsPerSec ?? null;
      const us = opsPerSec ? 1e6 / opsPerSec : null;
      const note = notes.get(hook.id) ?? row?.note ?? 'not timed';
      rows.push({
        ...{ hook: hook.id, label: hook.label, cache, opsPerSec, usPerVerification: us },
        addedUs: us !== null && base ? us - 1e6 / base : null,
        ...(us === null ? { note } : {}),
      });
    }
  }
  return rows;
}

/**
 * Time core's `createVerifier` on one token without `isRevoked`, with an in-memory one, and
 * with `@tokengate/redis`'s `revocations.isRevoked` over node-redis and ioredis against a
 * redis-server started on a free loopback port (stopped afterwards); cache off and on, rounds
 * interleaved as in the other in-process tables. Without a redis-server the section is skipped
 * with a note saying how to install one.
 *
 * @example
 * const result = await runRevocation({ fixture, claims, forged, warmupMs: 300, durationMs: 500, rounds: 5 });
 */
export async function runRevocation(plan: RevocationPlan): Promise<RevocationResult> {
  const alg = plan.fixture.alg;
  let redis: Awaited<ReturnType<typeof startRedisServer>>;
  try {
    redis = await startRedisServer({ binary: plan.redisServer, cpu: plan.serverCpu });
  } catch (error) {
    const note = `skipped: ${(error as Error).message}`;
    plan.log?.(`revocation check on Redis ${note}`);
    return { alg, redisVersion: null, rows: [], note };
  }
  const clients: BenchClient[] = [];
  try {
    for (const connect of [nodeRedis, ioredis]) clients.push(await connect(redis.url));
    const revoked = plan.fixture.tokens[0]!;
    const { jti, exp } = payload(revoked) as { jti: string; exp: number };
    const memory = new Set([jti]);
    const hooks: RevocationHook[] = [
      { id: 'none', label: 'none', isRevoked: undefined },
      { id: 'memory', label: 'a Set in this process', isRevoked: (c) => memory.has(c.jti!) },
    ];
    for (const { id, client } of clients) {
      const stores = createRedisStores({ client, prefix: `bench:${id}:` });
      await stores.revocations.revokeToken({ jti, exp });
      const label = `@tokengate/redis over ${id}`;
      hooks.push({ id, label, isRevoked: stores.revocations.isRevoked });
    }
    const notes = new Map<string, string>();
    const pool: Contender[] = [];
    for (const hook of hooks) {
      for (const cache of [false, true]) {
        const contender = coreContender(cache, false, hook);
        const problem = hook.isRevoked && (await checkHook(contender, plan, revoked));
        if (problem) notes.set(hook.id, problem);
        else pool.push(contender);
      }
    }
    plan.log?.(`revocation check on Redis (redis-server ${redis.version}, ${alg}):`);
    const timed = await runInProcess({
      ...plan,
      fixtures: [plan.fixture],
      forged: new Map([[alg, plan.forged]]),
      modes: ['one'],
      pool,
      contenders: undefined, // the run's --contenders name the other tables' rows
    });
    return { alg, redisVersion: redis.version, rows: toRows(hooks, timed, notes) };
  } finally {
    for (const c of clients) c.close();
    await redis.stop();
  }
}
