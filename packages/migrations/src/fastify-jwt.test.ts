import { migrationSuite, noChallenge, tokengateChallenge } from './suite.js';

migrationSuite('fastify-jwt', [
  {
    name: '@fastify/jwt → @tokengate/fastify',
    before: 1,
    after: 2,
    path: '/me',
    secret: 'a-shared-secret-of-at-least-32-bytes!',
    statuses: {
      valid: 200,
      expired: 401,
      'wrong audience': 401,
      'wrong issuer': 401,
      'bad signature': 401,
      'missing token': 401,
      'no exp': { before: 200, after: 401 },
    },
    // @fastify/jwt answers with Fastify's error body and no challenge.
    challenge: { before: noChallenge, after: tokengateChallenge },
  },
]);
