// The few commands the stores need, over node-redis or ioredis (or iovalkey, its Valkey
// fork), each bounded by a timeout that turns any failure into a RedisUnavailableError.
import { createHash } from 'node:crypto';
import { RedisUnavailableError } from './errors.js';

/**
 * A node-redis (`redis` 5 or later) client or cluster, or an ioredis / iovalkey client or
 * cluster: whatever the application already connected. Told apart by their method names
 * (`evalSha` vs `evalsha`).
 *
 * @example
 * const client: RedisClientLike = createClient({ url: process.env.REDIS_URL });
 */
// biome-ignore lint/suspicious/noExplicitAny: the two libraries' client types are told apart at run time
export type RedisClientLike = object & Record<string, any>;

/**
 * A Lua script with its SHA-1, sent by `EVALSHA` and loaded by `EVAL` when the server
 * does not know it yet (`NOSCRIPT`, e.g. after a restart or a failover).
 *
 * @example
 * const script = luaScript('return redis.call("GET", KEYS[1])');
 */
export interface LuaScript {
  readonly source: string;
  readonly sha1: string;
}

/**
 * Wrap a Lua source with its SHA-1.
 *
 * @example
 * const getScript = luaScript('return redis.call("GET", KEYS[1])');
 */
export function luaScript(source: string): LuaScript {
  return { source, sha1: createHash('sha1').update(source).digest('hex') };
}

/** Options of `SET`: only if absent (`NX`), expiry in ms from now (`PX`) or at an epoch ms (`PXAT`). */
export interface SetOptions {
  nx?: boolean;
  px?: number;
  pxat?: number;
}

/**
 * The commands the stores use. Every call settles within the timeout; every failure is a
 * {@link RedisUnavailableError}.
 *
 * @example
 * const claimed = await commands.set('dpop:abc', '1', { nx: true, pxat: Date.now() + 60_000 });
 */
export interface RedisCommands {
  /** Run a script (`EVALSHA`, then `EVAL` on `NOSCRIPT`); the reply as the client gives it. */
  run(script: LuaScript, keys: string[], args: (string | number)[]): Promise<unknown>;
  /** `SET`; `true` when the value was written (`false`: `NX` and the key exists). */
  set(key: string, value: string, options?: SetOptions): Promise<boolean>;
  get(key: string): Promise<string | null>;
  del(key: string): Promise<void>;
}

/** What each library's client does for {@link RedisCommands}, without timeout or error wrapping. */
interface Driver {
  evalsha(sha1: string, keys: string[], args: string[]): Promise<unknown>;
  eval(source: string, keys: string[], args: string[]): Promise<unknown>;
  set(key: string, value: string, options: SetOptions): Promise<unknown>;
  get(key: string): Promise<string | null>;
  del(key: string): Promise<unknown>;
}

function nodeRedisDriver(client: RedisClientLike): Driver {
  return {
    evalsha: (sha1, keys, args) => client.evalSha(sha1, { keys, arguments: args }),
    eval: (source, keys, args) => client.eval(source, { keys, arguments: args }),
    set: (key, value, { nx, px, pxat }) =>
      client.set(key, value, {
        ...(nx ? { condition: 'NX' } : {}),
        ...(pxat !== undefined ? { expiration: { type: 'PXAT', value: pxat } } : {}),
        ...(px !== undefined ? { expiration: { type: 'PX', value: px } } : {}),
      }),
    get: (key) => client.get(key),
    del: (key) => client.del(key),
  };
}

function ioredisDriver(client: RedisClientLike): Driver {
  return {
    evalsha: (sha1, keys, args) => client.evalsha(sha1, keys.length, ...keys, ...args),
    eval: (source, keys, args) => client.eval(source, keys.length, ...keys, ...args),
    set: (key, value, { nx, px, pxat }) => {
      const args: (string | number)[] = [];
      if (pxat !== undefined) args.push('PXAT', pxat);
      if (px !== undefined) args.push('PX', px);
      if (nx) args.push('NX');
      return client.set(key, value, ...args);
    },
    get: (key) => client.get(key),
    del: (key) => client.del(key),
  };
}

function driverFor(client: unknown): Driver {
  if (typeof client === 'object' && client !== null) {
    const c = client as RedisClientLike;
    if (typeof c.evalSha === 'function' && typeof c.set === 'function') return nodeRedisDriver(c);
    if (typeof c.evalsha === 'function' && typeof c.set === 'function') return ioredisDriver(c);
  }
  throw new TypeError(
    '"client" must be a node-redis (createClient / createCluster) or an ioredis / iovalkey client',
  );
}

/** Options of {@link redisCommands}. */
export interface RedisCommandsOptions {
  /** Longest wait for one store operation, in ms. Default 1000. */
  timeout?: number;
  /** `Retry-After` of the errors, in seconds. Default 5. */
  retryAfter?: number;
}

const isNoScript = (error: unknown) =>
  error instanceof Error && error.message.startsWith('NOSCRIPT');

/**
 * The store commands over the given client, each bounded by `timeout`.
 *
 * @example
 * const commands = redisCommands(createClient(), { timeout: 500 });
 */
export function redisCommands(client: unknown, options: RedisCommandsOptions = {}): RedisCommands {
  const driver = driverFor(client);
  const timeout = options.timeout ?? 1000;
  if (!Number.isFinite(timeout) || timeout <= 0) {
    throw new TypeError('"timeout" must be a positive number of milliseconds');
  }
  const retryAfter = options.retryAfter ?? 5;

  const bounded = <T>(operation: () => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new RedisUnavailableError('timeout', { retryAfter })),
        timeout,
      );
      // A synchronous throw (a client that was never connected) is an error reply too.
      new Promise<T>((r) => r(operation())).then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (cause: unknown) => {
          clearTimeout(timer);
          reject(new RedisUnavailableError('error', { cause, retryAfter }));
        },
      );
    });

  return {
    run: (script, keys, args) => {
      const strings = args.map(String);
      return bounded(() =>
        driver.evalsha(script.sha1, keys, strings).catch((error: unknown) => {
          if (isNoScript(error)) return driver.eval(script.source, keys, strings);
          throw error;
        }),
      );
    },
    set: (key, value, setOptions = {}) =>
      bounded(() => driver.set(key, value, setOptions)).then((reply) => reply !== null),
    get: (key) => bounded(() => driver.get(key)),
    del: (key) => bounded(() => driver.del(key)).then(() => undefined),
  };
}
