// `@tokengate/core/adapter`: what an adapter author needs to put the request protocol on a
// framework. Applications import `@tokengate/core` instead.

export { toolScopeRules } from './mcp/rules.js';
export { authorizeUnauthenticated, createGate, type Gate, isVerifier } from './protocol/gate.js';
export { type PeerSocket, peerCertificateOf } from './protocol/peer-certificate.js';
export { rawHeaderValues } from './protocol/raw-headers.js';
export {
  type AuthCheck,
  checkOptionalMode,
  combineRouteRules,
  compileRouteRules,
  NO_RULES,
  type RoutePolicy,
  type RouteRules,
} from './protocol/rules.js';
export type { Exchange, Refusal, RequestView, Responder } from './protocol/view.js';
export {
  type MetadataAnswer,
  type ProtectedResourceRoute,
  protectedResourceRouteOf,
} from './resource/route.js';
