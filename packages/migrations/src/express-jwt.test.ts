import { migrationSuite, noChallenge, tokengateChallenge } from './suite.js';

migrationSuite('express-jwt', [
  {
    name: 'express-jwt + jwks-rsa → @tokengate/express',
    before: 1,
    after: 2,
    path: '/api/me',
    statuses: {
      valid: 200,
      expired: 401,
      'wrong audience': 401,
      'wrong issuer': 401,
      'bad signature': 401,
      'missing token': 401,
      'no exp': { before: 200, after: 401 },
    },
    // express-jwt leaves the answer to the application's error handler: no challenge.
    challenge: { before: noChallenge, after: tokengateChallenge },
  },
]);
