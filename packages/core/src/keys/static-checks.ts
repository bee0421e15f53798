/**
 * Shape checks of configured static keys, run synchronously in `createVerifier` so a broken
 * PEM or JWK is a `TypeError` at start-up instead of a 401 on every request. They check the
 * armour and the member names and alphabets only; jose still does the actual decoding.
 */
import type { JWK } from 'jose';

// RFC 7468 §2: one label, base64 body lines, the same label at the end.
const PEM = /^-----BEGIN ([A-Z0-9 ]+)-----\s+([A-Za-z0-9+/=\s]+?)\s*-----END ([A-Z0-9 ]+)-----$/;
const BASE64_BODY = /^[A-Za-z0-9+/]+={0,2}$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** The family each JWK key type can verify (RFC 7518 §3), for `alg`/`crv` consistency. */
const EC_CURVES: Record<string, string> = { 'P-256': 'ES256', 'P-384': 'ES384', 'P-521': 'ES512' };
const RSA_ALGS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];

/**
 * The PEM label (`PUBLIC KEY` or `CERTIFICATE`) of a configured key; throws `TypeError`
 * naming what is wrong (private key, PKCS#1, broken armour or body).
 *
 * @example
 * pemLabel('-----BEGIN PUBLIC KEY-----\nMFkw...\n-----END PUBLIC KEY-----'); // 'PUBLIC KEY'
 */
export function pemLabel(text: string): 'PUBLIC KEY' | 'CERTIFICATE' {
  const m = PEM.exec(text);
  if (/^-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text))
    throw new TypeError('"keys" PEM is a private key; pass the public key (SPKI) or certificate');
  if (!m) {
    if (text.startsWith('-----BEGIN '))
      throw new TypeError(
        '"keys" PEM armour is broken: "-----BEGIN …-----", body, "-----END …-----"',
      );
    throw new TypeError('"keys" string must be a PEM public key (SPKI) or X.509 certificate');
  }
  const [, begin, body, end] = m as unknown as [string, string, string, string];
  if (begin !== end)
    throw new TypeError(`"keys" PEM begins with "${begin}" but ends with "${end}"`);
  if (begin === 'RSA PUBLIC KEY')
    throw new TypeError(
      '"keys" PEM is a PKCS#1 "RSA PUBLIC KEY"; convert it to SPKI ("PUBLIC KEY"), e.g. openssl rsa -RSAPublicKey_in -pubout',
    );
  if (begin !== 'PUBLIC KEY' && begin !== 'CERTIFICATE')
    throw new TypeError(`"keys" PEM "${begin}" is not a public key (SPKI) or X.509 certificate`);
  const compact = body.replace(/\s+/g, '');
  if (compact.length % 4 !== 0 || !BASE64_BODY.test(compact))
    throw new TypeError(`"keys" PEM "${begin}" body is not valid base64`);
  return begin;
}

function member(jwk: JWK, name: string, what: string): void {
  const value = (jwk as Record<string, unknown>)[name];
  if (typeof value !== 'string' || !BASE64URL.test(value))
    throw new TypeError(`"keys" ${what} JWK needs "${name}" as a base64url string`);
}

/**
 * The algorithms a public signing JWK can verify, after checking its required members
 * (RFC 7518 §6) and that its `alg`, if any, fits its key type; throws `TypeError` otherwise.
 *
 * @example
 * checkedJwkAlgorithms({ kty: 'EC', crv: 'P-256', x: '…', y: '…' }); // ['ES256']
 */
export function checkedJwkAlgorithms(jwk: JWK): string[] {
  if (jwk.use === 'enc')
    throw new TypeError('"keys" JWK has use "enc"; it cannot verify signatures');
  if (jwk.kty === 'oct')
    throw new TypeError('"keys" holds public keys; pass a shared secret as "secret"');
  if (Array.isArray(jwk.key_ops) && !jwk.key_ops.includes('verify'))
    throw new TypeError('"keys" JWK key_ops does not allow "verify"');
  if (jwk.d !== undefined) throw new TypeError('"keys" JWK is a private key; pass the public key');
  let fits: string[];
  if (jwk.kty === 'RSA') {
    for (const name of ['n', 'e']) member(jwk, name, 'RSA');
    fits = RSA_ALGS;
  } else if (jwk.kty === 'EC') {
    const alg = EC_CURVES[String(jwk.crv)];
    if (!alg) throw new TypeError('"keys" EC JWK "crv" must be P-256, P-384 or P-521');
    for (const name of ['x', 'y']) member(jwk, name, 'EC');
    fits = [alg];
  } else if (jwk.kty === 'OKP') {
    if (jwk.crv !== 'Ed25519') throw new TypeError('"keys" OKP JWK "crv" must be Ed25519');
    member(jwk, 'x', 'OKP');
    fits = ['EdDSA'];
  } else {
    throw new TypeError(`"keys" JWK "kty" must be RSA, EC or OKP, got ${JSON.stringify(jwk.kty)}`);
  }
  if (jwk.alg === undefined) return fits;
  if (typeof jwk.alg !== 'string' || !fits.includes(jwk.alg))
    throw new TypeError(
      `"keys" ${jwk.kty} JWK has "alg" ${JSON.stringify(jwk.alg)}, which it cannot verify`,
    );
  return [jwk.alg];
}
