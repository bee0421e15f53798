import { describe, expect, it } from 'vitest';
import { InvalidSignatureError } from '../errors.js';
import { SECRET, SECRET_BYTES } from '../test-support/tokens.js';
import { createSecretKeySource } from './secret.js';

const OTHER = 'another-test-secret-that-is-32-bytes-or-more';

describe('createSecretKeySource', () => {
  it('defaults to HS256 only', () => {
    expect(createSecretKeySource({ secret: SECRET }).algorithms).toEqual(['HS256']);
  });

  it('matches a token kid to the secret with that kid', async () => {
    const source = createSecretKeySource({
      secret: [
        { kid: 'a', secret: SECRET },
        { kid: 'b', secret: OTHER },
      ],
    });
    const keys = (await source.getKey({ alg: 'HS256', kid: 'b' }, {})) as Uint8Array[];
    expect(keys).toHaveLength(1);
    expect(new TextDecoder().decode(keys[0])).toBe(OTHER);
  });

  it('tries every secret in turn for a token without kid', async () => {
    const source = createSecretKeySource({ secret: [{ kid: 'a', secret: SECRET }, OTHER] });
    expect(await source.getKey({ alg: 'HS256' }, {})).toHaveLength(2);
  });

  it('falls back to secrets without kid for an unknown kid, and fails when there are none', async () => {
    const mixed = createSecretKeySource({ secret: [{ kid: 'a', secret: SECRET }, SECRET_BYTES] });
    expect(await mixed.getKey({ alg: 'HS256', kid: 'zzz' }, {})).toEqual([SECRET_BYTES]);
    const keyed = createSecretKeySource({ secret: { kid: 'a', secret: SECRET } });
    await expect(keyed.getKey({ alg: 'HS256', kid: 'zzz' }, {})).rejects.toBeInstanceOf(
      InvalidSignatureError,
    );
  });

  it('refuses secrets shorter than the hash output (RFC 7518 §3.2)', () => {
    expect(() => createSecretKeySource({ secret: 'short' })).toThrow(/at least 32 bytes/);
    expect(() => createSecretKeySource({ secret: SECRET, algorithms: ['HS512'] })).toThrow(
      /at least 64 bytes/,
    );
    expect(() =>
      createSecretKeySource({ secret: 'x'.repeat(64), algorithms: ['HS512'] }),
    ).not.toThrow();
  });

  it('refuses a PEM key passed as a secret (algorithm confusion)', () => {
    const pem = `-----BEGIN PUBLIC KEY-----\n${'A'.repeat(64)}\n-----END PUBLIC KEY-----`;
    expect(() => createSecretKeySource({ secret: pem })).toThrow(/looks like a PEM key/);
  });

  it('refuses empty, mistyped and asymmetric configurations', () => {
    const bad: unknown[] = [
      [],
      '',
      new Uint8Array(0),
      42,
      { secret: SECRET, extra: 1 },
      { kid: '', secret: SECRET },
      { secret: 1 },
    ];
    for (const secret of bad)
      expect(() => createSecretKeySource({ secret: secret as never })).toThrow(TypeError);
    expect(() => createSecretKeySource({ secret: SECRET, algorithms: ['ES256'] })).toThrow(
      /needs a public key/,
    );
  });
});
