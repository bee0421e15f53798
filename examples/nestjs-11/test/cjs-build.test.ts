import { execFile, execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const appDir = resolve(here, '..');
const repo = resolve(appDir, '../..');
const secret = 'a-commonjs-test-secret-of-at-least-32-bytes';

// `pnpm test` builds every package first; a lone `vitest run` may find no dist, so build it.
function ensureBuilt(pkg: string) {
  if (!existsSync(join(repo, 'packages', pkg, 'dist/index.cjs'))) {
    execFileSync('pnpm', ['--filter', `@tokengate/${pkg}`, 'run', 'build'], { cwd: repo });
  }
}

describe('the CommonJS build in a CommonJS Nest 11 app', () => {
  let installDir: string;

  beforeAll(() => {
    ensureBuilt('core');
    ensureBuilt('nestjs');
    // Install the package the way a registry install does: a real directory inside the app,
    // so its `require('@nestjs/common')` finds the app's Nest 11, not the workspace's Nest 12.
    installDir = mkdtempSync(join(appDir, '.cjs-install-'));
    const target = join(installDir, 'node_modules/@tokengate/nestjs');
    mkdirSync(target, { recursive: true });
    const pkgDir = join(repo, 'packages/nestjs');
    cpSync(join(pkgDir, 'package.json'), join(target, 'package.json'));
    cpSync(join(pkgDir, 'dist'), join(target, 'dist'), { recursive: true });
    // Its own dependencies (core, cookie) beside it, as a flat install puts them.
    const { dependencies } = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
    for (const name of Object.keys(dependencies)) {
      const link = join(installDir, 'node_modules', name);
      mkdirSync(dirname(link), { recursive: true });
      symlinkSync(realpathSync(join(pkgDir, 'node_modules', name)), link, 'dir');
    }
    cpSync(join(appDir, 'src/cjs-app.cjs'), join(installDir, 'cjs-app.cjs'));
  }, 60_000);
  afterAll(() => rmSync(installDir, { recursive: true, force: true }));

  it.each([
    'express',
    'fastify',
  ])('loads dist/index.cjs with require() and guards a route on %s', async (platform) => {
    const token = await new SignJWT({ sub: 'cjs-user', scope: 'read:me' })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(secret));
    // A plain `node`, without the conditions vitest gives its workers.
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [join(installDir, 'cjs-app.cjs'), platform],
      { env: { PATH: process.env.PATH, SECRET: secret, TOKEN: token }, timeout: 20_000 },
    );
    const result = JSON.parse(stdout);
    expect(result.entry).toBe(join(installDir, 'node_modules/@tokengate/nestjs/dist/index.cjs'));
    expect(result.nest).toMatch(/^11\./);
    expect(result.sameNest).toBe(true);
    expect(result.ok).toEqual({ status: 200, challenge: null, body: { sub: 'cjs-user' } });
    expect(result.missing).toEqual({
      status: 401,
      challenge: 'Bearer realm="api"',
      body: {
        error: 'unauthorized',
        error_description: 'Authentication required',
        code: 'ERR_TOKEN_MISSING',
      },
    });
  });
});
