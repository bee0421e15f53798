export {
  AuthenticationNotRunError,
  type AuthInfo,
  type ClaimRequirement,
  type ClaimRequirements,
  checkClaims,
  checkScopes,
  createVerifier,
  decodeUnverified,
  type ErrorBody,
  type Frozen,
  InsufficientScopeError,
  InvalidClaimError,
  InvalidRequestError,
  InvalidSignatureError,
  InvalidTokenError,
  isTokengateError,
  type JWTClaims,
  KeyConfigurationError,
  KeySetUnavailableError,
  MalformedTokenError,
  MissingTokenError,
  type OptionalMode,
  type ProtectedHeader,
  type Register,
  type RegisteredClaims,
  RevokedTokenError,
  type ScopeMode,
  TokenExpiredError,
  TokengateError,
  TokenNotYetValidError,
  UnsupportedAlgorithmError,
  type Verifier,
  type VerifierOptions,
} from '@tokengate/core';
export type { OptionalTokengateEnv, TokengateEnv } from './env.js';
export { toHTTPException } from './exchange.js';
export type { VerifierOptionsFactory } from './gate-cache.js';
export { requireClaims, requireScopes } from './guards.js';
export { type JwtAuthOptions, type JwtAuthSource, jwtAuth } from './middleware.js';
export { toTokenRequest } from './request.js';
