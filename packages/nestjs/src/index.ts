export * from '@tokengate/core';
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
  type AuthCheck,
  type AuthClaim,
  type AuthenticatedRequest,
  type ClaimName,
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
