// What an application imports. Adapter authors find the request protocol on
// `@tokengate/core/adapter`.
export { JWS_ALGORITHMS, type JwsAlgorithm } from './algorithms.js';
export { decodeUnverified } from './decode.js';
export * from './errors.js';
export {
  InactiveTokenError,
  type IntrospectionFailureCause,
  IntrospectionUnavailableError,
} from './introspection/errors.js';
export { KeyConfigurationError } from './keys/config-error.js';
export type {
  KeyResolver,
  KeySourceHealth,
  SecretInput,
  StaticKeyInput,
  VerificationKey,
  VerifierHealth,
} from './keys/types.js';
export {
  type McpAuthInfo,
  type McpResourceOptions,
  mcpResource,
  requiredToolScopes,
  type ToolScopes,
  toMcpAuthInfo,
  toolCallNames,
} from './mcp/index.js';
export type * from './options.js';
export {
  type ProtectedResourceMetadata,
  protectedResourceMetadata,
} from './resource/metadata.js';
export {
  type ClaimRequirement,
  type ClaimRequirements,
  checkClaims,
  checkScopes,
  getScopes,
} from './scopes.js';
export { DEFAULT_DPOP_ALGORITHMS } from './sender/dpop-options.js';
export { certificateThumbprint } from './sender/mtls.js';
export {
  createDpopProofVerifier,
  type DpopProofInput,
  type DpopProofOptions,
  type DpopProofVerifier,
  type VerifiedDpopProof,
} from './sender/proof.js';
export { MemoryReplayStore, type MemoryReplayStoreOptions } from './sender/replay.js';
export type * from './types.js';
export { type AuthenticateOptions, createVerifier, type Verifier } from './verifier.js';
