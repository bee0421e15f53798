import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runBench, settingsFor } from './bench.js';
import { renderMarkdown } from './report.js';

// The smoke mode checks the harness end to end on a few cases; it asserts shapes, never speed.
describe('pnpm bench --smoke (in process, a few cases)', () => {
  it('measures every case and renders well-formed markdown tables', async () => {
    const results = await runBench({
      ...settingsFor(true),
      algorithms: ['HS256', 'ES256'],
      contenders: ['core', 'core-cache', 'fast-jwt', 'floor', 'limit'],
      servers: ['hono/bare', 'hono/tokengate'],
      runtimes: [], // src/runtimes/runtimes.test.ts runs the other runtimes
      source: true, // tests never need a build
    });

    expect(results.inProcess).toHaveLength(2 * 5 * 2);
    for (const row of results.inProcess) {
      expect(row.note).toBeUndefined();
      expect(row.opsPerSec).toBeGreaterThan(0);
    }
    expect(results.http.map((r) => `${r.server}/${r.mode}`)).toEqual([
      'bare/one',
      'tokengate/one',
      'bare/distinct',
      'tokengate/distinct',
    ]);
    for (const row of results.http) {
      expect(row.note).toBeUndefined();
      expect(row.requestsPerSec).toBeGreaterThan(0);
      expect(row.ratioToBare).toBeGreaterThan(0);
      // One round in the smoke preset: the paired ratio is that round's ratio.
      expect(row.roundsRequestsPerSec).toHaveLength(1);
      expect(row.pairedRatioToBare).toBeCloseTo(row.ratioToBare!, 10);
      expect(row.p99Ms).toBeGreaterThanOrEqual(row.p50Ms!);
      // Server CPU per request comes from /proc (Linux); elsewhere it is reported as unknown.
      if (existsSync('/proc/self/stat')) expect(row.serverCpuUsPerRequest).toBeGreaterThan(0);
      else expect(row.serverCpuUsPerRequest).toBeNull();
    }
    // The revocation section ran against a real redis-server (installed wherever the Redis
    // tests run): every hook with the cache off and on, and the hook's cost beside none.
    const revocation = results.revocation!;
    expect(revocation.note).toBeUndefined();
    expect(revocation.alg).toBe('HS256'); // no RS256 in this run: the first algorithm
    expect(revocation.rows.map((r) => `${r.hook}/${r.cache ? 'on' : 'off'}`)).toEqual([
      ...['none/off', 'memory/off', 'node-redis/off', 'ioredis/off'],
      ...['none/on', 'memory/on', 'node-redis/on', 'ioredis/on'],
    ]);
    for (const row of revocation.rows) {
      expect(row.note).toBeUndefined();
      expect(row.usPerVerification).toBeCloseTo(1e6 / row.opsPerSec!, 6);
      expect(typeof row.addedUs).toBe('number');
    }
    // Steady state: the adapter's JWKS cache answers every request of the timed run.
    expect(results.http.filter((r) => r.server === 'tokengate').map((r) => r.jwksFetches)).toEqual([
      0, 0,
    ]);

    const markdown = renderMarkdown(results);
    const tables = markdown.split('\n\n').filter((block) => block.startsWith('|'));
    expect(tables).toHaveLength(6); // in process ×2, cache memory, revocation, HTTP, targets
    for (const table of tables) {
      const lines = table.trim().split('\n');
      const cells = (line: string) => line.split(' | ').length;
      expect(lines[1]).toMatch(/^\| (--- \| )*--- \|$/);
      for (const line of lines) expect(cells(line)).toBe(cells(lines[0]!));
    }
    expect(markdown).toMatch(/^Machine: \d+ CPUs \(.+\), Node v\d+/);
    expect(JSON.parse(JSON.stringify(results))).toEqual(results);
  });
});
