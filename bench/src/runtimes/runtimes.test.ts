import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeMachine, renderMarkdown } from '../report.js';
import { checkTargets } from '../targets.js';
import { createFixture, type Fixture, forgeToken, IN_PROCESS_CLAIMS } from '../tokens.js';
import { stdioHost } from './hosts.js';
import { NODE_CONTENDERS } from './node-contenders.js';
import { type RuntimeResult, type RuntimeRow, runRuntimes } from './run.js';
import { createSuiteHandler, WEB_CONTENDERS } from './suite.js';
import { createWebFloorVerifier } from './web-floor.js';
import { type SuiteInput, toWire } from './wire.js';

const claims = IN_PROCESS_CLAIMS;
let hs: Fixture;
let ed: Fixture;
let forgedHs: string;
let forgedEd: string;

beforeAll(async () => {
  [hs, ed] = await Promise.all([
    createFixture('HS256', claims, 3),
    createFixture('EdDSA', claims, 3),
  ]);
  [forgedHs, forgedEd] = await Promise.all([forgeToken(hs, claims), forgeToken(ed, claims)]);
});

describe('the hand-written Web Crypto floor', () => {
  const signed = (payload: Record<string, unknown>, alg = 'HS256') =>
    new SignJWT(payload).setProtectedHeader({ alg }).sign(hs.secret!);

  it('accepts a valid token and returns its claims', async () => {
    const verify = await createWebFloorVerifier(toWire(ed, forgedEd), claims);
    await expect(verify(ed.one)).resolves.toMatchObject({ iss: claims.issuer, sub: 'user-0' });
  });

  it('refuses a bad signature, a wrong alg, claims and shape, each for its reason', async () => {
    const verify = await createWebFloorVerifier(toWire(hs, forgedHs), claims);
    const now = Math.floor(Date.now() / 1000);
    const good = { iss: claims.issuer, aud: claims.audience, exp: now + 60 };
    await expect(verify(forgedHs)).rejects.toThrow('signature');
    const [head, body, signature] = hs.one.split('.');
    const flipped = `${signature!.slice(0, 5)}${signature![5] === 'A' ? 'B' : 'A'}${signature!.slice(6)}`;
    await expect(verify(`${head}.${body}.${flipped}`)).rejects.toThrow('signature');
    await expect(verify(await signed(good, 'HS384'))).rejects.toThrow('alg');
    await expect(verify(await signed({ ...good, exp: now - 1 }))).rejects.toThrow('exp');
    await expect(verify(await signed({ ...good, iss: 'https://evil.example/' }))).rejects.toThrow(
      'iss',
    );
    await expect(verify(await signed({ ...good, aud: ['other'] }))).rejects.toThrow('aud');
    await expect(verify(`${hs.one}.x`)).rejects.toThrow('malformed');
    await expect(
      verify(await signed({ ...good, aud: ['other', claims.audience] })),
    ).resolves.toBeTruthy();
  });
});

describe('the runtime side (createSuiteHandler, here in Node)', () => {
  const handle = createSuiteHandler([...WEB_CONTENDERS, ...NODE_CONTENDERS]);
  const input = (forged: string): SuiteInput => ({
    claims,
    cacheEntries: 10,
    fixtures: [toWire(hs, forged)],
  });
  const ids = [
    'web',
    'web-cache',
    'jose',
    'web-floor',
    'subtle',
    'node',
    'node-cache',
    'node-floor',
  ];

  it('builds every verifier, lets the valid token through and refuses the forged one', async () => {
    const { cases, error } = await handle({ op: 'setup', input: input(forgedHs) });
    expect(error).toBeUndefined();
    expect(cases?.map((c) => [c.contender, c.note])).toEqual(ids.map((id) => [id, undefined]));
    expect(cases?.filter((c) => c.cached).map((c) => c.contender)).toEqual([
      'web-cache',
      'node-cache',
    ]);
    for (const contender of ids) {
      expect(
        await handle({ op: 'run', contender, alg: 'HS256', mode: 'distinct', iterations: 7 }),
      ).toEqual({});
    }
    expect(await handle({ op: 'prime', contender: 'web-cache', alg: 'HS256' })).toEqual({});
  });

  it('does not time a verifier that accepts the forged token, and answers errors as data', async () => {
    const { cases } = await handle({ op: 'setup', input: input(hs.tokens[0]!) }); // valid: must be refused
    expect(new Set(cases?.map((c) => c.note))).toEqual(new Set(['accepted a forged token']));
    expect(
      await handle({ op: 'run', contender: 'web', alg: 'HS256', mode: 'one', iterations: 1 }),
    ).toEqual({
      error: 'no ready case web/HS256',
    });
    expect(await handle({ op: 'nope' } as never)).toEqual({ error: 'unknown op nope' });
  });
});

