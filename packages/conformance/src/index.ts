export {
  allDpopCases,
  DPOP_MESSAGES,
  type DpopCase,
  type DpopFixtures,
  type DpopTarget,
  dpopAttackCases,
  dpopCases,
  dpopNonceCases,
  mintDpopFixtures,
} from './cases-dpop.js';
export * from './cases-mtls.js';
export * from './cases-resource.js';
export * from './cases-routes.js';
export { distinctCauses, invalidTokenCases, MESSAGES, validTokenCases } from './cases-tokens.js';
export {
  createSelfSignedIdentity,
  createTestCertificates,
  type ServerTlsOptions,
  serverTlsOptions,
  type TestCertificates,
  type TlsIdentity,
} from './certificates.js';
export type { ConformanceApp, ConformanceFeatures, StartAdapter } from './contract.js';
export {
  createDpopClient,
  type DpopClient,
  type DpopExchange,
  type DpopRequestOptions,
} from './dpop-client.js';
export {
  DPOP_NONCE_SECRET,
  DPOP_ORIGIN,
  DPOP_POLICY,
  dpopRouteOptions,
  ELSEWHERE,
  LOOPBACK,
} from './dpop-routes.js';
export * from './expectations.js';
export { ATTACKER_PATH, type Fixtures, mintFixtures } from './fixtures.js';
export { MCP_FIXTURE } from './mcp-fixture.js';
export { deadJwksUri, FAILING_ISSUER, startFailingJwks } from './net.js';
export { type RawRequestOptions, type RawResponse, rawRequest } from './raw-request.js';
export { conformanceCases, createConformanceApp, runConformance } from './run.js';
export { assertAnswer, type CaseTarget, type Hit, runCase } from './run-case.js';
export { foreignRejection } from './thenable.js';
