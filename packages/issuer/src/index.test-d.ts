import { describe, expectTypeOf, it } from 'vitest';
import {
  createTokenIssuer,
  type DpopTokenRequest,
  type IssuerKey,
  type KeyRing,
  type SignOptions,
  sign,
  type TokenIssuer,
  type TokenResponse,
} from './index.js';

declare const key: IssuerKey;
declare const ring: KeyRing;

describe('types', () => {
  it('requires an explicit lifetime to sign', () => {
    // @ts-expect-error expiresIn is required
    const missing: SignOptions = { key };
    expectTypeOf(missing).toEqualTypeOf<SignOptions>();
    expectTypeOf(sign({}, { key: ring, expiresIn: '15m' })).toEqualTypeOf<Promise<string>>();
    expectTypeOf(sign({}, { key, expiresIn: false, allowNoExpiry: true })).toEqualTypeOf<
      Promise<string>
    >();
  });

  it('answers the RFC 6749 §5.1 token response shape', () => {
    const tokens = createTokenIssuer({ issuer: 'i', audience: 'a', keys: ring });
    expectTypeOf(tokens).toEqualTypeOf<TokenIssuer>();
    expectTypeOf(tokens.refresh('rt')).toEqualTypeOf<Promise<TokenResponse>>();
    expectTypeOf<TokenResponse['token_type']>().toEqualTypeOf<'Bearer' | 'DPoP'>();
    expectTypeOf<TokenResponse['expires_in']>().toEqualTypeOf<number>();
  });

  it('takes a DPoP proof per token request and DPoP proof options at construction', () => {
    const tokens = createTokenIssuer({ issuer: 'i', audience: 'a', keys: ring, dpop: true });
    const dpop: DpopTokenRequest = { proof: undefined, method: 'POST', uri: 'https://i/token' };
    expectTypeOf(tokens.issueTokens('sub', {}, { dpop })).toEqualTypeOf<Promise<TokenResponse>>();
    expectTypeOf(tokens.refresh('rt', { dpop })).toEqualTypeOf<Promise<TokenResponse>>();
    expectTypeOf(tokens.dpopNonce()).toEqualTypeOf<Promise<string | undefined>>();
    createTokenIssuer({ issuer: 'i', audience: 'a', keys: ring, dpop: { maxAge: '2m' } });
    // @ts-expect-error not a DPoP option
    createTokenIssuer({ issuer: 'i', audience: 'a', keys: ring, dpop: { mode: 'required' } });
  });

  it('only accepts the supported JWE algorithms', () => {
    // @ts-expect-error RSA1_5 is not offered (RFC 8725 §3.2)
    sign({}, { key, expiresIn: 60, encryptTo: { key: new Uint8Array(32), alg: 'RSA1_5' } });
  });
});
