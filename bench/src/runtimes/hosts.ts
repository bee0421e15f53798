import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { Miniflare } from 'miniflare';
import { bundleSuite } from './bundle.js';
import type { SuiteReply, SuiteRequest } from './wire.js';

/** The runtimes the cross-runtime bench knows. */
export const RUNTIMES = ['node', 'bun', 'deno', 'workerd'] as const;
export type RuntimeName = (typeof RUNTIMES)[number];

/** A runtime running the bench's suite, answering one request at a time. */
export interface RuntimeHost {
  name: RuntimeName;
  version: string;
  send(request: SuiteRequest): Promise<SuiteReply>;
  close(): Promise<void>;
}

const require = createRequire(import.meta.url);
const arch = process.arch === 'arm64' ? 'aarch64' : 'x64';

/**
 * The path of a runtime binary that an npm wrapper package (`bun`, `deno`) installs through a
 * per-platform optional dependency; a clear error when this platform has none.
 *
 * @example
 * runtimeBinary('bun'); // …/@oven/bun-linux-x64/bin/bun
 */
export function runtimeBinary(runtime: 'bun' | 'deno'): string {
  const [platformPackage, file] =
    runtime === 'bun'
      ? [`@oven/bun-${process.platform}-${arch}`, 'bin/bun']
      : [`@deno/${process.platform}-${arch === 'x64' ? 'x64' : 'arm64'}-glibc`, 'deno'];
  const missing = `the ${runtime} binary (${platformPackage}/${file}) is missing: it comes from the "${runtime}" devDependency of @tokengate/bench; run pnpm install on a platform it supports`;
  let path: string;
  try {
    const wrapper = createRequire(require.resolve(`${runtime}/package.json`));
    path = join(dirname(wrapper.resolve(`${platformPackage}/package.json`)), file);
  } catch {
    throw new Error(missing);
  }
  if (!existsSync(path)) throw new Error(missing);
  return path;
}

/**
 * Talk to a runtime child process over its stdin/stdout: requests go out one JSON line each,
 * replies come back in order, one JSON line each. When the child exits (or never starts), every
 * request still waiting, and every later one, is answered with an error saying so and the end
 * of its stderr. `close` ends its stdin, waits for it to exit and removes `dir`.
 *
 * @example
 * const host = stdioHost('node', 'Node v22', spawn(process.execPath, [script]), dir);
 */
export function stdioHost(
  name: RuntimeName,
  version: string,
  child: ChildProcess,
  dir: string,
): RuntimeHost {
  const waiting: ((reply: SuiteReply) => void)[] = [];
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2000);
  });
  const lines = createInterface({ input: child.stdout! });
  lines.on('line', (line) => waiting.shift()?.(JSON.parse(line) as SuiteReply));
  // A binary that cannot start emits 'error' and no 'exit': both end the waiting requests.
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => resolve(`exited (${signal ?? code})`));
    child.once('error', (error) => resolve(`did not start: ${error.message}`));
  });
  let ended: string | undefined;
  void exited.then((how) => {
    ended = `${name} ${how}: ${stderr.trim() || 'no output'}`;
    for (const resolve of waiting.splice(0)) resolve({ error: ended });
  });
  // Writing to a child that has gone fails on its stdin; `exited` already reports why.
  child.stdin!.on('error', () => {});
  return {
    name,
    version,
    send(request) {
      return new Promise((resolve) => {
        if (ended) return resolve({ error: ended });
        waiting.push(resolve);
        child.stdin!.write(`${JSON.stringify(request)}\n`);
      });
    },
    async close() {
      child.stdin!.end();
      const timer = setTimeout(() => child.kill(), 5000);
      await exited;
      clearTimeout(timer);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

const versionOf = (binary: string) =>
  execFileSync(binary, ['--version'], {
    encoding: 'utf8',
    env: { ...process.env, DENO_NO_UPDATE_CHECK: '1' },
  })
    .split('\n')[0]!
    .trim();

async function startStdio(
  name: Exclude<RuntimeName, 'workerd'>,
  source: boolean,
): Promise<RuntimeHost> {
  const dir = await mkdtemp(join(tmpdir(), 'tokengate-bench-'));
  const script = join(dir, 'suite.mjs');
  await writeFile(script, await bundleSuite('stdio', source));
  const stdio: ['pipe', 'pipe', 'pipe'] = ['pipe', 'pipe', 'pipe'];
  if (name === 'node') {
    const child = spawn(process.execPath, [script], { stdio });
    return stdioHost(name, `Node ${process.version}`, child, dir);
  }
  const binary = runtimeBinary(name);
  if (name === 'bun') {
    const child = spawn(binary, ['run', script], { stdio });
    return stdioHost(name, `Bun ${versionOf(binary)}`, child, dir);
  }
  // No config file lookup, no prompts, a private module cache: the bundle needs nothing else.
  const env = { ...process.env, DENO_NO_UPDATE_CHECK: '1', DENO_DIR: join(dir, 'deno') };
  const child = spawn(binary, ['run', '--no-config', '--no-prompt', script], { stdio, env });
  return stdioHost(name, versionOf(binary).replace(/^deno/, 'Deno'), child, dir);
}

async function startWorkerd(source: boolean): Promise<RuntimeHost> {
  const mf = new Miniflare({
    modules: true,
    script: await bundleSuite('worker', source),
    compatibilityDate: '2025-09-01',
  });
  await mf.ready;
  const { version } = require('miniflare/package.json') as { version: string };
  return {
    name: 'workerd',
    version: `workerd (Miniflare ${version})`,
    async send(request) {
      const response = await mf.dispatchFetch('http://bench.local/', {
        method: 'POST',
        body: JSON.stringify(request),
      });
      return (await response.json()) as SuiteReply;
    },
    close: () => mf.dispose(),
  };
}

/**
 * Start `runtime` running the bench suite (bundled with esbuild from this directory).
 *
 * @example
 * const host = await startRuntime('deno', false); await host.send({ op: 'setup', input });
 */
export function startRuntime(runtime: RuntimeName, source: boolean): Promise<RuntimeHost> {
  return runtime === 'workerd' ? startWorkerd(source) : startStdio(runtime, source);
}
