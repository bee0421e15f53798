// Strict compact-serialization checks, done before any key lookup or signature work.
import { base64url } from 'jose';
import { MalformedTokenError, UnsupportedAlgorithmError } from './errors.js';
import { deepFreeze } from './freeze.js';
import type { JWTClaims, ProtectedHeader } from './types.js';

/**
 * A token that passed the syntax checks, with its unverified header and claims.
 *
 * @example
 * const { header, claims }: ParsedToken = parseJws(token, ['RS256']);
 */
export interface ParsedToken {
  header: ProtectedHeader;
  claims: JWTClaims;
}

const SEGMENT = /^[A-Za-z0-9_-]*$/;
const decoder = new TextDecoder('utf-8', { fatal: true });

// RFC 7515 §2: base64url without padding. Decoding and re-encoding must give back the same
// text, so a token has exactly one string form (no stray bits in the last character).
function decodeSegment(segment: string): Uint8Array {
  if (!SEGMENT.test(segment)) throw new MalformedTokenError();
  let bytes: Uint8Array;
  try {
    bytes = base64url.decode(segment);
  } catch (cause) {
    throw new MalformedTokenError(undefined, { cause });
  }
  if (base64url.encode(bytes) !== segment) throw new MalformedTokenError();
  return bytes;
}

function decodeJsonObject(segment: string): Record<string, unknown> {
  const bytes = decodeSegment(segment);
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(bytes));
  } catch (cause) {
    throw new MalformedTokenError(undefined, { cause });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new MalformedTokenError();
  return value as Record<string, unknown>;
}

/**
 * How a JWS segment is decoded. The default uses jose's base64url and a fatal UTF-8
 * `TextDecoder`; the Node entry swaps in `Buffer`. Both must throw `MalformedTokenError`
 * for exactly the same inputs (non-canonical base64url, invalid UTF-8, non-object JSON).
 *
 * @example
 * const header = joseSegmentDecoder.json(token.split('.')[0]);
 */
export interface SegmentDecoder {
  /** A canonical base64url segment holding a UTF-8 JSON object (a leading BOM is ignored). */
  json(segment: string): Record<string, unknown>;
  /** A canonical base64url segment; the bytes are not used further by the parser. */
  bytes(segment: string): unknown;
}

/**
 * The runtime-neutral {@link SegmentDecoder}: jose's base64url and Web APIs only.
 *
 * @example
 * parseJws(token, ['RS256'], joseSegmentDecoder);
 */
export const joseSegmentDecoder: SegmentDecoder = { json: decodeJsonObject, bytes: decodeSegment };

/**
 * Size and syntax checks that need no key: at most `maxTokenSize` characters, and five
 * segments only when `allowJwe`, otherwise exactly three.
 *
 * @example
 * const segments = checkCompact(token, 8192, false);
 */
export function checkCompact(token: unknown, maxTokenSize: number, allowJwe: boolean): string[] {
  if (typeof token !== 'string' || token.length === 0) throw new MalformedTokenError();
  if (token.length > maxTokenSize) throw new MalformedTokenError('The token is too large');
  const segments = token.split('.');
  if (segments.length === 5 && !allowJwe)
    throw new MalformedTokenError('Encrypted tokens are not accepted');
  if (segments.length !== 3 && segments.length !== 5) throw new MalformedTokenError();
  for (const segment of segments) if (!SEGMENT.test(segment)) throw new MalformedTokenError();
  return segments;
}

/**
 * Whether `token` has the size and the three segments {@link checkCompact} wants, without
 * splitting it and without the alphabet pass, which would read the whole token once more. The
 * alphabet is then proved by {@link parseJws}: both decoders accept only canonical base64url.
 * A token that fails to parse must still go through `checkCompact`, whose verdict comes first.
 *
 * @example
 * if (!isCompactJws(token, 8192)) checkCompact(token, 8192, false); // throws the precise error
 */
export function isCompactJws(token: unknown, maxTokenSize: number): token is string {
  if (typeof token !== 'string' || token.length === 0 || token.length > maxTokenSize) return false;
  const first = token.indexOf('.');
  const second = first < 0 ? -1 : token.indexOf('.', first + 1);
  return second >= 0 && token.indexOf('.', second + 1) < 0;
}

/**
 * Decoded protected headers by their segment text. Every token of an issuer's key carries the
 * same header segment, so decoding it once saves a base64url + UTF-8 + JSON pass per token.
 * Decoding is a pure function of the text: only successes are kept, frozen (the
 * results share them), and every check on the header still runs on each token. Bounded: the
 * memo is dropped whole when full, so varied headers cost what they cost without it.
 *
 * @example
 * const headers = new HeaderMemo(); parseJws(token, ['RS256'], decoder, headers);
 */
export class HeaderMemo {
  private readonly decoded = new Map<string, ProtectedHeader>();
  constructor(private readonly max = 64) {}
  /** The decoded header of segment `h`, through `decode.json` on a miss. */
  decode(h: string, decode: SegmentDecoder): ProtectedHeader {
    let header = this.decoded.get(h);
    if (header === undefined) {
      header = deepFreeze(decode.json(h)) as ProtectedHeader;
      if (this.decoded.size >= this.max) this.decoded.clear();
      this.decoded.set(h, header);
    }
    return header;
  }
}

/**
 * Parse a compact JWS: canonical base64url segments, a JSON-object header and payload,
 * `alg` on the allow-list (never `none`), no `crit` extension (we understand none).
 * Embedded key headers (`jwk`, `jku`, `x5u`, `x5c`) are never looked at again.
 *
 * @example
 * const { header, claims } = parseJws(token, ['RS256']);
 */
export function parseJws(
  token: string,
  algorithms: readonly string[],
  decode: SegmentDecoder = joseSegmentDecoder,
  headers?: HeaderMemo,
): ParsedToken {
  // The caller checked three segments (checkCompact or isCompactJws).
  const first = token.indexOf('.');
  const second = token.indexOf('.', first + 1);
  const h = token.slice(0, first);
  const p = token.slice(first + 1, second);
  const s = token.slice(second + 1);
  const header = headers ? headers.decode(h, decode) : (decode.json(h) as ProtectedHeader);
  const alg = header.alg;
  if (typeof alg !== 'string') throw new MalformedTokenError('The token header has no "alg"');
  // (`none` in any case: a four-letter name is lowercased only when it could be one.)
  if ((alg.length === 4 && alg.toLowerCase() === 'none') || !algorithms.includes(alg))
    throw new UnsupportedAlgorithmError();
  // RFC 7515 §4.1.11: an extension we do not understand must make the token invalid.
  if (header.crit !== undefined)
    throw new MalformedTokenError('The token uses an unsupported critical header');
  if (header.b64 !== undefined) throw new MalformedTokenError();
  if (header.kid !== undefined && typeof header.kid !== 'string')
    throw new MalformedTokenError('The token header "kid" must be a string');
  const claims = decode.json(p) as JWTClaims;
  decode.bytes(s);
  return { header, claims };
}
