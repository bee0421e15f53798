import { migrationSuite, noChallenge, tokengateChallenge } from './suite.js';

migrationSuite('nestjs-passport', [
  {
    name: '@nestjs/passport + passport-jwt → @tokengate/nestjs',
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
    // passport-jwt answers Nest's `{ message: 'Unauthorized', statusCode: 401 }`, no challenge.
    challenge: { before: noChallenge, after: tokengateChallenge },
  },
]);
