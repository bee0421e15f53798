import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mint } from './test-support/tokens.js';

const run = promisify(execFile);
const require = createRequire(import.meta.url);

/**
 * The runtimes are devDependencies from npm (`bun`, `deno`); their binaries sit in
 * per-platform packages. A missing one fails the test instead of skipping it, so a green run
 * always means the middleware ran on both runtimes.
 */
function binary(wrapper: string, platformPackage: string, file: string): string {
  const missing = (cause?: unknown) =>
    new Error(
      `The ${wrapper} binary (${platformPackage}/${file}) is missing: it comes from the "${wrapper}" devDependency of @tokengate/hono; run pnpm install on a platform that package supports`,
      { cause },
    );
  let path: string;
  try {
    const from = createRequire(require.resolve(`${wrapper}/package.json`));
    path = join(dirname(from.resolve(`${platformPackage}/package.json`)), file);
  } catch (error) {
    throw missing(error);
  }
  if (!existsSync(path)) throw missing();
  return path;
}

const arch = process.arch === 'arm64' ? 'aarch64' : 'x64';
const bun = () => binary('bun', `@oven/bun-${process.platform}-${arch}`, 'bin/bun');
const deno = () =>
  binary('deno', `@deno/${process.platform}-${arch === 'x64' ? 'x64' : 'arm64'}-glibc`, 'deno');

describe('runtime binaries', () => {
  it('fails with a clear message instead of skipping when a runtime binary is missing', () => {
    expect(() => binary('bun', '@oven/bun-plan9-x64', 'bin/bun')).toThrow(
      /^The bun binary \(@oven\/bun-plan9-x64\/bin\/bun\) is missing/,
    );
  });
});

describe('jwtAuth on other runtimes', () => {
  let dir: string;
  let script: string;
  let token: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tokengate-hono-'));
    script = join(dir, 'smoke.mjs');
    const out = await build({
      entryPoints: [fileURLToPath(new URL('./test-support/smoke-entry.ts', import.meta.url))],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'neutral',
      target: 'es2022',
      mainFields: ['module', 'main'],
      conditions: ['@tokengate/source', 'import', 'default'],
      logLevel: 'silent',
    });
    await writeFile(script, out.outputFiles[0]?.text ?? '');
    token = await mint();
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const expected = {
    ok: { status: 200, body: { sub: 'user-1' } },
    forged: {
      status: 401,
      challenge: expect.stringMatching(/^Bearer realm="api", error="invalid_token"/),
    },
  };

  it('verifies a token and refuses a forged one on Bun', async () => {
    const { stdout } = await run(bun(), ['run', script], {
      env: { TOKEN: token },
      timeout: 20_000,
    });
    expect(JSON.parse(stdout)).toEqual(expected);
  });

  it('verifies a token and refuses a forged one on Deno', async () => {
    const { stdout } = await run(deno(), ['run', '--no-config', '--allow-env=TOKEN', script], {
      env: { TOKEN: token, DENO_NO_UPDATE_CHECK: '1', DENO_DIR: join(dir, 'deno') },
      timeout: 20_000,
    });
    expect(JSON.parse(stdout)).toEqual(expected);
  });
});
