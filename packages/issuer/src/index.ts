// The DPoP proof options are core's: one proof verifier for token endpoints and APIs.
export type { DpopNonceOptions, DpopProofOptions, ReplayStore } from '@tokengate/core';
export type { DpopTokenRequest } from './dpop.js';
export type { Duration } from './duration.js';
export {
  type ContentEncryptionAlgorithm,
  type EncryptOptions,
  encrypt,
  type KeyManagementAlgorithm,
} from './encrypt.js';
export {
  DpopNonceError,
  DpopProofError,
  InvalidRefreshTokenError,
  type InvalidRefreshTokenReason,
  IssuerError,
  type IssuerErrorCode,
  RefreshTokenBindingError,
  type RefreshTokenBindingReason,
  RefreshTokenReuseError,
} from './errors.js';
export {
  createKeyRing,
  type KeyRing,
  type KeyRingOptions,
  type RotateOptions,
} from './key-ring.js';
export {
  generateSigningKey,
  type IssuerKey,
  importSigningKey,
  type KeyInput,
  type KeyOptions,
  SIGNING_ALGORITHMS,
  type SigningAlgorithm,
} from './keys.js';
export {
  MemoryRefreshTokenStore,
  type MemoryRefreshTokenStoreOptions,
  type RefreshTokenRecord,
  type RefreshTokenStore,
  type RotateResult,
  type StoredRefreshToken,
} from './refresh-store.js';
export { ACCESS_TOKEN_TYP, type SignOptions, sign } from './sign.js';
export {
  createTokenIssuer,
  type TokenIssuer,
  type TokenIssuerOptions,
  type TokenRequestOptions,
  type TokenResponse,
} from './token-issuer.js';
