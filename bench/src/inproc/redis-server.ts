// A redis-server for the revocation section: a free loopback port, no persistence, stopped
// afterwards. A missing binary is reported (with how to install one), so that only this
// section is skipped.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
// The same port and readiness probes as the Redis package's tests.
import { answersPing, freePort } from '../../../packages/redis/src/test-support/redis-server.js';

/** How to get a redis-server, for the skip note. */
export const REDIS_INSTALL_HINT =
  'install one with `apt-get install redis-server` (Debian/Ubuntu) or set REDIS_SERVER to its path';

/** A redis-server started by the benchmark. */
export interface BenchRedisServer {
  /** `redis://127.0.0.1:<port>`. */
  url: string;
  /** What `redis-server --version` says, e.g. `7.0.15`. */
  version: string;
  stop(): Promise<void>;
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

// The binary's full path, or undefined: checked before spawning, since `taskset` would
// otherwise be the process that fails to find it.
function findBinary(binary: string): string | undefined {
  if (binary.includes('/')) return executable(binary) ? binary : undefined;
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  return dirs.map((dir) => join(dir, binary)).find(executable);
}

function stopped(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

/**
 * Start `redis-server` (or `binary`, default `$REDIS_SERVER`) on a free 127.0.0.1 port with
 * `--save '' --appendonly no`, pinned to `cpu` with taskset when given, and wait until it
 * answers PING. Rejects, saying how to install one, when the binary is missing.
 *
 * @example
 * const redis = await startRedisServer({ cpu: 1 });
 * try { ... } finally { await redis.stop(); }
 */
export async function startRedisServer(
  options: { binary?: string; cpu?: number } = {},
): Promise<BenchRedisServer> {
  const name = options.binary ?? process.env.REDIS_SERVER ?? 'redis-server';
  const binary = findBinary(name);
  if (!binary) {
    const where = name.includes('/') ? `no executable ${name}` : `no ${name} on the PATH`;
    throw new Error(`${where}: ${REDIS_INSTALL_HINT}`);
  }
  const versionLine = execFileSync(binary, ['--version'], { encoding: 'utf8' });
  const version = /v=(\S+)/.exec(versionLine)?.[1] ?? 'unknown';
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const server = [binary, ...args, '--dir', tmpdir()];
  // taskset execs redis-server, so the child is the server itself.
  const argv =
    options.cpu === undefined ? server : ['taskset', '-c', String(options.cpu), ...server];
  const child = spawn(argv[0]!, argv.slice(1), { stdio: 'ignore' });
  let exited: string | undefined;
  child.once('error', (error) => {
    exited = error.message;
  });
  child.once('exit', (code, signal) => {
    exited ??= `exited with ${code ?? signal}`;
  });
  const deadline = Date.now() + 10_000;
  while (!(await answersPing(port))) {
    if (exited !== undefined) throw new Error(`${binary} could not be started (${exited})`);
    if (Date.now() > deadline) {
      await stopped(child);
      throw new Error(`${binary} did not answer PING on port ${port}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return { url: `redis://127.0.0.1:${port}`, version, stop: () => stopped(child) };
}
