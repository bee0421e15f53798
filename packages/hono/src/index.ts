export * from '@tokengate/core';
export type { OptionalTokengateEnv, TokengateEnv } from './env.js';
export { toHTTPException } from './exception.js';
export { requireClaims, requireScopes } from './guards.js';
export {
  type JwtAuthOptions,
  type JwtAuthSource,
  jwtAuth,
  type VerifierOptionsFactory,
} from './middleware.js';
export { toTokenRequest } from './request.js';
