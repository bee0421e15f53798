// `tokengate` as a user installs it: the packed `@tokengate/core`, `@tokengate/issuer` and
// `@tokengate/cli` installed by npm into an ESM and a CommonJS application, the command run
// with `npx`, and the library entry loaded with `import` and `require`.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, cliDir } from './bin.js';

const run = promisify(execFile);
const packages = join(cliDir, '..');
const PACKED = ['core', 'issuer', 'cli'];

// What pnpm, running this test, sets for its own script must not reach npm.
const RUNNER_ENV =
  /^(npm_package_|npm_lifecycle_|npm_command$|npm_execpath$|npm_node_execpath$|npm_config_user_agent$|npm_config_verify_deps_before_run$|pnpm_config_|PNPM_PACKAGE_NAME$|INIT_CWD$)/i;
const env = () =>
  Object.fromEntries(Object.entries(process.env).filter(([k]) => !RUNNER_ENV.test(k)));

let work: string;
const apps: Record<'module' | 'commonjs', string> = { module: '', commonjs: '' };

beforeAll(async () => {
  assertBuilt();
  work = mkdtempSync(join(tmpdir(), 'tokengate-npx-'));
  const tarballs: string[] = [];
  for (const pkg of PACKED) {
    await run('pnpm', ['pack', '--pack-destination', work], {
      cwd: join(packages, pkg),
      env: env(),
    });
    const tarball = readdirSync(work).find((f) => f.startsWith(`tokengate-${pkg}-`));
    if (tarball === undefined) throw new Error(`pnpm pack left no tarball of ${pkg}`);
    tarballs.push(join(work, tarball));
  }
  await Promise.all(
    (['module', 'commonjs'] as const).map(async (type) => {
      const dir = join(work, type);
      mkdirSync(dir);
      const dependencies = Object.fromEntries(
        tarballs.map((t, i) => [`@tokengate/${PACKED[i]}`, `file:${t}`]),
      );
      writeFileSync(
        join(dir, 'package.json'),
        JSON.stringify({ name: `${type}-app`, private: true, type, dependencies }),
      );
      await run(
        'npm',
        ['install', '--prefer-offline', '--no-audit', '--no-fund', '--no-package-lock'],
        {
          cwd: dir,
          env: env(),
          timeout: 150_000,
        },
      );
      apps[type] = dir;
    }),
  );
}, 300_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe.each([
  'module',
  'commonjs',
] as const)('installed in a "type": "%s" application', (type) => {
  it('runs with npx: a minted token goes through inspect', async () => {
    const shell =
      'npx --no-install tokengate mint --aud api | npx --no-install tokengate inspect --json';
    const { stdout } = await run('bash', ['--norc', '--noprofile', '-o', 'pipefail', '-c', shell], {
      cwd: apps[type],
      env: env(),
    });
    expect(JSON.parse(stdout)).toMatchObject({
      verified: false,
      type: 'JWS',
      claims: { aud: 'api' },
    });
  });

  it('loads run() with import and with require', async () => {
    const probe = `import('@tokengate/cli').then((m) => console.log(typeof m.run, typeof require('@tokengate/cli').run))`;
    const { stdout } = await run(process.execPath, ['--input-type=commonjs', '--eval', probe], {
      cwd: apps[type],
    });
    expect(stdout.trim()).toBe('function function');
  });
});
