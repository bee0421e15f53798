import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { VerifierOptions } from './options.js';
import { parseDuration } from './options-check.js';
import { AUDIENCE, claims, hs256, ISSUER, keyPairs, NOW, SECRET } from './test-support/tokens.js';
import { createVerifier } from './verifier.js';

// Every case below is about one misuse; `issuer` and `audience` are given unless the case
// is about them, so that their own check cannot hide the one under test.
const build = (options: Record<string, unknown>) => () =>
  createVerifier({ issuer: ISSUER, audience: AUDIENCE, ...options } as VerifierOptions);
const bare = (options: Record<string, unknown>) => () => createVerifier(options as VerifierOptions);

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW * 1000);
});
afterEach(() => vi.useRealTimers());

describe('issuer and audience are required', () => {
  const getKey = async () => new TextEncoder().encode(SECRET);
  const sources: Record<string, () => Promise<Record<string, unknown>>> = {
    secret: async () => ({ secret: SECRET }),
    keys: async () => ({ keys: (await keyPairs()).ec.jwk }),
    jwksUri: async () => ({ jwksUri: 'https://id.example/jwks' }),
    getKey: async () => ({ getKey, algorithms: ['HS256'] }),
  };

  it.each(
    Object.keys(sources),
  )('refuses a %s verifier without "issuer" or "audience"', async (kind) => {
    const keyed = await (sources[kind] as () => Promise<Record<string, unknown>>)();
    expect(bare({ ...keyed, audience: AUDIENCE })).toThrow(
      new TypeError(
        '"issuer" is required: set the expected "iss" value(s), or `issuer: false` to accept any "iss" on purpose',
      ),
    );
    expect(bare({ ...keyed, issuer: ISSUER })).toThrow(
      new TypeError(
        '"audience" is required: set the expected "aud" value(s), or `audience: false` to accept any "aud" on purpose',
      ),
    );
  });

  it('refuses discovery without "audience" (its "issuer" is needed to find the keys anyway)', () => {
    expect(bare({ discovery: true, issuer: 'https://id.example/' })).toThrow(
      /^"audience" is required/,
    );
  });

  it('says an undefined value most likely comes from an unset environment variable', () => {
    const env: Record<string, string | undefined> = {};
    expect(bare({ secret: SECRET, issuer: env.ISSUER, audience: AUDIENCE })).toThrow(
      new TypeError(
        '"issuer" is undefined — is the environment variable it comes from unset? Set it, or `issuer: false` to accept any "iss" on purpose',
      ),
    );
    expect(bare({ discovery: true, issuer: env.ISSUER, audience: AUDIENCE })).toThrow(
      /^"issuer" is undefined — is the environment variable it comes from unset\?/,
    );
    expect(bare({ secret: SECRET, issuer: ISSUER, audience: env.AUDIENCE })).toThrow(
      /^"audience" is undefined — is the environment variable it comes from unset\?/,
    );
  });

  it('refuses empty strings and empty lists with the existing messages', () => {
    for (const name of ['issuer', 'audience'])
      for (const value of ['', [], [''], null, true, 0])
        expect(build({ secret: SECRET, [name]: value }), `${name}: ${String(value)}`).toThrow(
          new TypeError(`"${name}" must be a non-empty string or a non-empty array of strings`),
        );
  });

  it('reports another misuse first, with its own message', () => {
    expect(bare({ secret: SECRET, algorithms: [] })).toThrow(
      /"algorithms" must be a non-empty array/,
    );
    expect(bare({ jwksUri: 'not a url' })).toThrow('"jwksUri" must be an absolute URL');
    expect(bare({ secret: SECRET, aud: 'api' })).toThrow(
      'Unknown option "aud" (did you mean "audience"?)',
    );
  });

  it('turns the check off only with an explicit false', async () => {
    const open = createVerifier({ secret: SECRET, issuer: false, audience: false });
    const foreign = await hs256({ iss: 'https://anyone.example/', aud: 'someone-else' });
    await expect(open.verify(foreign)).resolves.toMatchObject({ claims: { aud: 'someone-else' } });
    await expect(
      open.verify(await hs256({ iss: undefined, aud: undefined })),
    ).resolves.toBeTruthy();
    // One opt-out does not switch the other check off.
    const noAud = createVerifier({ secret: SECRET, issuer: ISSUER, audience: false });
    await expect(noAud.verify(foreign)).rejects.toMatchObject({ claim: 'iss' });
    await expect(noAud.verify(await hs256(claims({ aud: 'x' })))).resolves.toBeTruthy();
    const noIss = createVerifier({ secret: SECRET, issuer: false, audience: AUDIENCE });
    await expect(noIss.verify(foreign)).rejects.toMatchObject({ claim: 'aud' });
  });
});

