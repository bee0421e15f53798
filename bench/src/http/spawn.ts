import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';

const BENCH_DIR = fileURLToPath(new URL('../..', import.meta.url));
const SERVER_MAIN = fileURLToPath(new URL('./servers/main.ts', import.meta.url));
// tsx applies a tsconfig only to the files it includes: this one adds the workspace sources,
// so that Nest's parameter decorators in packages/nestjs compile too.
const RUN_TSCONFIG = fileURLToPath(new URL('../../tsconfig.run.json', import.meta.url));

/** A server process started for one case. */
export interface RunningServer {
  pid: number;
  url: string;
  /** Peak resident set size (VmHWM) in bytes; null where /proc is missing. */
  peakRssBytes(): number | null;
  /** CPU time the process has used so far (user + system, all threads), in ms; null without /proc. */
  cpuTimeMs(): number | null;
  stop(): Promise<void>;
}

/** Where and how to start a server. */
export interface SpawnOptions {
  env: Record<string, string>;
  /** Pin the server to this CPU with `taskset` (when {@link hasTaskset}). */
  cpu?: number;
  /** Load workspace packages from their TypeScript sources instead of their built `dist`. */
  source?: boolean;
  /** Give up waiting for "READY" after this many ms. Default 30000. */
  readyTimeoutMs?: number;
}

/**
 * Whether `taskset` (util-linux) is on the PATH and there are at least two CPUs to split.
 *
 * @example
 * if (hasTaskset()) pinSelf(0);
 */
export function hasTaskset(): boolean {
  try {
    execFileSync('taskset', ['-V'], { stdio: 'ignore' });
    return availableParallelism() >= 2;
  } catch {
    return false;
  }
}

/**
 * Pin every thread of this process (the load generator) to one CPU.
 *
 * @example
 * pinSelf(0);
 */
export function pinSelf(cpu: number): void {
  execFileSync('taskset', ['-a', '-p', '-c', String(cpu), String(process.pid)], {
    stdio: 'ignore',
  });
}

function peakRss(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmHWM:\s+(\d+) kB/m.exec(status)?.[1];
    return kb === undefined ? null : Number(kb) * 1024;
  } catch {
    return null;
  }
}

// Clock ticks per second of /proc/<pid>/stat (USER_HZ): 100 on every Linux that runs Node.
const TICKS_PER_SEC = 100;

function cpuTime(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) : state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? (ticks * 1000) / TICKS_PER_SEC : null;
  } catch {
    return null;
  }
}

function waitReady(child: ChildProcess, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const fail = (why: string) => {
      clearTimeout(timer);
      // The first lines name the error (a stack follows).
      reject(new Error(`${why}; stderr: ${err.trim().slice(0, 600) || '(empty)'}`));
    };
    const timer = setTimeout(() => fail(`not ready after ${timeoutMs} ms`), timeoutMs);
    child.stderr?.on('data', (chunk) => {
      err += chunk;
    });
    child.stdout?.on('data', (chunk) => {
      out += chunk;
      const port = /READY (\d+)/.exec(out)?.[1];
      if (port) {
        clearTimeout(timer);
        resolve(Number(port));
      }
    });
    child.on('exit', (code, signal) => fail(`exited early (${code ?? signal})`));
  });
}

/**
 * Start `src/http/servers/main.ts` in a fresh Node process (TypeScript through tsx; workspace
 * packages from `dist`, or from source with `source`), optionally pinned to one CPU, and wait
 * for it to listen.
 *
 * @example
 * const server = await startServer({ env: { BENCH_SERVER: 'express/bare' }, cpu: 1 });
 */
export async function startServer(options: SpawnOptions): Promise<RunningServer> {
  const conditions = options.source ? ['--conditions=@tokengate/source'] : [];
  const node = [process.execPath, ...conditions, '--import', 'tsx', SERVER_MAIN];
  // taskset execs node, so the child's pid is the server's own.
  const argv = options.cpu === undefined ? node : ['taskset', '-c', String(options.cpu), ...node];
  const child = spawn(argv[0]!, argv.slice(1), {
    cwd: BENCH_DIR,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      TSX_TSCONFIG_PATH: RUN_TSCONFIG,
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const port = await waitReady(child, options.readyTimeoutMs ?? 30_000);
    const pid = child.pid!;
    return {
      pid,
      url: `http://127.0.0.1:${port}/`,
      peakRssBytes: () => peakRss(pid),
      cpuTimeMs: () => cpuTime(pid),
      async stop() {
        child.kill('SIGTERM');
        await exited;
      },
    };
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    throw error;
  }
}
