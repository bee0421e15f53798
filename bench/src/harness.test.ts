import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type JwksServer, startJwksServer } from './http/jwks-server.js';
import { runLoad } from './http/load.js';
import { addRatios, type HttpRow, pairedRatio, runHttp } from './http/run.js';
import { startServer } from './http/spawn.js';
import { measure } from './inproc/measure.js';
import { runRevocation } from './inproc/revocation.js';
import { runInProcess } from './inproc/run.js';
import { describeMachine, renderMarkdown } from './report.js';
import { createFixture, type Fixture, forgeToken, IN_PROCESS_CLAIMS } from './tokens.js';

const quick = { warmupMs: 5, durationMs: 20 };

describe('measure', () => {
  it('refuses to time an empty input list', async () => {
    await expect(measure(() => 0, [], quick)).rejects.toThrow(TypeError);
  });

  it('cycles the inputs in order and counts synchronous and asynchronous calls', async () => {
    const seen: unknown[] = [];
    const sync = await measure((x) => seen.push(x), ['a', 'b', 'c'], quick);
    expect(sync.ops).toBeGreaterThan(0);
    expect(seen.slice(0, 4)).toEqual(['a', 'a', 'b', 'c']); // first call probes sync vs async
    const async = await measure(async () => 1, [1], quick);
    expect(async.opsPerSec).toBeGreaterThan(0);
  });
});

describe('in-process correctness gate', () => {
  let hs: Fixture;
  beforeAll(async () => {
    hs = await createFixture('HS256', IN_PROCESS_CLAIMS, 3);
  });
  const plan = { ...quick, claims: IN_PROCESS_CLAIMS, modes: ['one'] as const };

  it('does not time a verifier that accepts the forged token', async () => {
    const forged = new Map([['HS256', hs.one]]); // "forged" is really valid: every verifier accepts it
    const rows = await runInProcess({
      ...plan,
      fixtures: [hs],
      forged,
      contenders: ['core', 'floor'],
    });
    expect(rows.map((r) => [r.contender, r.opsPerSec, r.note])).toEqual([
      ['core', null, 'accepted a forged token'],
      ['floor', null, 'accepted a forged token'],
    ]);
  });

  it('does not time a verifier that refuses the valid token, and says why', async () => {
    const forged = new Map([['HS256', await forgeToken(hs, IN_PROCESS_CLAIMS)]]);
    const claims = { ...IN_PROCESS_CLAIMS, audience: 'someone-else' };
    const rows = await runInProcess({
      ...plan,
      claims,
      fixtures: [hs],
      forged,
      contenders: ['floor'],
    });
    expect(rows[0]?.opsPerSec).toBeNull();
    expect(rows[0]?.note).toBe('refused a valid token: aud');
  });

  it('marks an algorithm a library lacks as not supported (jsonwebtoken has no EdDSA)', async () => {
    const ed = await createFixture('EdDSA', IN_PROCESS_CLAIMS, 1);
    const forged = new Map([['EdDSA', await forgeToken(ed, IN_PROCESS_CLAIMS)]]);
    const rows = await runInProcess({
      ...plan,
      fixtures: [ed],
      forged,
      contenders: ['jsonwebtoken'],
    });
    expect(rows[0]?.note).toBe('algorithm not supported');
  });
});

describe('revocation section without a redis-server', () => {
  it('is skipped with a note that says how to install one, and rendered as that note', async () => {
    const fixture = await createFixture('HS256', IN_PROCESS_CLAIMS, 1);
    const result = await runRevocation({
      ...quick,
      fixture,
      claims: IN_PROCESS_CLAIMS,
      forged: await forgeToken(fixture, IN_PROCESS_CLAIMS),
      redisServer: '/nonexistent/redis-server',
    });
    expect(result).toEqual({
      alg: 'HS256',
      redisVersion: null,
      rows: [],
      note: expect.stringContaining('apt-get install redis-server'),
    });
    const markdown = renderMarkdown({
      ...{ machine: describeMachine(false, 0), settings: {}, inProcess: [], cacheMemory: [] },
      ...{ revocation: result, runtimes: [], http: [], targets: [] },
    });
    expect(markdown).toContain(
      '**In process, revocation check on Redis**: skipped: no executable /nonexistent/redis-server: install one with `apt-get install redis-server`',
    );
  });
});

