// The client libraries every store test runs with, configured as the README advises: fail fast
// while disconnected (no offline queue, nothing resent after a reconnect), reconnect by
// themselves.

import IoRedis from 'ioredis';
import IoValkey from 'iovalkey';
import { createClient } from 'redis';
import type { RedisClientLike } from '../client.js';

/** A connected client of one library, and how to close it. */
export interface TestClient {
  client: RedisClientLike;
  /** A raw command, for the tests' own checks (`TTL`, `KEYS`, `SCRIPT FLUSH`). */
  command(...args: string[]): Promise<unknown>;
  close(): void;
}

async function nodeRedis(url: string): Promise<TestClient> {
  const client = createClient({
    url,
    disableOfflineQueue: true,
    socket: { reconnectStrategy: () => 50, connectTimeout: 1000 },
  });
  client.on('error', () => {});
  await client.connect();
  return {
    client,
    command: (...args) => client.sendCommand(args),
    close: () => client.destroy(),
  };
}

/**
 * Connect an ioredis client (or iovalkey's, which is ioredis under another name: the same
 * constructor and options) as the README advises.
 *
 * @example
 * const client = await connectIoredis(Redis, 'redis://127.0.0.1:6379');
 */
export async function connectIoredis(Library: typeof IoRedis, url: string): Promise<IoRedis> {
  const client = new Library(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => 50,
  });
  client.on('error', () => {});
  await client.connect();
  return client;
}

function ioredisLike(Library: typeof IoRedis) {
  return async (url: string): Promise<TestClient> => {
    const client = await connectIoredis(Library, url);
    return {
      client,
      command: (name, ...args) => client.call(name!, ...args),
      close: () => client.disconnect(),
    };
  };
}

/** Each library under test, by name. */
export const CLIENT_LIBRARIES: [string, (url: string) => Promise<TestClient>][] = [
  ['node-redis', nodeRedis],
  ['ioredis', ioredisLike(IoRedis)],
  ['iovalkey', ioredisLike(IoValkey as unknown as typeof IoRedis)],
];
