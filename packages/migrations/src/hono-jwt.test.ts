import { expect } from 'vitest';
import { type Answer, ask } from './harness.js';
import { migrationSuite, tokengateChallenge } from './suite.js';

const statuses = {
  valid: 200,
  expired: 401,
  'wrong audience': 401,
  'wrong issuer': 401,
  'bad signature': 401,
  'missing token': 401,
  'no exp': { before: 200, after: 401 },
};

// Hono's realm defaults to the request URL, and a request without a token is
// `invalid_request` (tokengate sends no error code then, as RFC 6750 §3.1 asks).
function honoChallenge(answer: Answer, request: string): void {
  const error = request === 'missing token' ? 'invalid_request' : 'invalid_token';
  expect(answer.challenge).toMatch(
    new RegExp(`^Bearer realm="http://127\\.0\\.0\\.1:\\d+/api/me",\\s?error="${error}"`),
  );
}

migrationSuite('hono-jwt', [
  {
    name: 'hono/jwk → @tokengate/hono',
    before: 1,
    after: 2,
    path: '/api/me',
    statuses,
    challenge: { before: honoChallenge, after: tokengateChallenge },
    differences: {
      'hono/jwk fetches the JWK Set for every request, tokengate keeps it': async (pair) => {
        await ask(pair.after, '/api/me', pair.tokens.valid); // tokengate's first fetch
        pair.issuer.resetRequests();
        for (let i = 0; i < 3; i++) await ask(pair.before, '/api/me', pair.tokens.valid);
        expect(pair.issuer.jwksRequests).toBe(3);
        pair.issuer.resetRequests();
        for (let i = 0; i < 3; i++) await ask(pair.after, '/api/me', pair.tokens.valid);
        expect(pair.issuer.jwksRequests).toBe(0);
      },
    },
  },
  {
    name: 'hono/jwt → @tokengate/hono',
    before: 3,
    after: 4,
    path: '/api/me',
    secret: 'a-shared-secret-of-at-least-32-bytes!',
    statuses,
    challenge: { before: honoChallenge, after: tokengateChallenge },
  },
]);
