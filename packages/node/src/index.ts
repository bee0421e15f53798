export type {
  AuthInfo,
  DpopOptions,
  IntrospectionOptions,
  MtlsOptions,
  ProtectedResourceMetadata,
  ProtectedResourceOptions,
  Register,
  ReplayStore,
  TokenBinding,
  TrustProxy,
  Verifier,
  VerifierOptions,
} from '@tokengate/core';
export {
  createVerifier,
  DpopProofReplayedError,
  InactiveTokenError,
  IntrospectionUnavailableError,
  InvalidDpopProofError,
  isTokengateError,
  MemoryReplayStore,
  protectedResourceMetadata,
  StoreUnavailableError,
  TokenBindingError,
  TokengateError,
  UseDpopNonceError,
} from '@tokengate/core';
export type { Refusal } from '@tokengate/core/adapter';
export type { AuthHandler } from './exchange.js';
export { requireClaims, requireScopes } from './guards.js';
export { type AuthWrapper, jwtAuth, type NodeAuthOptions } from './jwt-auth.js';
export { type ProtectedResourceHandler, protectedResourceRoute } from './protected-resource.js';
