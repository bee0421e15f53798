export {
  type AuthService,
  type AuthServiceOptions,
  createAuthService,
  depsFromConfig,
  type ExampleDeps,
  type JsonResponse,
  verifierOptions,
} from './auth-service.js';
export {
  type ExampleAlgorithm,
  type ExampleConfig,
  type ExampleEnv,
  loadConfig,
} from './config.js';
export { type DemoIssuer, type DemoIssuerOptions, startDemoIssuer } from './demo-issuer.js';
export { type IssuerServer, startIssuerServer } from './issuer-server.js';
export { listening } from './listen.js';
export { hashPassword, verifyPassword } from './passwords.js';
export {
  ADMIN_SCOPE,
  adminBody,
  curlCommands,
  healthBody,
  type ListenOptions,
  ROUTES,
  type RunningApi,
} from './routes.js';
export { runMain } from './run-main.js';
export { authenticateUser, DEMO_PASSWORDS, DEMO_USERS, type DemoUser } from './users.js';
