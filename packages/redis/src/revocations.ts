// A revocation list on Redis: single tokens by `jti` until they expire, and every token whose
// claim (`sub`, a session id...) has a given value and that was issued before a time.
// Keys: <prefix>rv:jti:<jti> → '1'; <prefix>rv:claim:<name>:<value> → epoch ms (the "before").
import type { JWTClaims, ProtectedHeader } from '@tokengate/core';
import { luaScript, type RedisCommands } from './client.js';

// Keeps the later of two "before" times, so a revocation never undoes a wider one.
// KEYS: claim key. ARGV: before (epoch ms), expires at (epoch ms).
const REVOKE_CLAIM = luaScript(`
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) > current then
  redis.call('SET', KEYS[1], ARGV[1], 'PXAT', ARGV[2])
end
return 1
`);

/**
 * Options of the revocation list.
 *
 * @example
 * const revocations = { claims: ['sub', 'sid'], maxTokenLifetime: 3600 };
 * const stores = createRedisStores({ client, revocations });
 */
export interface RedisRevocationOptions {
  /**
   * Claims that `revokeClaim` and `isRevoked` use besides `jti`. Default `['sub']`; add e.g.
   * `'sid'` to end one session's tokens.
   */
  claims?: string[];
  /**
   * The longest lifetime of an access token, seconds: a claim revocation is kept this long
   * past its time (every token issued before it has expired by then), and a `revokeToken`
   * without `exp` this long from now. Default 86400 (one day).
   */
  maxTokenLifetime?: number;
  /**
   * Seconds a revocation is kept past the token's `exp`, to cover the verifier's clock
   * tolerance. Default 60.
   */
  clockTolerance?: number;
}

/**
 * Revoke tokens for every instance at once; `isRevoked` is the verifier's hook.
 *
 * @example
 * await revocations.revokeToken(auth.claims); // this token, until its exp
 * await revocations.revokeSubject('user-1'); // every token of user-1 issued until now
 */
export interface RedisRevocations {
  /** Revoke one token by its `jti` until its `exp` (JWT seconds; default now + `maxTokenLifetime`). */
  revokeToken(token: { jti: string; exp?: number }): Promise<void>;
  /** Revoke every token of `sub` issued before `before` (epoch ms or a Date; default now). */
  revokeSubject(sub: string, before?: number | Date): Promise<void>;
  /** Revoke every token whose `claim` is `value` issued before `before` (default now); `claim` must be listed in `claims`. */
  revokeClaim(claim: string, value: string, before?: number | Date): Promise<void>;
  /** The verifier's `isRevoked`: one `GET` per checked claim, sent together. */
  isRevoked(claims: JWTClaims, header?: ProtectedHeader): Promise<boolean>;
}

function seconds(value: number | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0) {
    throw new TypeError(`"${name}" must be a non-negative number of seconds`);
  }
  return value;
}

function claimValue(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/**
 * The revocation list over the given commands.
 *
 * @example
 * const revocations = redisRevocations(commands, 'app:', { claims: ['sub', 'sid'] });
 */
export function redisRevocations(
  commands: RedisCommands,
  prefix: string,
  options: RedisRevocationOptions = {},
): RedisRevocations {
  const claimNames = options.claims ?? ['sub'];
  if (!Array.isArray(claimNames) || claimNames.some((c) => typeof c !== 'string' || c === '')) {
    throw new TypeError('"claims" must be a list of claim names');
  }
  const lifetimeMs = seconds(options.maxTokenLifetime, 'maxTokenLifetime', 86_400) * 1000;
  const toleranceMs = seconds(options.clockTolerance, 'clockTolerance', 60) * 1000;
  const jtiKey = (jti: string) => `${prefix}rv:jti:${jti}`;
  const claimKey = (claim: string, value: string) => `${prefix}rv:claim:${claim}:${value}`;

  const revokeClaim = async (claim: string, value: string, before?: number | Date) => {
    if (!claimNames.includes(claim)) {
      throw new TypeError(`"${claim}" is not in the revocation "claims" option`);
    }
    if (typeof value !== 'string' || value === '') {
      throw new TypeError(`the "${claim}" value must be a non-empty string`);
    }
    const at = before === undefined ? Date.now() : Number(before);
    if (!Number.isFinite(at)) throw new TypeError('"before" must be epoch milliseconds or a Date');
    const expiresAt = Math.ceil(at + lifetimeMs + toleranceMs);
    await commands.run(REVOKE_CLAIM, [claimKey(claim, value)], [Math.ceil(at), expiresAt]);
  };

  // A token issued before the claim's revocation time is revoked; one without `iat` cannot
  // show it was issued after, so it is revoked too.
  const revokedByClaim = (iat: unknown, before: string | null) =>
    before !== null && (typeof iat !== 'number' || iat * 1000 < Number(before));

  return {
    async revokeToken(token) {
      const jti = token?.jti;
      if (typeof jti !== 'string' || jti === '') {
        throw new TypeError('"jti" must be a non-empty string');
      }
      const exp = token.exp;
      if (exp !== undefined && !Number.isFinite(exp)) throw new TypeError('"exp" must be a number');
      const until = exp === undefined ? Date.now() + lifetimeMs : exp * 1000;
      const expiresAt = Math.ceil(until + toleranceMs);
      // Already past any verifier's tolerance: nothing left to refuse.
      if (expiresAt <= Date.now()) return;
      await commands.set(jtiKey(jti), '1', { pxat: expiresAt });
    },

    revokeSubject: (sub, before) => revokeClaim('sub', sub, before),
    revokeClaim,

    async isRevoked(claims) {
      const lookups: Promise<boolean>[] = [];
      if (typeof claims.jti === 'string') {
        lookups.push(commands.get(jtiKey(claims.jti)).then((found) => found !== null));
      }
      for (const name of claimNames) {
        const value = claimValue(claims[name]);
        if (value === undefined) continue;
        lookups.push(
          commands.get(claimKey(name, value)).then((before) => revokedByClaim(claims.iat, before)),
        );
      }
      const answers = await Promise.all(lookups);
      return answers.includes(true);
    },
  };
}
