import { expect } from 'vitest';
import type { Answer } from './harness.js';
import { migrationSuite, tokengateChallenge } from './suite.js';

// express-oauth2-jwt-bearer answers RFC 6750 challenges too, with the same error codes; it
// accepts DPoP by default, so a request without a token also gets a DPoP challenge (tokengate:
// only with the `dpop` option).
function oauth2JwtBearerChallenge(answer: Answer, request: string): void {
  if (request === 'missing token')
    expect(answer.challenge).toMatch(/^Bearer realm="api", DPoP algs="RS256 [^"]*"$/);
  else if (request === 'missing scope')
    expect(answer.challenge).toMatch(/^Bearer realm="api", error="insufficient_scope"/);
  else expect(answer.challenge).toMatch(/^Bearer realm="api", error="invalid_token"/);
}

migrationSuite('express-oauth2-jwt-bearer', [
  {
    name: 'express-oauth2-jwt-bearer → @tokengate/express',
    before: 1,
    after: 2,
    path: '/api/me',
    scoped: { method: 'DELETE', path: '/api/things/1', scope: 'write:things' },
    statuses: {
      valid: 200,
      expired: 401,
      'wrong audience': 401,
      'wrong issuer': 401,
      'bad signature': 401,
      'missing token': 401,
      'no exp': 401,
    },
    challenge: { before: oauth2JwtBearerChallenge, after: tokengateChallenge },
  },
]);
