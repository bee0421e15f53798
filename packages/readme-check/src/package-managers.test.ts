// The README's claims declaration, tried the way an application meets it: the packed
// `@tokengate/core` and `@tokengate/express`, installed by npm (a flat node_modules, where the
// application can import core) and by pnpm (where it can import only what it depends on),
// and the TypeScript compiler, as `tsc --noEmit -p` runs it, over code that reads
// `req.auth?.claims.org` as a string.
import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractBlocks } from './markdown.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../../', import.meta.url));
const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  devDependencies: Record<string, string>;
};

// The documented declaration: the `declare global` statement of the Express README's
// "Typing the claims" block.
function readmeDeclaration(): string {
  const readme = 'packages/express/README.md';
  for (const block of extractBlocks(readFileSync(join(root, readme), 'utf8'), readme)) {
    const source = ts.createSourceFile('block.ts', block.code, ts.ScriptTarget.Latest, true);
    const global = source.statements.find(
      (s) => ts.isModuleDeclaration(s) && s.name.text === 'global',
    );
    if (global?.getText(source).includes('Tokengate')) return global.getText(source);
  }
  throw new Error(`${readme} no longer declares the claims in \`namespace Tokengate\``);
}

const MODULE_FORM = `declare module '@tokengate/core' {
  interface Register { claims: { sub: string; org: string } }
}`;

// What an application writes: only @tokengate/express is imported, core comes with it.
const app = (declaration: string) => `import express from 'express';
import { requireScopes } from '@tokengate/express';
${declaration}
const app = express();
app.get('/org', requireScopes('read'), (req, res) => {
  const org: string | undefined = req.auth?.claims.org;
  // @ts-expect-error the claims are read-only, as they are frozen at runtime
  if (req.auth) req.auth.claims.org = 'globex';
  res.json({ org });
});
`;

// A build older than its sources would test yesterday's types.
function assertBuilt(pkg: string): void {
  const dir = join(root, 'packages', pkg);
  const built = join(dir, 'dist/index.d.ts');
  const rebuild = `run \`pnpm --filter @tokengate/${pkg} build\` first`;
  if (!existsSync(built)) throw new Error(`packages/${pkg} has no dist: ${rebuild}`);
  const newest = (readdirSync(join(dir, 'src'), { recursive: true }) as string[])
    .filter((f) => f.endsWith('.ts') && !/\.test(-d)?\.ts$/.test(f))
    .reduce((max, f) => Math.max(max, statSync(join(dir, 'src', f)).mtimeMs), 0);
  if (newest > statSync(built).mtimeMs)
    throw new Error(`packages/${pkg}/dist is stale: ${rebuild}`);
}

// The registry packages an application brings itself, at the versions this repository tests.
const REGISTRY_DEPENDENCIES = ['express', '@types/express'];

type Manager = 'npm' | 'pnpm';

function writeApp(dir: string, manager: Manager, tarballs: Record<string, string>): void {
  mkdirSync(join(dir, 'src'), { recursive: true });
  const core = `file:${tarballs.core}`;
  const dependencies: Record<string, string> = { '@tokengate/express': `file:${tarballs.express}` };
  for (const name of REGISTRY_DEPENDENCIES) {
    dependencies[name] = manifest.devDependencies[name] as string;
  }
  // The packed express depends on `@tokengate/core@^0.0.0`: point that at the packed core
  // without making core a dependency of the application.
  const overrides =
    manager === 'npm'
      ? { overrides: { '@tokengate/core': core } }
      : { pnpm: { overrides: { '@tokengate/core': core } } };
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({
      name: `${manager}-app`,
      private: true,
      type: 'module',
      dependencies,
      ...overrides,
    }),
  );
  const cases = { global: app(readmeDeclaration()), module: app(MODULE_FORM), none: app('') };
  for (const [name, code] of Object.entries(cases))
    writeFileSync(join(dir, 'src', `${name}.ts`), code);
  const compilerOptions = {
    strict: true,
    target: 'es2022',
    lib: ['es2022'],
    module: 'nodenext',
    moduleResolution: 'nodenext',
    types: [],
    noEmit: true,
    skipLibCheck: true,
  };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['src'] }));
}

// Package managers read settings from the environment: drop what pnpm, running this test,
// sets for its own script (the package, the lifecycle, its dependency check), and keep what
// the machine configures (registry, proxy, cache).
const RUNNER_ENV =
  /^(npm_package_|npm_lifecycle_|npm_command$|npm_execpath$|npm_node_execpath$|npm_config_user_agent$|npm_config_verify_deps_before_run$|pnpm_config_|PNPM_PACKAGE_NAME$|INIT_CWD$)/i;

