export * from '@tokengate/core';
export { requireClaims, requireScopes } from './guards.js';
export { type ExpressAuthOptions, type JwtAuthOptions, jwtAuth } from './jwt-auth.js';
export { toTokenRequest } from './request.js';
