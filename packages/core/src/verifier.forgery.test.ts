// Bad-input table, part 1 (RFC 8725 §2 threats): forged algorithms, keys, key-bearing headers and
// signatures. Each row maps one hostile token to its typed 401.
import { base64url, generateKeyPair } from 'jose';
import {
  InvalidClaimError,
  InvalidSignatureError,
  MalformedTokenError,
  UnsupportedAlgorithmError,
} from './errors.js';
import {
  describeBadInputTable,
  ecVerifier,
  jwksVerifier,
  type Row,
  rsaVerifier,
  segments,
  withSignature,
} from './test-support/bad-input.js';
import {
  AUDIENCE,
  b64,
  claims,
  hs256,
  ISSUER,
  keyPairs,
  raw,
  SECRET,
  sign,
} from './test-support/tokens.js';
import { createVerifier } from './verifier.js';

const rows: Row[] = [
  {
    name: 'alg none without a signature',
    token: async () => raw({ alg: 'none' }, claims()),
    error: UnsupportedAlgorithmError,
    code: 'ERR_ALGORITHM_UNSUPPORTED',
  },
  {
    name: 'alg none with a signature',
    token: async () =>
      `${b64({ alg: 'none', typ: 'JWT' })}.${segments(await hs256())[1]}.${segments(await hs256())[2]}`,
    error: UnsupportedAlgorithmError,
    code: 'ERR_ALGORITHM_UNSUPPORTED',
  },
  {
    name: 'HS256 signed with the RSA public key PEM as the HMAC secret',
    token: async () =>
      sign(claims(), new TextEncoder().encode((await keyPairs()).rsa.pem), 'HS256'),
    error: UnsupportedAlgorithmError,
    code: 'ERR_ALGORITHM_UNSUPPORTED',
    verifier: rsaVerifier,
  },
  {
    name: 'HS256 signed with the RSA public key, against a remote JWKS (nothing fetched)',
    token: async () =>
      sign(claims(), new TextEncoder().encode((await keyPairs()).rsa.pem), 'HS256'),
    error: UnsupportedAlgorithmError,
    code: 'ERR_ALGORITHM_UNSUPPORTED',
    verifier: jwksVerifier,
  },
  {
    name: 'alg none against a remote JWKS (nothing fetched)',
    token: async () => raw({ alg: 'none' }, claims()),
    error: UnsupportedAlgorithmError,
    code: 'ERR_ALGORITHM_UNSUPPORTED',
    verifier: jwksVerifier,
  },
  {
    name: 'a forged issuer against a remote JWKS (nothing fetched)',
    token: async () =>
      sign(claims({ iss: 'https://evil.example/' }), (await keyPairs()).rsa.privateKey, 'RS256', {
        jku: 'https://evil.example/jwks',
      }),
    error: InvalidClaimError,
    code: 'ERR_CLAIM_INVALID',
    claim: 'iss',
    verifier: jwksVerifier,
  },
  {
    name: 'embedded jwk header of the attacker key',
    token: async () => {
      const attacker = await generateKeyPair('RS256', { extractable: true });
      const { exportJWK } = await import('jose');
      return sign(claims(), attacker.privateKey, 'RS256', {
        jwk: await exportJWK(attacker.publicKey),
      });
    },
    error: InvalidSignatureError,
    code: 'ERR_SIGNATURE_INVALID',
    verifier: rsaVerifier,
  },
  {
    name: 'jku, x5u and x5c headers pointing at attacker keys',
    token: async () => {
      const attacker = await generateKeyPair('RS256');
      return sign(claims(), attacker.privateKey, 'RS256', {
        jku: 'https://evil.example/jwks',
        x5u: 'https://evil.example/cert',
        x5c: ['MIIBfTCCASOgAwIBAgIU'],
      });
    },
    error: InvalidSignatureError,
    code: 'ERR_SIGNATURE_INVALID',
    verifier: rsaVerifier,
  },
  {
    name: 'a kid that is not a string',
    token: () => hs256({}, { kid: 7 }),
    error: MalformedTokenError,
    code: 'ERR_TOKEN_MALFORMED',
  },
  {
    name: 'unknown kid',
    token: () => hs256({}, { kid: 'nope' }),
    error: InvalidSignatureError,
    code: 'ERR_SIGNATURE_INVALID',
    verifier: async () =>
      createVerifier({ secret: { kid: 'k1', secret: SECRET }, issuer: ISSUER, audience: AUDIENCE }),
  },
  {
    name: 'flipped signature bit',
    token: () => withSignature((s) => s.map((b, i) => (i === 5 ? b ^ 1 : b))),
    error: InvalidSignatureError,
    code: 'ERR_SIGNATURE_INVALID',
  },
  {
    name: 'truncated signature',
    token: () => withSignature((s) => s.slice(0, 16)),
    error: InvalidSignatureError,
    code: 'ERR_SIGNATURE_INVALID',
  },
  {
    name: 'ES256 signature of zeros',
    token: async () =>
      `${b64({ alg: 'ES256' })}.${b64(claims())}.${base64url.encode(new Uint8Array(64))}`,
    error: InvalidSignatureError,
    code: 'ERR_SIGNATURE_INVALID',
    verifier: ecVerifier,
  },
];

describeBadInputTable('forged algorithms, keys and signatures', rows);
