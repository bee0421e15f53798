import {
  flipSignatureBit,
  generateTestKey,
  padSignature,
  publicKeyPem,
  replaceHeader,
  replacePayload,
  standardBase64Signature,
  type TestIssuer,
  truncateSignature,
  withSegments,
  zeroSignature,
} from '@tokengate/testing';

/** Where the `jku` / `x5u` forgeries point: on the test issuer, so a fetch would be seen. */
export const ATTACKER_PATH = '/attacker/keys.json';

async function standardAlphabet(issuer: TestIssuer): Promise<string> {
  // A signature without `-` or `_` cannot be rewritten; a fresh `jti` gives a new signature.
  for (;;) {
    const forged = standardBase64Signature(await issuer.mint());
    if (forged) return forged;
  }
}

/**
 * Every token the suite sends, minted once per run from the suite's test issuer.
 *
 * @example
 * const tokens = await mintFixtures(issuer);
 * tokens.expired;
 */
export async function mintFixtures(issuer: TestIssuer) {
  const valid = await issuer.mint();
  const rsa = issuer.currentKey('RS256');
  const pem = new TextEncoder().encode(await publicKeyPem(rsa));
  // An attacker's own key, offered in the header (`jwk`) or by URL (`jku`, `x5u`) under the
  // issuer's kid: a verifier must use only its configured keys (RFC 8725 §3.10).
  const attacker = await generateTestKey('RS256', rsa.kid);
  const attackerSigned = (header: Record<string, unknown>) =>
    issuer.mint({}, { key: attacker.privateKey, header });
  return {
    valid,
    validEs256: await issuer.mint({}, { alg: 'ES256' }),
    validEdDsa: await issuer.mint({}, { alg: 'EdDSA' }),
    readThings: await issuer.mint({ scope: 'read:things profile' }),
    readThingsScp: await issuer.mint({ scp: ['read:things'] }),
    writeThings: await issuer.mint({ scope: 'write:things' }),
    admin: await issuer.mint({ permissions: ['admin'] }),
    orgAcme: await issuer.mint({ org: 'acme' }),
    orgOther: await issuer.mint({ org: 'evil-corp' }),
    expired: await issuer.mint({}, { expiresIn: '-10m' }),
    notYetValid: await issuer.mint({}, { notBefore: '10m' }),
    badSignature: await issuer.mint({}, { key: 'stranger' }),
    wrongIssuer: await issuer.mint({ iss: 'https://evil.example.test' }),
    wrongAudience: await issuer.mint({ aud: 'some-other-api' }),
    missingExp: await issuer.mint({ exp: undefined }),
    stringExp: await issuer.mint({ exp: String(Math.floor(Date.now() / 1000) + 300) as never }),
    algNone: issuer.mintUnsecured(),
    algNoneSigned: `${issuer.mintUnsecured()}${valid.split('.')[2]}`,
    hsWithRsaPublicKey: await issuer.mint({}, { alg: 'HS256', key: pem, header: { kid: rsa.kid } }),
    unknownKid: await issuer.mint({}, { key: 'unknown' }),
    embeddedJwk: await attackerSigned({ jwk: attacker.publicJwk }),
    jkuHeader: await attackerSigned({ jku: `${issuer.url}${ATTACKER_PATH}` }),
    x5uHeader: await attackerSigned({ x5u: `${issuer.url}${ATTACKER_PATH}` }),
    flippedBit: flipSignatureBit(valid),
    truncated: truncateSignature(valid),
    zeroEs256: zeroSignature(await issuer.mint({}, { alg: 'ES256' }), 64),
    oneSegment: 'not-a-jwt',
    twoSegments: withSegments(valid, 2),
    fourSegments: withSegments(valid, 4),
    fiveSegments: withSegments(valid, 5),
    padded: padSignature(valid),
    standardBase64: await standardAlphabet(issuer),
    headerArray: replaceHeader(valid, '["RS256"]'),
    payloadNotJson: replacePayload(valid, 'not json'),
    crit: await issuer.mint(
      {},
      { header: { crit: ['x-tokengate-unknown'], 'x-tokengate-unknown': 1 } },
    ),
    oversized: await issuer.mint({ padding: 'x'.repeat(9000) }),
  };
}

/** The tokens of {@link mintFixtures}, by name. */
export type Fixtures = Awaited<ReturnType<typeof mintFixtures>>;
