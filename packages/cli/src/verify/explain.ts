// Why the verifier refused a token, from what it threw (code, claim, message, cause), the
// options it was given, the JWK Set it fetched and the token's unverified contents. The
// policy itself is core's: nothing here decides whether a token is valid.
import type { TokengateError } from '@tokengate/core';
import { scopesOf } from '../decode.js';
import { claimRule, expired, notYetValid } from './claim-rules.js';
import type { ExplainContext, Explanation, Rule } from './explain-context.js';
import { algorithm, bound, malformed, signature } from './token-rules.js';

export type { ExplainContext, Explanation } from './explain-context.js';

const RULES: Record<string, Rule> = {
  ERR_TOKEN_MALFORMED: malformed,
  ERR_ALGORITHM_UNSUPPORTED: algorithm,
  ERR_TOKEN_EXPIRED: expired,
  ERR_TOKEN_NOT_YET_VALID: notYetValid,
  ERR_CLAIM_INVALID: (error, ctx) => claimRule(error.claim ?? '', error, ctx),
  ERR_SIGNATURE_INVALID: signature,
  ERR_TOKEN_BINDING: bound,
  ERR_TOKEN_REVOKED: (error) => ({
    step: 'revocation check',
    found: error.message,
    expected: 'a token that is not revoked',
  }),
  ERR_INSUFFICIENT_SCOPE: (_error, ctx) => {
    const scopes = ctx.decoded?.kind === 'JWS' ? scopesOf(ctx.decoded.claims) : [];
    return {
      step: 'route scopes (after a valid verification)',
      found: `scopes are [${scopes.join(', ')}]`,
      expected: `the route requires ${ctx.scopes.join(' ')} (--scope)`,
    };
  },
};

/**
 * Explain a refusal of the verifier.
 *
 * @example
 * const why = explain(error, ctx); // { code: 'ERR_CLAIM_INVALID', step: 'audience …', found: 'audience is [a, b]', … }
 */
export function explain(
  error: TokengateError & { claim?: string },
  ctx: ExplainContext,
): Explanation {
  const rule = RULES[error.code];
  const part = rule
    ? rule(error, ctx)
    : {
        step: 'verification',
        found: error.message,
        expected:
          'a token this verifier accepts (the code is in the errors table of @tokengate/core)',
      };
  const body = error.toJSON();
  return {
    code: error.code,
    status: error.status,
    error: body.error,
    claim: error.claim ?? null,
    ...part,
    message: error.message,
  };
}
