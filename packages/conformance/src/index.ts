export {
  defaultsCases,
  guardCases,
  modeCases,
  requestCases,
  standaloneGuardCases,
} from './cases-routes.js';
export { distinctCauses, invalidTokenCases, MESSAGES, validTokenCases } from './cases-tokens.js';
export type { ConformanceApp, ConformanceFeatures, StartAdapter } from './contract.js';
export * from './expectations.js';
export { ATTACKER_PATH, type Fixtures, mintFixtures } from './fixtures.js';
export { deadJwksUri, FAILING_ISSUER, startFailingJwks } from './net.js';
export { type RawRequestOptions, type RawResponse, rawRequest } from './raw-request.js';
export { conformanceCases, createConformanceApp, runConformance } from './run.js';
export { type CaseTarget, type Hit, runCase } from './run-case.js';
export { foreignRejection } from './thenable.js';
