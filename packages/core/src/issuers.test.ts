import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  InvalidClaimError,
  InvalidSignatureError,
  KeySetUnavailableError,
  UnsupportedAlgorithmError,
} from './errors.js';
import { KeyConfigurationError } from './keys/config-error.js';
import type { IssuerConfig, VerifierOptions } from './options.js';
import { AUDIENCE, claims, keyPairs, NOW, SECRET, sign } from './test-support/tokens.js';
import { createVerifier } from './verifier.js';

const A = 'https://a.example/';
const B = 'https://b.example/';
const enc = new TextEncoder();

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW * 1000);
});
afterEach(() => vi.useRealTimers());

describe('issuers allow-list', () => {
  it('verifies each issuer with its own keys, audience and algorithms', async () => {
    const { ec } = await keyPairs();
    const verifier = createVerifier({
      audience: 'default-aud',
      issuers: [
        { issuer: A, secret: SECRET },
        { issuer: B, keys: ec.jwk, audience: 'b-api' },
      ],
    });
    await expect(
      verifier.verify(await sign(claims({ iss: A, aud: 'default-aud' }), enc.encode(SECRET))),
    ).resolves.toBeTruthy();
    await expect(
      verifier.verify(await sign(claims({ iss: B, aud: 'b-api' }), ec.privateKey, 'ES256')),
    ).resolves.toBeTruthy();
    // B's token signed with A's secret: HS256 is not on B's list.
    await expect(
      verifier.verify(await sign(claims({ iss: B, aud: 'b-api' }), enc.encode(SECRET))),
    ).rejects.toBeInstanceOf(UnsupportedAlgorithmError);
    await expect(
      verifier.verify(await sign(claims({ iss: A, aud: 'b-api' }), enc.encode(SECRET))),
    ).rejects.toMatchObject({
      claim: 'aud',
    });
  });

  it('refuses an unknown or missing issuer before any key lookup or fetch', async () => {
    const fetchSpy = vi.fn(async () => Response.json({ keys: [] }));
    const verifier = createVerifier({
      audience: AUDIENCE,
      issuers: [
        { issuer: A, jwksUri: 'https://a.example/jwks', jwks: { fetch: fetchSpy as never } },
      ],
    });
    const { rsa } = await keyPairs();
    for (const iss of ['https://evil.example/', undefined]) {
      const error = await verifier
        .verify(await sign(claims({ iss }), rsa.privateKey, 'RS256'))
        .catch((e) => e);
      expect(error).toBeInstanceOf(InvalidClaimError);
      expect(error.claim).toBe('iss');
    }
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('checks the issuer configs at construction', () => {
    const build = (o: Record<string, unknown>) => () =>
      createVerifier({ audience: AUDIENCE, ...o } as VerifierOptions);
    expect(build({ issuers: [] })).toThrow(/non-empty array/);
    expect(build({ issuers: [{ issuer: A }] })).toThrow(/No key source in issuers\[0\]/);
    expect(build({ issuers: [{ issuer: '', secret: SECRET }] })).toThrow(
      /"issuer" in issuers\[0\]/,
    );
    expect(build({ issuers: [{ issuer: A, secret: SECRET, aud: 'x' }] })).toThrow(
      /Unknown option "aud" in issuers\[0\]/,
    );
    expect(
      build({
        issuers: [
          { issuer: A, secret: SECRET },
          { issuer: A, secret: SECRET },
        ],
      }),
    ).toThrow(/twice/);
    expect(build({ issuers: [{ issuer: A, secret: SECRET }], secret: SECRET })).toThrow(
      /cannot be combined/,
    );
    expect(build({ issuers: [{ issuer: A, secret: SECRET }], issuer: A })).toThrow(
      /cannot be combined/,
    );
    expect(build({ issuers: [null] })).toThrow(TypeError);
    expect(build({ issuers: [{ issuer: A, secret: SECRET, algorithms: ['RS256'] }] })).toThrow(
      /needs a public key/,
    );
  });
});

describe('issuers: issuer and audience are required for each entry', () => {
  const build = (o: Record<string, unknown>) => () => createVerifier(o as VerifierOptions);
  const aToken = (aud: string) => sign(claims({ iss: A, aud }), enc.encode(SECRET));

  it('refuses an entry without an audience of its own or at the top level', () => {
    expect(build({ issuers: [{ issuer: A, secret: SECRET }] })).toThrow(
      new TypeError(
        '"audience" in issuers[0] is required (here, or once at the top level for every issuer): set the expected "aud" value(s), or `audience: false` to accept any "aud" on purpose',
      ),
    );
    expect(
      build({
        issuers: [
          { issuer: A, secret: SECRET, audience: 'a' },
          { issuer: B, secret: SECRET },
        ],
      }),
    ).toThrow(/^"audience" in issuers\[1\] is required/);
  });

  it('refuses an undefined issuer or audience, in an entry or at the top level', () => {
    const env: Record<string, string | undefined> = {};
    expect(build({ issuers: [{ issuer: env.ISSUER, secret: SECRET, audience: 'a' }] })).toThrow(
      /^"issuer" in issuers\[0\] is undefined — is the environment variable it comes from unset\?/,
    );
    expect(build({ issuers: [{ issuer: A, secret: SECRET }] as IssuerConfig[] })).toThrow(
      /^"audience" in issuers\[0\] is required/,
    );
    expect(build({ issuers: [{ issuer: A, secret: SECRET, audience: env.AUD }] })).toThrow(
      /^"audience" in issuers\[0\] is undefined — is the environment variable/,
    );
    expect(build({ audience: env.AUD, issuers: [{ issuer: A, secret: SECRET }] })).toThrow(
      /^"audience" is undefined — is the environment variable/,
    );
    expect(build({ issuers: [{ secret: SECRET, audience: 'a' }] })).toThrow(
      /^"issuer" in issuers\[0\] is required/,
    );
    expect(build({ issuers: [{ issuer: A, secret: SECRET, audience: [] }] })).toThrow(
      '"audience" must be a non-empty string or a non-empty array of strings',
    );
  });

  it('turns the audience check off for one entry with false, and only for it', async () => {
    const verifier = createVerifier({
      audience: AUDIENCE,
      issuers: [
        { issuer: A, secret: SECRET, audience: false },
        { issuer: B, secret: SECRET },
      ],
    });
    await expect(verifier.verify(await aToken('anything'))).resolves.toBeTruthy();
    await expect(
      verifier.verify(await sign(claims({ iss: B, aud: 'anything' }), enc.encode(SECRET))),
    ).rejects.toMatchObject({ claim: 'aud' });
    await expect(
      verifier.verify(await sign(claims({ iss: B }), enc.encode(SECRET))),
    ).resolves.toBeTruthy();
    const everyone = createVerifier({ audience: false, issuers: [{ issuer: A, secret: SECRET }] });
    await expect(everyone.verify(await aToken('anything'))).resolves.toBeTruthy();
  });

  it('fails the request with a KeyConfigurationError when a resolved config has no audience', async () => {
    const resolve = vi.fn((issuer: string) => ({ issuer, secret: SECRET }));
    const verifier = createVerifier({ issuers: resolve });
    for (let i = 0; i < 2; i++) {
      const error = await verifier.verify(await aToken(AUDIENCE)).catch((e) => e);
      expect(error).toBeInstanceOf(KeyConfigurationError);
      expect(error.message).toMatch(/^"audience" in the issuers resolver result is required/);
    }
    // Not kept: every request reports it, none passes with the audience unchecked.
    expect(resolve).toHaveBeenCalledTimes(2);
    const withDefault = createVerifier({ audience: AUDIENCE, issuers: resolve });
    await expect(withDefault.verify(await aToken(AUDIENCE))).resolves.toBeTruthy();
    await expect(withDefault.verify(await aToken('other'))).rejects.toMatchObject({ claim: 'aud' });
  });
});

describe('issuers resolver', () => {
  it('resolves an issuer once and caches the result', async () => {
    const resolve = vi.fn((iss: string): IssuerConfig | undefined =>
      iss === A ? { issuer: A, secret: SECRET, audience: AUDIENCE } : undefined,
    );
    const verifier = createVerifier({ issuers: resolve });
    const token = await sign(claims({ iss: A }), enc.encode(SECRET));
    await verifier.verify(token);
    await verifier.verify(token);
    expect(resolve).toHaveBeenCalledTimes(1);
    await expect(
      verifier.verify(await sign(claims({ iss: B }), enc.encode(SECRET))),
    ).rejects.toMatchObject({ claim: 'iss' });
  });

  it('refuses a resolver answer for another issuer', async () => {
    const verifier = createVerifier({
      audience: AUDIENCE,
      issuers: async () => ({ issuer: B, secret: SECRET }),
    });
    await expect(
      verifier.verify(await sign(claims({ iss: A }), enc.encode(SECRET))),
    ).rejects.toMatchObject({ claim: 'iss' });
  });

  it('answers 503 when the resolver fails, a KeyConfigurationError for a broken config', async () => {
    const token = await sign(claims({ iss: A }), enc.encode(SECRET));
    const failing = createVerifier({
      audience: AUDIENCE,
      issuers: () => {
        throw new Error('db down');
      },
    });
    await expect(failing.verify(token)).rejects.toBeInstanceOf(KeySetUnavailableError);
    const broken = createVerifier({
      audience: AUDIENCE,
      issuers: () => ({ issuer: A }) as IssuerConfig,
    });
    await expect(broken.verify(token)).rejects.toThrow(
      new KeyConfigurationError(
        'No key source in the issuers resolver result: set one of "secret", "keys", "jwksUri", "discovery", "getKey" (or "issuers")',
      ),
    );
  });

  it('keeps at most 100 resolved issuers', async () => {
    const resolve = vi.fn((iss: string) => ({ issuer: iss, secret: SECRET }));
    const verifier = createVerifier({ audience: AUDIENCE, issuers: resolve });
    for (let i = 0; i <= 100; i++)
      await verifier.verify(
        await sign(claims({ iss: `https://t${i}.example/` }), enc.encode(SECRET)),
      );
    await verifier.verify(await sign(claims({ iss: 'https://t0.example/' }), enc.encode(SECRET)));
    expect(resolve).toHaveBeenCalledTimes(102);
    await expect(
      verifier.verify(await sign(claims({ iss: 'https://t0.example/' }), enc.encode(`${SECRET}!`))),
    ).rejects.toBeInstanceOf(InvalidSignatureError);
  });
});
