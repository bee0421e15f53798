// Refresh-token families on Redis. Every key of a family carries the family id as its hash tag
// (`{familyId}`), so the scripts that touch several of them run on one Redis Cluster slot.
// Keys, for a token hash H of family F:
//   <prefix>rt:hash:H      → F          written once, before the record; never changed
//   <prefix>rt:{F}:t:H     → hash { record: <JSON>, state, expiresAt, rotatedAt }
//   <prefix>rt:{F}         → hash { expiresAt: latest of its tokens, revoked: '1' once revoked }
// Each key expires with the token (the family with its last token): no sweeper.
import type {
  RefreshTokenRecord,
  RefreshTokenStore,
  RotateResult,
  StoredRefreshToken,
} from '@tokengate/issuer';
import { luaScript, type RedisCommands } from './client.js';

// Keeps the family key until its last token expires. KEYS[2] is the family key.
const EXTEND_FAMILY = `
local function extendFamily(familyKey, expiresAt)
  local current = tonumber(redis.call('HGET', familyKey, 'expiresAt') or '0')
  if tonumber(expiresAt) > current then
    redis.call('HSET', familyKey, 'expiresAt', expiresAt)
    redis.call('PEXPIREAT', familyKey, expiresAt)
  end
end
local function writeActive(recordKey, record, expiresAt)
  redis.call('DEL', recordKey)
  redis.call('HSET', recordKey, 'record', record, 'state', 'active', 'expiresAt', expiresAt)
  redis.call('PEXPIREAT', recordKey, expiresAt)
end
`;

// KEYS: record, family. ARGV: record JSON, expiresAt.
const INSERT = luaScript(`${EXTEND_FAMILY}
writeActive(KEYS[1], ARGV[1], ARGV[2])
extendFamily(KEYS[2], ARGV[2])
return 1
`);

// KEYS: record, family. Reply: {} when unknown, else { record JSON, state, rotatedAt or '' }.
const GET = luaScript(`
local r = redis.call('HMGET', KEYS[1], 'record', 'state', 'rotatedAt')
if not r[1] then return {} end
local state = r[2]
if redis.call('HGET', KEYS[2], 'revoked') then state = 'revoked' end
return { r[1], state, r[3] or '' }
`);

// The compare-and-swap of RefreshTokenStore.rotate, in one script so no other client can run
// between the check and the writes. KEYS: old record, family, new record.
// ARGV: now, new record JSON, new expiresAt.
// Reply: { 1 | 0, old record JSON, old state, old rotatedAt or '' }, or {} when unknown.
const ROTATE = luaScript(`${EXTEND_FAMILY}
local r = redis.call('HMGET', KEYS[1], 'record', 'state', 'expiresAt', 'rotatedAt')
if not r[1] then return {} end
local state = r[2]
if redis.call('HGET', KEYS[2], 'revoked') then state = 'revoked' end
if state ~= 'active' or tonumber(r[3]) <= tonumber(ARGV[1]) then
  return { 0, r[1], state, r[4] or '' }
end
redis.call('HSET', KEYS[1], 'state', 'rotated', 'rotatedAt', ARGV[1])
writeActive(KEYS[3], ARGV[2], ARGV[3])
extendFamily(KEYS[2], ARGV[3])
return { 1, r[1], state, '' }
`);

// KEYS: family. A family whose key is gone has no token left to revoke.
const REVOKE_FAMILY = luaScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('HSET', KEYS[1], 'revoked', '1') end
return 1
`);

/**
 * Key names of the refresh-token store under a prefix.
 *
 * @example
 * refreshTokenKeys('app:').record('fam1', 'hash1'); // 'app:rt:{fam1}:t:hash1'
 */
export function refreshTokenKeys(prefix: string) {
  return {
    lookup: (hash: string) => `${prefix}rt:hash:${hash}`,
    family: (familyId: string) => `${prefix}rt:{${familyId}}`,
    record: (familyId: string, hash: string) => `${prefix}rt:{${familyId}}:t:${hash}`,
  };
}

// PEXPIREAT and PXAT take whole milliseconds.
const expiryOf = (record: RefreshTokenRecord) => Math.ceil(record.expiresAt);

function stored(reply: unknown[], offset: number): StoredRefreshToken {
  const record = JSON.parse(String(reply[offset])) as RefreshTokenRecord;
  const state = String(reply[offset + 1]) as StoredRefreshToken['state'];
  const rotatedAt = String(reply[offset + 2] ?? '');
  return rotatedAt === ''
    ? { ...record, state }
    : { ...record, state, rotatedAt: Number(rotatedAt) };
}

function checkRecord(record: RefreshTokenRecord): void {
  if (typeof record?.familyId !== 'string' || record.familyId === '') {
    throw new TypeError('"record.familyId" must be a non-empty string');
  }
  if (!Number.isFinite(record.expiresAt)) {
    throw new TypeError('"record.expiresAt" must be a number of epoch milliseconds');
  }
}

/**
 * A `RefreshTokenStore` for `createTokenIssuer({ store })` on Redis: every instance sees the
 * same tokens, `rotate` is one Lua script (exactly one of concurrent rotations wins) and
 * records are kept as opaque JSON, so fields the issuer adds later are kept too.
 *
 * @example
 * const tokens = createTokenIssuer({ issuer, audience, keys, store: redisRefreshTokenStore(commands, 'app:') });
 */
export function redisRefreshTokenStore(commands: RedisCommands, prefix: string): RefreshTokenStore {
  const keys = refreshTokenKeys(prefix);

  const insert = async (hash: string, record: RefreshTokenRecord) => {
    checkRecord(record);
    const { familyId } = record;
    const expiresAt = expiryOf(record);
    // The lookup first: a record nobody can find is harmless, a lookup without its record
    // reads as an unknown token.
    await commands.set(keys.lookup(hash), familyId, { pxat: expiresAt });
    await commands.run(
      INSERT,
      [keys.record(familyId, hash), keys.family(familyId)],
      [JSON.stringify(record), expiresAt],
    );
  };

  return {
    insert,

    async get(hash) {
      const familyId = await commands.get(keys.lookup(hash));
      if (familyId === null) return undefined;
      const reply = (await commands.run(
        GET,
        [keys.record(familyId, hash), keys.family(familyId)],
        [],
      )) as unknown[];
      return reply.length === 0 ? undefined : stored(reply, 0);
    },

    async rotate(hash, next, now): Promise<RotateResult> {
      checkRecord(next.record);
      const familyId = await commands.get(keys.lookup(hash));
      if (familyId === null) return { ok: false, current: undefined };
      if (next.record.familyId !== familyId) {
        throw new TypeError('"next.record.familyId" must be the family of the rotated token');
      }
      const expiresAt = expiryOf(next.record);
      await commands.set(keys.lookup(next.hash), familyId, { pxat: expiresAt });
      const reply = (await commands.run(
        ROTATE,
        [keys.record(familyId, hash), keys.family(familyId), keys.record(familyId, next.hash)],
        [now, JSON.stringify(next.record), expiresAt],
      )) as unknown[];
      if (Number(reply[0]) === 1) return { ok: true, previous: stored(reply, 1) };
      // The successor lost: its lookup would only point at nothing until it expired.
      await commands.del(keys.lookup(next.hash)).catch(() => undefined);
      return { ok: false, current: reply.length === 0 ? undefined : stored(reply, 1) };
    },

    async revokeFamily(familyId) {
      await commands.run(REVOKE_FAMILY, [keys.family(familyId)], []);
    },
  };
}
