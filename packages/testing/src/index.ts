export {
  createTestIssuer,
  type KeySourceKind,
  type TestIssuer,
  type TestIssuerOptions,
  type TestVerifierOptions,
} from './issuer.js';
export * from './keys.js';
export * from './mint.js';
export * from './minter.js';
export type { IssuerRequest, JwksResponseOverride } from './server.js';
export * from './tamper.js';