describe('createVerifier option checks', () => {
  it('refuses an unknown option and suggests the right name', () => {
    expect(build({ secret: SECRET, aud: 'api' })).toThrow(
      new TypeError('Unknown option "aud" (did you mean "audience"?)'),
    );
    expect(build({ secret: SECRET, isuer: 'x' })).toThrow(
      'Unknown option "isuer" (did you mean "issuer"?)',
    );
    expect(build({ secret: SECRET, zzzzzzzzz: 1 })).toThrow(/^Unknown option "zzzzzzzzz"$/);
  });

  it('refuses a missing options object', () => {
    expect(build(null as never)).toThrow(TypeError);
  });

  it('requires exactly one key source', () => {
    expect(bare({})).toThrow(/No key source/);
    expect(build({ issuer: 'x' })).toThrow(/No key source/);
    expect(build({ secret: SECRET, jwksUri: 'https://id.example/jwks' })).toThrow(
      'Only one key source may be set, got "secret" and "jwksUri"',
    );
  });

  it('refuses empty, unknown and none algorithm lists', () => {
    expect(build({ secret: SECRET, algorithms: [] })).toThrow(
      /"algorithms" must be a non-empty array/,
    );
    expect(build({ secret: SECRET, algorithms: ['HS999'] })).toThrow(
      /unsupported algorithm "HS999"/,
    );
    expect(build({ secret: SECRET, algorithms: ['none'] })).toThrow(/must not contain "none"/);
    expect(build({ jwksUri: 'https://id.example/jwks', algorithms: ['NONE'] })).toThrow(/"none"/);
  });

  it('refuses HS algorithms with public keys and asymmetric algorithms with a secret', async () => {
    const { rsa } = await keyPairs();
    expect(build({ keys: rsa.pem, algorithms: ['HS256'] })).toThrow(
      /HS256, which needs a "secret"/,
    );
    expect(build({ jwksUri: 'https://id.example/jwks', algorithms: ['RS256', 'HS256'] })).toThrow(
      /HS256/,
    );
    expect(build({ secret: SECRET, algorithms: ['RS256'] })).toThrow(
      /RS256, which needs a public key/,
    );
  });

  it('refuses bad durations and sizes', () => {
    expect(build({ secret: SECRET, clockTolerance: -1 })).toThrow(/"clockTolerance"/);
    expect(build({ secret: SECRET, clockTolerance: '5 fortnights' })).toThrow(/"clockTolerance"/);
    expect(build({ secret: SECRET, maxTokenAge: Number.NaN })).toThrow(/"maxTokenAge"/);
    expect(build({ secret: SECRET, maxTokenSize: 0 })).toThrow(/"maxTokenSize"/);
    expect(build({ secret: SECRET, maxTokenSize: 1.5 })).toThrow(/"maxTokenSize"/);
  });

  it('refuses mistyped policy, extraction and response options', () => {
    const bad: Record<string, unknown>[] = [
      { requireExp: 'yes' },
      { validators: [42] },
      { validators: 'x' },
      { isRevoked: true },
      { typ: [] },
      { issuer: '' },
      { audience: [1] },
      { requiredClaims: [''] },
      { cookie: '' },
      { query: 'yes' },
      { extract: 'header' },
      { optional: true },
      { realm: 1 },
      { resourceMetadata: {} },
      { cache: 'yes' },
      { cache: { maxEntries: 0 } },
      { cache: { size: 10 } },
    ];
    for (const extra of bad)
      expect(build({ secret: SECRET, ...extra }), JSON.stringify(extra)).toThrow(TypeError);
  });

  it('accepts the documented option shapes', () => {
    expect(
      build({
        secret: SECRET,
        issuer: ['a', 'b'],
        audience: 'api',
        clockTolerance: '30s',
        maxTokenAge: '1h',
        requiredClaims: ['sub'],
        requireExp: false,
        typ: 'rfc9068',
        validators: [() => {}],
        isRevoked: () => false,
        cookie: 'at',
        query: true,
        optional: 'allow-missing',
        realm: 'api',
        resourceMetadata: 'https://rs.example/meta',
        cache: { maxEntries: 5 },
        maxTokenSize: 4096,
      }),
    ).not.toThrow();
  });
});

describe('parseDuration', () => {
  it('reads seconds and unit strings', () => {
    expect(parseDuration(5, 'x')).toBe(5);
    expect(parseDuration('30s', 'x')).toBe(30);
    expect(parseDuration('5m', 'x')).toBe(300);
    expect(parseDuration('1 hour', 'x')).toBe(3600);
    expect(parseDuration('2 days', 'x')).toBe(172800);
    expect(parseDuration('1.5h', 'x')).toBe(5400);
    expect(parseDuration('1w', 'x')).toBe(604800);
  });

  it('refuses anything else with a TypeError naming the option', () => {
    for (const bad of ['', 'soon', '-5s', '5', Number.POSITIVE_INFINITY, {}] as never[])
      expect(() => parseDuration(bad, 'clockTolerance')).toThrow(/"clockTolerance"/);
  });
});
