export type { AuthInfo, Register, Verifier, VerifierOptions } from '@tokengate/core';
export { createVerifier, isTokengateError, TokengateError } from '@tokengate/core';
export type { Refusal } from '@tokengate/core/adapter';
export type { AuthHandler } from './exchange.js';
export { requireClaims, requireScopes } from './guards.js';
export { type AuthWrapper, jwtAuth, type NodeAuthOptions } from './jwt-auth.js';