describe('HTTP correctness gate', () => {
  let jwks: JwksServer;
  let rs: Fixture;
  beforeAll(async () => {
    jwks = await startJwksServer();
    rs = await createFixture('RS256', { issuer: jwks.issuer, audience: 'bench-api' }, 2);
    jwks.publish([rs.publicJwk!]);
  });
  afterAll(() => jwks.close());

  it('reports a server that fails to start instead of timing it', async () => {
    await expect(startServer({ env: { BENCH_SERVER: 'nope/none' } })).rejects.toThrow(
      /exited early \(2\).*unknown BENCH_SERVER "nope\/none"/s,
    );
  });

  it('does not time an adapter that lets the forged token through', async () => {
    const rows = await runHttp({
      servers: ['hono/tokengate'],
      modes: ['one'],
      jwks,
      audience: 'bench-api',
      one: rs.one,
      tokens: rs.tokens,
      forged: rs.tokens[0]!, // valid, so the adapter rightly answers 200: the gate must catch it
      warmupSec: 0,
      durationSec: 1,
      connections: 2,
      source: true,
    });
    expect(rows[0]).toMatchObject({
      requestsPerSec: null,
      note: 'correctness: forged token answered 200',
    });
  });
});

describe('paired ratios', () => {
  it('takes the median of the per-round ratios and skips failed rounds', () => {
    expect(pairedRatio([90, 80, 100], [100, 100, 100])).toBeCloseTo(0.9, 10);
    expect(pairedRatio([90, 70, 100, 95], [100, 100, 100, 100])).toBeCloseTo(0.925, 10);
    // A slow spell in round 2 hits both servers: the pair still says 0.9.
    expect(pairedRatio([90, 45, 90], [100, 50, 100])).toBeCloseTo(0.9, 10);
    // A failed round (NaN) is left out, not counted as zero.
    expect(pairedRatio([90, Number.NaN, 80], [100, 100, 100])).toBeCloseTo(0.85, 10);
    expect(pairedRatio([Number.NaN], [100])).toBeNull();
    expect(pairedRatio([], [])).toBeNull();
  });

  it('fills the paired ratio beside the best-of ratio, per framework and mode', () => {
    const row = (server: string, rounds: number[]): HttpRow => ({
      ...{ framework: 'hono', server, mode: 'one', ratioToBare: null, pairedRatioToBare: null },
      ...{ p50Ms: 0, p99Ms: 0, peakRssBytes: null, jwksFetches: 0, serverCpuUsPerRequest: null },
      ...{ non2xx: 0, errors: 0, roundsRequestsPerSec: rounds },
      requestsPerSec: Math.max(...rounds),
    });
    const [bare, ours] = addRatios([row('bare', [100, 60, 90]), row('tokengate', [80, 57, 81])]);
    expect(bare?.pairedRatioToBare).toBe(1);
    expect(ours?.ratioToBare).toBeCloseTo(0.81, 10); // best 81 over best 100
    expect(ours?.pairedRatioToBare).toBeCloseTo(0.9, 10); // 0.8, 0.95, 0.9
  });
});

describe('runLoad', () => {
  it('rotates the Authorization header through every token (distinct-token mode)', async () => {
    const seen = new Map<string, number>();
    const server = createServer((req, res) => {
      const value = req.headers.authorization ?? '';
      seen.set(value, (seen.get(value) ?? 0) + 1);
      res.end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      const result = await runLoad({
        url,
        tokens: ['t1', 't2', 't3'],
        durationSec: 1,
        connections: 2,
      });
      expect([...seen.keys()].sort()).toEqual(['Bearer t1', 'Bearer t2', 'Bearer t3']);
      const counts = [...seen.values()];
      expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(3); // evenly cycled
      expect(result.total).toBeGreaterThan(0);
      expect(result.non2xx).toBe(0);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
