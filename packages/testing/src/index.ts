export {
  createTestIssuer,
  type KeySourceKind,
  type TestIssuer,
  type TestIssuerOptions,
  type TestVerifierOptions,
} from './issuer.js';
export * from './portable.js';
export type { IssuerRequest, JwksResponseOverride } from './server.js';