function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !RUNNER_ENV.test(key)));
}

async function install(dir: string, manager: Manager): Promise<void> {
  const args =
    manager === 'npm'
      ? ['install', '--prefer-offline', '--no-audit', '--no-fund', '--no-package-lock']
      : ['install', '--prefer-offline', '--no-frozen-lockfile'];
  await run(manager, args, { cwd: dir, env: cleanEnv(), timeout: 150_000 });
}

// Library and package declarations parsed once for every program (as readme-check does).
const parsed = new Map<string, ts.SourceFile | undefined>();

/**
 * Each case compiled alone with the app's tsconfig.json, as `tsc --noEmit -p` over a project
 * holding only that file would: its diagnostics as tsc prints them, `[]` when it compiles.
 */
function typecheck(dir: string, cases: readonly Case[]): Record<Case, string[]> {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(dir, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  if (config === undefined) throw new Error(`${dir}/tsconfig.json cannot be read`);
  const host = ts.createCompilerHost(config.options, true);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, ...rest) => {
    if (fileName.startsWith(join(dir, 'src'))) return getSourceFile(fileName, ...rest);
    if (!parsed.has(fileName)) parsed.set(fileName, getSourceFile(fileName, ...rest));
    return parsed.get(fileName);
  };
  const format: ts.FormatDiagnosticsHost = {
    getCanonicalFileName: (f) => f,
    getCurrentDirectory: () => dir,
    getNewLine: () => '\n',
  };
  const results = {} as Record<Case, string[]>;
  for (const name of cases) {
    const rootNames = [join(dir, 'src', `${name}.ts`)];
    const program = ts.createProgram({ rootNames, options: config.options, host });
    const text = ts.formatDiagnostics(ts.getPreEmitDiagnostics(program), format);
    results[name] = text.split('\n').filter((line) => /^\S.*error TS\d+/.test(line));
  }
  return results;
}

type Case = 'global' | 'module' | 'none';
const CASES: Case[] = ['global', 'module', 'none'];
const MANAGERS: Manager[] = ['npm', 'pnpm'];

let work: string;
const results = {} as Record<Manager, Record<Case, string[]>>;

beforeAll(async () => {
  assertBuilt('core');
  assertBuilt('express');
  work = mkdtempSync(join(tmpdir(), 'tokengate-package-managers-'));
  const tarballs: Record<string, string> = {};
  for (const pkg of ['core', 'express']) {
    await run('pnpm', ['pack', '--pack-destination', work], {
      cwd: join(root, 'packages', pkg),
      env: cleanEnv(),
    });
    const tarball = readdirSync(work).find((f) => f.startsWith(`tokengate-${pkg}-`));
    if (tarball === undefined) throw new Error(`pnpm pack left no tarball of ${pkg}`);
    tarballs[pkg] = join(work, tarball);
  }
  await Promise.all(
    MANAGERS.map(async (manager) => {
      const dir = join(work, manager);
      writeApp(dir, manager, tarballs);
      await install(dir, manager);
      results[manager] = typecheck(dir, CASES);
    }),
  );
}, 180_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe.each(MANAGERS)('an %s app that installs only @tokengate/express', (manager) => {
  it('gets @tokengate/core only as a dependency of the adapter', () => {
    const dir = join(work, manager);
    const { dependencies } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    expect(Object.keys(dependencies)).not.toContain('@tokengate/core');
    expect(existsSync(join(dir, 'node_modules/@tokengate/express/dist/index.d.ts'))).toBe(true);
    // npm hoists core where the application can import it; pnpm does not.
    expect(existsSync(join(dir, 'node_modules/@tokengate/core'))).toBe(manager === 'npm');
  });

  it("types req.auth.claims from the README's global declaration, read-only", () => {
    expect(results[manager].global).toEqual([]);
  });

  it('does not type the claims without a declaration', () => {
    expect(results[manager].none).toEqual([
      expect.stringMatching(
        /^src\/none\.ts\(6,\d+\): error TS2322: Type 'unknown' is not assignable/,
      ),
    ]);
  });

  it(`${manager === 'npm' ? 'types' : 'cannot type'} the claims with the module form`, () => {
    if (manager === 'npm') expect(results[manager].module).toEqual([]);
    else {
      expect(results[manager].module).toEqual([
        expect.stringMatching(
          /^src\/module\.ts\(3,16\): error TS2664: Invalid module name in augmentation, module '@tokengate\/core' cannot be found/,
        ),
        expect.stringMatching(/^src\/module\.ts\(8,\d+\): error TS2322: Type 'unknown'/),
      ]);
    }
  });
});
