export type {
  AuthInfo,
  DpopOptions,
  MtlsOptions,
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
  InvalidDpopProofError,
  isTokengateError,
  MemoryReplayStore,
  StoreUnavailableError,
  TokenBindingError,
  TokengateError,
  UseDpopNonceError,
} from '@tokengate/core';
export type { Refusal } from '@tokengate/core/adapter';
export type { AuthHandler } from './exchange.js';
export { requireClaims, requireScopes } from './guards.js';
export { type AuthWrapper, jwtAuth, type NodeAuthOptions } from './jwt-auth.js';
