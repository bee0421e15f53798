// A real redis-server for the tests, on a free loopback port, without persistence. It can be
// killed, paused and started again on the same port, for the fault tests.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const INSTALL_HINT =
  'The Redis tests need a redis-server binary (Redis 6.2 or later, or Valkey): install it with ' +
  '`apt-get install redis-server` (Debian/Ubuntu) or set REDIS_SERVER to its path.';

/** A redis-server started by a test. */
export interface TestRedisServer {
  readonly port: number;
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string;
  /** Kill it (SIGKILL, as a crash): clients see the connection drop. */
  kill(): Promise<void>;
  /** Start it again on the same port (empty: it persists nothing). */
  restart(): Promise<void>;
  /** Stop answering without closing connections (SIGSTOP), until `resume()`. */
  pause(): void;
  resume(): void;
  /** Stop it for good. */
  close(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (the bench's redis-server uses it too). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

/** Whether a redis-server on 127.0.0.1:`port` answers PING. */
export function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

function spawnServer(port: number, extra: string[] = [], dir = tmpdir()): Promise<ChildProcess> {
  const binary = process.env.REDIS_SERVER ?? 'redis-server';
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const child = spawn(binary, [...args, '--dir', dir, ...extra], { stdio: 'ignore' });
  return new Promise((resolve, reject) => {
    let exited: string | undefined;
    child.once('error', (error) => {
      exited = error.message;
    });
    child.once('exit', (code, signal) => {
      exited ??= `exited with ${code ?? signal}`;
    });
    const deadline = Date.now() + 10_000;
    const poll = async () => {
      if (exited !== undefined) {
        return reject(new Error(`redis-server could not be started (${exited}). ${INSTALL_HINT}`));
      }
      if (await answersPing(port)) return resolve(child);
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        return reject(new Error(`redis-server did not answer PING on ${port}. ${INSTALL_HINT}`));
      }
      setTimeout(poll, 25);
    };
    void poll();
  });
}

function killed(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGCONT');
    child.kill('SIGKILL');
  });
}

/**
 * Start a redis-server on a free loopback port; fails (never skips) with how to install one
 * when it cannot.
 *
 * @example
 * const server = await startRedisServer();
 * afterAll(() => server.close());
 */
export async function startRedisServer(): Promise<TestRedisServer> {
  const port = await freePort();
  let child = await spawnServer(port);
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    kill: () => killed(child),
    async restart() {
      await killed(child);
      child = await spawnServer(port);
    },
    pause: () => void child.kill('SIGSTOP'),
    resume: () => void child.kill('SIGCONT'),
    close: () => killed(child),
  };
}

/** A Redis Cluster of three primaries started by a test. */
export interface TestRedisCluster {
  readonly ports: number[];
  /** Stop every node and remove their cluster files. */
  close(): Promise<void>;
}

// One raw command over a fresh connection, for the cluster set-up (the test clients need a
// cluster that is already up).
function rawCommand(port: number, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1' });
    let reply = '';
    socket.once('error', reject);
    socket.once('connect', () =>
      socket.write(
        `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`,
      ),
    );
    socket.on('data', (data) => {
      reply += data.toString();
      if (reply.endsWith('\r\n')) {
        socket.destroy();
        resolve(reply);
      }
    });
  });
}

/**
 * Start a three-node Redis Cluster on free loopback ports: each node owns a third of the
 * 16384 slots (`CLUSTER ADDSLOTSRANGE`), the nodes meet, and it resolves once every node
 * reports `cluster_state:ok`.
 *
 * @example
 * const cluster = await startRedisCluster();
 * const client = createCluster({ rootNodes: [{ url: `redis://127.0.0.1:${cluster.ports[0]}` }] });
 */
export async function startRedisCluster(): Promise<TestRedisCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'tokengate-cluster-'));
  const ports = [await freePort(), await freePort(), await freePort()];
  const nodes: ChildProcess[] = [];
  const close = async () => {
    await Promise.all(nodes.map(killed));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const port of ports) {
      const config = ['--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`];
      nodes.push(await spawnServer(port, config, dir));
    }
    const ranges = [
      [0, 5460],
      [5461, 10922],
      [10923, 16383],
    ];
    for (const [i, port] of ports.entries()) {
      const [from, to] = ranges[i]!;
      await rawCommand(port, ['CLUSTER', 'ADDSLOTSRANGE', String(from), String(to)]);
      if (i > 0) await rawCommand(port, ['CLUSTER', 'MEET', '127.0.0.1', String(ports[0])]);
    }
    const deadline = Date.now() + 20_000;
    for (const port of ports) {
      while (!(await rawCommand(port, ['CLUSTER', 'INFO'])).includes('cluster_state:ok')) {
        if (Date.now() > deadline) throw new Error('the Redis Cluster did not come up');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    return { ports, close };
  } catch (error) {
    await close();
    throw error;
  }
}
