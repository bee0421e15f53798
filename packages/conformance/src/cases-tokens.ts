import { bearer, type ConformanceCase, type Expected, invalidToken, ok } from './expectations.js';
import type { Fixtures } from './fixtures.js';

/**
 * Messages of core's errors, as the verifier produces them for each cause.
 *
 * @example
 * invalidToken('ERR_TOKEN_EXPIRED', MESSAGES.expired);
 */
export const MESSAGES = {
  expired: 'The token has expired',
  notYetValid: 'The token is not yet valid',
  badSignature: 'The token signature is invalid',
  noMatchingKey: 'No matching key found for the token',
  wrongIssuer: 'The token issuer is not trusted',
  wrongAudience: 'The token audience is not accepted',
  algorithm: 'The token algorithm is not allowed',
  malformed: 'The token is malformed',
  tooLarge: 'The token is too large',
  encrypted: 'Encrypted tokens are not accepted',
  crit: 'The token uses an unsupported critical header',
  expRequired: 'The "exp" claim is required',
  expNotNumber: 'The "exp" claim must be a number',
  org: 'The "org" claim is invalid',
} as const;

const expired = invalidToken('ERR_TOKEN_EXPIRED', MESSAGES.expired);
const badSignature = invalidToken('ERR_SIGNATURE_INVALID', MESSAGES.badSignature);
const noMatchingKey = invalidToken('ERR_SIGNATURE_INVALID', MESSAGES.noMatchingKey);
const algorithm = invalidToken('ERR_ALGORITHM_UNSUPPORTED', MESSAGES.algorithm);
const malformed = invalidToken('ERR_TOKEN_MALFORMED', MESSAGES.malformed);
const claim = (name: string, message: string) => invalidToken('ERR_CLAIM_INVALID', message, name);

function onProtected(name: string, token: keyof Fixtures, expect: Expected): ConformanceCase {
  return { name, send: (t) => ({ path: '/protected', headers: bearer(t[token]) }), expect };
}

/**
 * Valid tokens of every key type the test issuer publishes.
 *
 * @example
 * for (const c of validTokenCases) it(c.name, () => runCase(target, c));
 */
export const validTokenCases: ConformanceCase[] = [
  onProtected(
    'accepts a valid RS256 token and puts its claims on the request',
    'valid',
    ok('/protected'),
  ),
  onProtected('accepts a valid ES256 token', 'validEs256', ok('/protected')),
  onProtected('accepts a valid EdDSA token', 'validEdDsa', ok('/protected')),
];

/**
 * Every reason a token is refused: 401 `invalid_token`, a safe description naming the cause,
 * the handler never runs. Includes the bad-input table of the core issue at the HTTP level.
 */
export const invalidTokenCases: ConformanceCase[] = [
  onProtected('refuses an expired token and says it expired', 'expired', expired),
  onProtected(
    'refuses a token that is not yet valid',
    'notYetValid',
    invalidToken('ERR_TOKEN_NOT_YET_VALID', MESSAGES.notYetValid),
  ),
  onProtected(
    'refuses a token signed by another key under the right kid',
    'badSignature',
    badSignature,
  ),
  onProtected(
    'refuses a token from another issuer',
    'wrongIssuer',
    claim('iss', MESSAGES.wrongIssuer),
  ),
  onProtected(
    'refuses a token for another audience',
    'wrongAudience',
    claim('aud', MESSAGES.wrongAudience),
  ),
  onProtected('refuses a token without exp', 'missingExp', claim('exp', MESSAGES.expRequired)),
  onProtected(
    'refuses a token whose exp is a string',
    'stringExp',
    claim('exp', MESSAGES.expNotNumber),
  ),
  onProtected('refuses alg none without a signature', 'algNone', algorithm),
  onProtected('refuses alg none with a signature', 'algNoneSigned', algorithm),
  onProtected(
    'refuses HS256 signed with the RSA public key (algorithm confusion)',
    'hsWithRsaPublicKey',
    algorithm,
  ),
  onProtected('refuses a token whose kid is not in the key set', 'unknownKid', noMatchingKey),
  onProtected('never uses a key embedded in the jwk header', 'embeddedJwk', badSignature),
  {
    ...onProtected('never fetches keys from a jku header', 'jkuHeader', badSignature),
    after: 'attacker-url-not-fetched',
  },
  {
    ...onProtected('never fetches keys from an x5u header', 'x5uHeader', badSignature),
    after: 'attacker-url-not-fetched',
  },
  onProtected('refuses a token with one flipped signature bit', 'flippedBit', badSignature),
  onProtected('refuses a token with a truncated signature', 'truncated', badSignature),
  onProtected('refuses an ES256 signature of zeros', 'zeroEs256', badSignature),
  onProtected('refuses a token that is not a JWT', 'oneSegment', malformed),
  onProtected('refuses a token with 2 segments', 'twoSegments', malformed),
  onProtected('refuses a token with 4 segments', 'fourSegments', malformed),
  onProtected(
    'refuses a 5-segment (encrypted) token when no decryption key is set',
    'fiveSegments',
    invalidToken('ERR_TOKEN_MALFORMED', MESSAGES.encrypted),
  ),
  onProtected('refuses a signature with = padding', 'padded', malformed),
  onProtected('refuses a signature in the standard base64 alphabet', 'standardBase64', malformed),
  onProtected('refuses a header that is a JSON array', 'headerArray', malformed),
  onProtected('refuses a payload that is not JSON', 'payloadNotJson', malformed),
  onProtected(
    'refuses a crit header with an unknown extension',
    'crit',
    invalidToken('ERR_TOKEN_MALFORMED', MESSAGES.crit),
  ),
  onProtected(
    'refuses an oversized token before parsing it',
    'oversized',
    invalidToken('ERR_TOKEN_MALFORMED', MESSAGES.tooLarge),
  ),
];

/**
 * Causes that must each have their own description (checked in one request round).
 *
 * @example
 * distinctCauses.map((name) => tokens[name]);
 */
export const distinctCauses: (keyof Fixtures)[] = [
  'expired',
  'notYetValid',
  'badSignature',
  'unknownKid',
  'wrongIssuer',
  'wrongAudience',
  'missingExp',
  'algNone',
  'oneSegment',
  'oversized',
];
