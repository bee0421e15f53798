// One real redis-server on a free loopback port, durable (append-only file, fsync on every
// write) so that a restart loses nothing, and restartable on the same port and directory.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A free TCP port on 127.0.0.1 (free when asked; the caller binds it right away). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`redis-server did not listen on port ${port} within ${timeoutMs} ms`);
}

/** The running server. */
export interface RedisServer {
  readonly url: string;
  /** Stop (SIGTERM: the server flushes its append-only file) and start again. */
  restart(downMs: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Start `redis-server` (`REDIS_SERVER` or `redis-server` on the PATH).
 *
 * @example
 * const redis = await startRedis(); // redis.url: redis://127.0.0.1:<port>
 */
export async function startRedis(): Promise<RedisServer> {
  const bin = process.env.REDIS_SERVER ?? 'redis-server';
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'tokengate-soak-redis-'));
  const args = [
    ...['--port', String(port), '--bind', '127.0.0.1', '--dir', dir],
    ...['--appendonly', 'yes', '--appendfsync', 'always', '--save', ''],
  ];
  let child: ChildProcess | undefined;
  const launch = async () => {
    child = spawn(bin, args, { stdio: 'ignore' });
    child.once('error', (error) => {
      throw new Error(`cannot run ${bin}: ${error.message}`);
    });
    await waitForPort(port, 10_000);
  };
  const stop = async () => {
    const running = child;
    if (!running || running.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill('SIGTERM');
    });
  };
  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    async restart(downMs) {
      await stop();
      await new Promise((r) => setTimeout(r, downMs));
      await launch();
    },
    async stop() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
