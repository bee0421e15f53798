import { describe, expectTypeOf, it } from 'vitest';
import {
  type ErrorBody,
  InvalidClaimError,
  InvalidTokenError,
  isTokengateError,
  TokenExpiredError,
  TokengateError,
} from './index.js';

describe('error types', () => {
  it('narrows by instanceof to the class on the right, as without Symbol.hasInstance', () => {
    const e = {} as unknown;
    if (e instanceof TokenExpiredError) expectTypeOf(e).toEqualTypeOf<TokenExpiredError>();
    if (e instanceof InvalidTokenError) expectTypeOf(e).toEqualTypeOf<InvalidTokenError>();
    if (e instanceof InvalidClaimError) expectTypeOf(e.claim).toEqualTypeOf<string>();
    if (e instanceof TokengateError) expectTypeOf(e).toEqualTypeOf<TokengateError>();
    if (isTokengateError(e)) expectTypeOf(e.status).toEqualTypeOf<number>();
  });

  it('types the claim of an invalid-claim body as optional', () => {
    expectTypeOf<ErrorBody['claim']>().toEqualTypeOf<string | undefined>();
    expectTypeOf(new InvalidClaimError('org').toJSON()).toEqualTypeOf<ErrorBody>();
  });
});
