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
export type { Refusal, RequestView } from '@tokengate/core/adapter';
export {
  ANY_SCOPE_KEY,
  CLAIMS_KEY,
  OPTIONAL_KEY,
  PUBLIC_KEY,
  SCOPES_KEY,
  TOKENGATE_VERIFIER,
} from './constants.js';
export {
  AnyScope,
  Auth,
  type AuthClaim,
  type AuthenticatedRequest,
  type ClaimName,
  type MaybeAuth,
  OptionalAuth,
  Public,
  RequireClaims,
  Scopes,
} from './decorators.js';
export { TokengateHttpException } from './exception.js';
export { JwtAuthGuard } from './jwt-auth.guard.js';
export {
  MODULE_OPTIONS_TOKEN,
  type TokengateForRootAsyncOptions,
  type TokengateForRootOptions,
  type TokengateModuleExtras,
  type TokengateModuleOptions,
} from './module-definition.js';
export { type HttpRequestLike, toTokenRequest } from './request.js';
export { TokengateModule } from './tokengate.module.js';