describe('runRuntimes on Node, Bun, Deno and workerd', () => {
  it('runs the suite in each runtime and times every verifier (tiny plan: checks the harness)', async () => {
    // One runtime per call, all four at once: the test checks the harness, not the speed.
    const runtimes = ['node', 'bun', 'deno', 'workerd'] as const;
    const runs = runtimes.map((runtime) =>
      runRuntimes({
        runtimes: [runtime],
        fixtures: [hs],
        forged: new Map([['HS256', forgedHs]]),
        claims,
        modes: ['one'],
        cacheEntries: 10,
        ...{ warmupMs: 5, durationMs: 5, rounds: 1 },
        source: true,
      }),
    );
    const results = (await Promise.all(runs)).flat();
    expect(results.map((r) => [r.runtime, r.note])).toEqual([
      ['node', undefined],
      ['bun', undefined],
      ['deno', undefined],
      ['workerd', undefined],
    ]);
    expect(results.map((r) => r.version)).toEqual([
      expect.stringMatching(/^Node v\d+/),
      expect.stringMatching(/^Bun \d+\./),
      expect.stringMatching(/^Deno \d+\./),
      expect.stringMatching(/^workerd \(Miniflare \d+/),
    ]);
    const web = ['web', 'web-cache', 'jose', 'web-floor', 'subtle'];
    const node = ['node', 'node-cache', 'node-floor'];
    for (const result of results) {
      const expected = result.runtime === 'workerd' ? web : [...web, ...node]; // no node:crypto there
      expect(result.rows.map((r) => r.contender)).toEqual(expected);
      for (const row of result.rows) {
        expect(row.note).toBeUndefined();
        expect(row.opsPerSec).toBeGreaterThan(0);
        expect(row.roundsOpsPerSec).toHaveLength(1);
      }
    }
  }, 60_000);
});

describe('runtime targets and tables', () => {
  const rows = (runtime: RuntimeRow['runtime'], rates: Record<string, number>): RuntimeRow[] =>
    Object.entries(rates).map(([contender, opsPerSec]) => ({
      ...{ runtime, alg: 'HS256', contender, label: contender, mode: 'distinct' as const },
      ...{ tokens: 10, opsPerSec, roundsOpsPerSec: [opsPerSec] },
    }));
  const runtimes: RuntimeResult[] = [
    {
      runtime: 'node',
      version: 'Node v20',
      rows: rows('node', {
        web: 90,
        'web-floor': 100,
        'web-cache': 400,
        node: 70,
        'node-floor': 100,
        'node-cache': 1000,
      }),
    },
    {
      runtime: 'deno',
      version: 'Deno 2',
      rows: rows('deno', {
        ...{ web: 70, 'web-floor': 100, 'web-cache': 300 },
        ...{ node: 60, 'node-floor': 100, 'node-cache': 1000 },
      }),
    },
    { runtime: 'bun', version: 'unknown', rows: [], note: 'did not start: no binary' },
  ];

  it('marks each target met or not per runtime and algorithm', () => {
    const checks = checkTargets([], [], [], runtimes).map((c) => [c.target, c.scope, c.met]);
    expect(checks).toEqual([
      ['Web build uncached ≥ 0.8× Web Crypto floor', 'Node HS256', true],
      ['Node build uncached ≥ 0.8× node:crypto floor', 'Node HS256', false],
      ['Web build cached within 2× of Node build cached', 'Node HS256', false],
      ['Web build uncached ≥ 0.8× Web Crypto floor', 'Deno HS256', false],
    ]);
  });

  it('renders the ratios with their verdicts and says why a runtime has no numbers', () => {
    const markdown = renderMarkdown({
      ...{
        machine: describeMachine(false, 0),
        settings: { runtimeRounds: 5, runtimeDurationMs: 300 },
      },
      ...{ inProcess: [], cacheMemory: [], revocation: null, http: [], targets: [], runtimes },
    });
    expect(markdown).toContain('| Node | tokengate Web build ÷ Web Crypto floor | 0.90× ✅ |');
    expect(markdown).toContain('| Node | tokengate Node build ÷ node:crypto floor | 0.70× ❌ |');
    expect(markdown).toContain('| Node | Web build cached ÷ Node build cached | 0.40× ❌ |');
    expect(markdown).toContain('| Deno | tokengate Web build ÷ Web Crypto floor | 0.70× ❌ |');
    // The Node build's targets are set on Node only: elsewhere its ratios have no verdict.
    expect(markdown).toContain('| Deno | tokengate Node build ÷ node:crypto floor | 0.60× |');
    expect(markdown).toContain('| Deno | Web build cached ÷ Node build cached | 0.30× |');
    expect(markdown).toContain('**On Bun**: not measured: did not start: no binary');
    expect(markdown).toContain(
      '**On Deno, distinct tokens cycled** (Deno 2; 10 tokens; verifications/s, one after another, median of 5 × 300 ms, interleaved)',
    );
  });
});

describe('a runtime process that goes away', () => {
  it('answers the waiting and the later requests with an error instead of hanging', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tokengate-bench-test-'));
    const script = 'process.stderr.write("boom"); process.exit(3)';
    const host = stdioHost('node', 'Node', spawn(process.execPath, ['-e', script]), dir);
    const request = { op: 'prime', contender: 'web', alg: 'HS256' } as const;
    expect(await host.send(request)).toEqual({ error: 'node exited (3): boom' });
    expect(await host.send(request)).toEqual({ error: 'node exited (3): boom' });
    await host.close();
    expect(existsSync(dir)).toBe(false);
  });

  it('reports a binary that does not start', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tokengate-bench-test-'));
    const host = stdioHost('deno', 'Deno', spawn(join(dir, 'no-such-deno')), dir);
    const reply = await host.send({ op: 'prime', contender: 'web', alg: 'HS256' });
    expect(reply.error).toMatch(/^deno did not start: spawn .*no-such-deno ENOENT/);
    await host.close();
  });
});
