// The Node signature step: node:crypto does the cryptography; this file only picks the
// parameters RFC 7518 §3 names for each algorithm.
import { Buffer } from 'node:buffer';
import {
  constants,
  createHmac,
  verify as cryptoVerify,
  type KeyObject,
  timingSafeEqual,
} from 'node:crypto';
import { InvalidSignatureError } from '../errors.js';
import { joseSignatureVerifier } from '../keys/signature.js';
import type { SignatureVerifier, VerificationKey } from '../keys/types.js';
import { decodedSegment } from './decoder.js';
import { ALG_SPECS, type AlgSpec, nodeKeyFor } from './keys.js';

// The signing input passed the syntax checks: it is ASCII, so latin1 and UTF-8 both give its
// bytes. Each runtime's node:crypto takes one of them without a conversion in JavaScript: Node
// either, Bun latin1 (it transcodes a UTF-8 string first), Deno UTF-8 (its node:buffer encodes
// latin1 in a JavaScript loop).
const INPUT_ENCODING: BufferEncoding = 'Deno' in globalThis ? 'utf8' : 'latin1';

function check(spec: AlgSpec, key: KeyObject, input: string, signature: Buffer): boolean {
  if (spec.kind === 'hmac') {
    const mac = createHmac(spec.hash as string, key)
      .update(input, INPUT_ENCODING)
      .digest();
    return mac.length === signature.length && timingSafeEqual(mac, signature);
  }
  const data = Buffer.from(input, INPUT_ENCODING);
  switch (spec.kind) {
    case 'rsa':
      return cryptoVerify(spec.hash, data, key, signature);
    case 'pss':
      return cryptoVerify(
        spec.hash,
        data,
        { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: spec.saltLength },
        signature,
      );
    case 'ec':
      return cryptoVerify(spec.hash, data, { key, dsaEncoding: 'ieee-p1363' }, signature);
    default:
      return cryptoVerify(null, data, key, signature);
  }
}

/**
 * The Node {@link SignatureVerifier}: node:crypto `KeyObject`s imported once per key, HMAC
 * compared with `timingSafeEqual`, ECDSA in IEEE P1363 form, RSA-PSS with the salt as long as
 * the hash. Synchronous. A key jose would refuse for the algorithm is handed to jose, so the
 * error is the same as on the default entry.
 *
 * @example
 * nodeSignatureVerifier.verify(token, 'ES256', publicKey); // throws InvalidSignatureError
 */
export const nodeSignatureVerifier: SignatureVerifier = {
  verify(token: string, alg: string, key: VerificationKey): void | Promise<void> {
    const spec = ALG_SPECS.get(alg);
    const keyObject = spec === undefined ? null : nodeKeyFor(key, spec);
    if (spec === undefined || keyObject === null)
      return joseSignatureVerifier.verify(token, alg, key);
    // The token passed the strict syntax checks: three canonical base64url segments.
    const dot = token.lastIndexOf('.');
    const signature = decodedSegment(token.slice(dot + 1));
    let valid: boolean;
    try {
      valid = check(spec, keyObject, token.slice(0, dot), signature);
    } catch (cause) {
      throw new InvalidSignatureError(undefined, { cause });
    }
    if (!valid) throw new InvalidSignatureError();
  },
};
