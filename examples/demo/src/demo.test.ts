import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { start as startExpress } from '@tokengate-examples/express';
import { describe, expect, it } from 'vitest';
import { runDemo, serveDemo } from './run.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));

function pnpmDemo(...args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('pnpm', ['demo', ...args], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, out }));
  });
}

const STEPS = [
  'POST /login (alice)',
  'GET /me',
  'GET /admin (no admin scope)',
  'GET /admin (ada, admin)',
  'GET /me, tampered token',
  'GET /me, expired token',
  'POST /refresh',
  'GET /me, new token',
  'POST /refresh, old token again',
  'POST /refresh, family revoked',
  'POST /token with a DPoP proof',
  'GET /me, DPoP token as Bearer',
  'GET /me, DPoP token, no proof',
  'GET /me, DPoP token + proof',
  'GET /me, same proof again',
];

describe('pnpm demo', () => {
  it('walks every framework through every step as expected and exits 0', async () => {
    const { code, out } = await pnpmDemo();
    expect(out).not.toContain('✗');
    expect(code, out).toBe(0);
    const names = ['express', 'fastify', 'hono', 'nestjs'];
    const header = out.split('\n').find((line) => line.startsWith('step '));
    expect(header?.split(/\s{2,}/)).toEqual(['step', 'expected', ...names]);
    for (const step of STEPS) {
      const row = out.split('\n').find((line) => line.startsWith(`${step}  `));
      expect(row, step).toBeDefined();
      expect(row!.match(/✓/g)).toHaveLength(names.length);
    }
    expect(out).toContain(`All ${STEPS.length * names.length} steps as expected.`);
  }, 90_000);

  it('refuses an unknown argument with usage and exit code 2', async () => {
    const { code, out } = await pnpmDemo('--nope');
    expect(code).toBe(2);
    expect(out).toContain('Unknown argument --nope. Usage: pnpm demo [--serve]');
  }, 60_000);
});

describe('runDemo', () => {
  it('reports a ✗ and resolves false when an API accepts an expired token or checks proofs for another origin', async () => {
    const lines: string[] = [];
    const misconfigured = {
      name: 'lenient',
      port: 0,
      // Misconfigured on purpose: an hour of clock tolerance lets the expired token through,
      // and DPoP proofs are checked against an origin the client's proofs do not name.
      start: (deps: Parameters<typeof startExpress>[0], listen: { port: number }) => {
        const dpop = { mode: 'allowed', origin: 'https://elsewhere.test' } as const;
        return startExpress(
          { ...deps, verifier: { ...deps.verifier, clockTolerance: 3600, dpop } },
          listen,
        );
      },
    };
    const ok = await runDemo({ frameworks: [misconfigured], log: (line) => lines.push(line) });
    expect(ok).toBe(false);
    const output = lines.join('\n');
    expect(output).toMatch(/GET \/me, expired token\s+401 ERR_TOKEN_EXPIRED\s+200 ✗/);
    expect(output).toMatch(/GET \/me, DPoP token \+ proof\s+200\s+401 ✗/);
    expect(output).toMatch(/POST \/token with a DPoP proof\s+200 DPoP\s+200 ✓/);
    expect(output).toContain('Some steps were NOT as expected');
  }, 30_000);
});

/** Whether a port on 127.0.0.1 can be listened on right now. */
async function isFree(port: number): Promise<boolean> {
  const server = createServer();
  try {
    server.listen(port, '127.0.0.1');
    await once(server, 'listening');
    await new Promise((done) => server.close(done));
    return true;
  } catch {
    return false;
  }
}

/** A base port such that it (the issuer) and the next one (the API) are both free. */
async function freePair(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const probe = createServer().listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const base = (probe.address() as { port: number }).port;
    await new Promise((done) => probe.close(done));
    if (base < 65_535 && (await isFree(base)) && (await isFree(base + 1))) return base;
  }
  throw new Error('no two consecutive free ports on 127.0.0.1');
}

/** Poll until `done()` holds; fail with `what` after `ms` rather than at the test timeout. */
async function waitFor(done: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('serveDemo', () => {
  it('keeps the APIs up with curl commands until told to stop', async () => {
    const base = await freePair();
    const lines: string[] = [];
    let stop = () => {};
    const until = new Promise<void>((resolve) => {
      stop = resolve;
    });
    const express = { name: 'express', port: 3001, start: startExpress };
    const served = serveDemo(base, { frameworks: [express], log: (l) => lines.push(l), until });
    await waitFor(() => lines.some((l) => l.includes('Ctrl+C')), 'the "Ctrl+C" line');
    const output = lines.join('\n');
    expect(output).toContain(`issuer   http://127.0.0.1:${base} `);
    expect(output).toContain(`express  http://127.0.0.1:${base + 1}`);
    const me = `curl -s http://127.0.0.1:${base + 1}/me -H "authorization: Bearer $ACCESS"`;
    expect(output).toContain(me);
    // One /me per API after the walk-through, under its own heading.
    expect(output.split('# the same token on every API\n')[1]).toContain(me);
    const health = await fetch(`http://127.0.0.1:${base + 1}/health`);
    expect(await health.json()).toEqual({ status: 'ok', framework: 'express' });
    stop();
    await served;
    expect(lines.at(-1)).toBe('Stopped.');
    await expect(fetch(`http://127.0.0.1:${base + 1}/health`)).rejects.toThrow();
  });
});
