// The explanations of the claims policy's refusals: time claims, issuer, audience, typ,
// required claims and claim types.
import type { TokengateError } from '@tokengate/core';
import { timeNote, utc } from '../format.js';
import {
  claims,
  type ExplainContext,
  expectList,
  header,
  listOf,
  type Part,
  quoted,
  type Rule,
} from './explain-context.js';

// A Duration option as given: whole seconds, or a string such as '5m'.
const seconds = (value: number | string | undefined) =>
  typeof value === 'number' ? `${value} s` : value;

export const timeClaims = 'time claims (after the signature was verified)';

/** `ERR_TOKEN_EXPIRED`: `exp` passed, or `maxTokenAge`. */
export const expired: Rule = (error, ctx) => {
  const c = claims(ctx);
  const tolerance = seconds(ctx.options.clockTolerance) ?? 'the default';
  if (/maximum age/.test(error.message) && typeof c.iat === 'number')
    return {
      step: timeClaims,
      found: `issued at ${utc(c.iat)} (${timeNote('iat', c.iat, ctx.now)})`,
      expected: `a token at most ${seconds(ctx.options.maxTokenAge)} old (--max-token-age)`,
    };
  return {
    step: timeClaims,
    found:
      typeof c.exp === 'number'
        ? `exp ${utc(c.exp)}: ${timeNote('exp', c.exp, ctx.now)}`
        : error.message,
    expected: `a token that has not expired (clock tolerance: ${tolerance}); get a new one`,
  };
};

/** `ERR_TOKEN_NOT_YET_VALID`: `nbf` or `iat` ahead. */
export const notYetValid: Rule = (_error, ctx) => {
  const c = claims(ctx);
  const found =
    typeof c.nbf === 'number' && c.nbf > ctx.now
      ? `nbf ${utc(c.nbf)}: ${timeNote('nbf', c.nbf, ctx.now)}`
      : typeof c.iat === 'number'
        ? `iat ${utc(c.iat)}: ${timeNote('iat', c.iat, ctx.now)}`
        : 'a time claim in the future';
  return {
    step: timeClaims,
    found,
    expected: 'wait until then, or check the clocks of the issuer and of this machine',
  };
};

/** `ERR_CLAIM_INVALID`, by the claim it names. */
export function claimRule(claim: string, error: TokengateError, ctx: ExplainContext): Part {
  const c = claims(ctx);
  const o = ctx.options;
  switch (claim) {
    case 'iss':
      return {
        step: 'issuer (checked before any key is fetched, and again with the claims)',
        found: c.iss === undefined ? 'the token has no iss' : `issuer is ${quoted(c.iss)}`,
        expected: `the verifier trusts ${expectList(o.issuer, 'no issuer')}`,
      };
    case 'aud':
      return {
        step: 'audience (claims policy, after the signature was verified)',
        found: c.aud === undefined ? 'the token has no aud' : `audience is ${listOf(c.aud)}`,
        expected: `the verifier expects ${expectList(o.audience, 'an audience')}`,
      };
    case 'typ':
      return {
        step: 'typ header (claims policy)',
        found:
          header(ctx).typ === undefined
            ? 'the token has no typ'
            : `typ is ${quoted(header(ctx).typ)}`,
        expected: `the verifier accepts ${o.typ === 'rfc9068' ? 'at+jwt (RFC 9068)' : expectList(o.typ, 'another typ')}`,
      };
    case 'cnf':
      return {
        step: 'sender binding',
        found: error.message,
        expected:
          'a cnf claim with a base64url SHA-256 thumbprint (RFC 7800, RFC 9449 §6.1, RFC 8705 §3.1)',
      };
  }
  if (c[claim] === undefined)
    return {
      step: claim === 'exp' || claim === 'iat' ? timeClaims : 'required claims (claims policy)',
      found: `the token has no ${claim} claim`,
      expected:
        claim === 'exp'
          ? 'an exp claim (--no-require-exp accepts tokens without one)'
          : `a ${claim} claim: the verifier requires it (--require-claim, or --typ rfc9068)`,
    };
  return {
    step: 'claim types (claims policy)',
    found: `${claim} is ${quoted(c[claim])}`,
    expected: error.message,
  };
}
