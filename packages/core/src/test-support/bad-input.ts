// Shared by the bad-input tables: each row maps one hostile or broken token to its error
// (RFC 8725 §3 threats among them), and the runner asserts the typed 401 and that nothing was fetched.
import { base64url } from 'jose';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { InvalidClaimError } from '../errors.js';
import { createVerifier, type Verifier } from '../verifier.js';
import { AUDIENCE, hs256, ISSUER, keyPairs, NOW, SECRET } from './tokens.js';

type ErrorClass = abstract new (...args: never[]) => Error;

/** One bad input and the error it must produce. */
export interface Row {
  name: string;
  token: () => Promise<string>;
  error: ErrorClass;
  code: string;
  claim?: string;
  verifier?: () => Promise<Verifier>;
}

/** HS256 verifier with the test secret, issuer and audience (the default of a row). */
export const secretVerifier = () =>
  createVerifier({ secret: SECRET, issuer: ISSUER, audience: AUDIENCE });
/** Verifier of the RSA test key as a PEM. */
export const rsaVerifier = async () =>
  createVerifier({ keys: (await keyPairs()).rsa.pem, issuer: ISSUER, audience: AUDIENCE });
/** Verifier of a remote JWKS whose fetch the runner stubs (and asserts unused). */
export const jwksVerifier = async () =>
  createVerifier({ jwksUri: 'https://id.example.com/jwks', issuer: ISSUER, audience: AUDIENCE });
/** Verifier of the EC test key as a JWK. */
export const ecVerifier = async () =>
  createVerifier({ keys: (await keyPairs()).ec.jwk, issuer: ISSUER, audience: AUDIENCE });

/** The three segments of a compact JWS. */
export const segments = (token: string) => token.split('.') as [string, string, string];
/** The base64url alphabet. */
export const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** A valid HS256 token with its decoded signature replaced by `mutate(signature)`. */
export async function withSignature(mutate: (sig: Uint8Array) => Uint8Array): Promise<string> {
  const [h, p, s] = segments(await hs256());
  return `${h}.${p}.${base64url.encode(mutate(base64url.decode(s)))}`;
}

/** Frozen time and a stubbed `fetch` that must never be called; returns the spy. */
export function useBadInputEnvironment(): { fetchSpy: () => ReturnType<typeof vi.fn> } {
  let fetchSpy: ReturnType<typeof vi.fn>;
  beforeAll(async () => {
    await keyPairs();
  });
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW * 1000);
    fetchSpy = vi.fn(async () => new Response('{}', { status: 500 }));
    vi.stubGlobal('fetch', fetchSpy);
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });
  return { fetchSpy: () => fetchSpy };
}

/** One test per row: the row's error class and code, 401 invalid_token, no fetch. */
export function describeBadInputTable(title: string, rows: Row[]): void {
  const env = useBadInputEnvironment();
  describe(title, () => {
    it.each(rows)('rejects $name with $code (401 invalid_token)', async (row) => {
      const verifier = row.verifier ? await row.verifier() : secretVerifier();
      const error = await verifier.verify(await row.token()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(row.error);
      expect(error).toMatchObject({ code: row.code, status: 401, bearerError: 'invalid_token' });
      if (row.claim) expect((error as InvalidClaimError).claim).toBe(row.claim);
      expect(env.fetchSpy()).not.toHaveBeenCalled();
    });
  });
}
