// One introspection call (RFC 7662 §2): a form POST with this API's credentials, a timeout, no
// redirect followed, a capped body, and a strict reading of the answer. Web APIs only.
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { readCappedText } from '../capped-body.js';
import { isTokengateError } from '../errors.js';
import { networkFailure } from '../keys/failure.js';
import type { KeySource, SignatureVerifier } from '../keys/types.js';
import type { JWTClaims } from '../types.js';
import { type IntrospectionFailureCause, IntrospectionUnavailableError } from './errors.js';
import type { IntrospectionConfig } from './options.js';

/**
 * What the endpoint said about a token: not active, or active with the token's claims (the
 * response members except `active`).
 *
 * @example
 * const answer: IntrospectionAnswer = { active: true, claims: { sub: 'alice', scope: 'read' } };
 */
export type IntrospectionAnswer = { active: false } | { active: true; claims: JWTClaims };

/**
 * What checks an RFC 9701 answer: the issuer's keys and its identifier.
 *
 * @example
 * const signed: SignedAnswerKeys = { issuer, source, signature: ctx.engine.signature };
 */
export interface SignedAnswerKeys {
  readonly issuer: string;
  readonly source: KeySource;
  readonly signature: SignatureVerifier;
}

const JWT_MEDIA_TYPE = 'application/token-introspection+jwt';

class Refused extends Error {
  constructor(readonly failure: IntrospectionFailureCause) {
    super(failure.kind);
  }
}

const badResponse = (reason: string) => new Refused({ kind: 'bad-response', reason });

// RFC 7662 §2.2: a JSON object whose `active` is a boolean; of an inactive token nothing else
// is read. The claims are kept as sent (minus `active`); the claims policy judges them.
function answerOf(value: unknown): IntrospectionAnswer {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw badResponse('not a JSON object');
  const { active, ...claims } = value as Record<string, unknown>;
  if (typeof active !== 'boolean') throw badResponse('"active" is not a boolean');
  return active ? { active, claims: claims as JWTClaims } : { active };
}

const normalizeTyp = (typ: string) => typ.toLowerCase().replace(/^application\//, '');

// RFC 9701 §5: a JWT typed token-introspection+jwt, signed by one of the issuer's keys, for
// this client, whose `token_introspection` member is the RFC 7662 answer.
async function signedAnswer(
  jwt: string,
  keys: SignedAnswerKeys,
  clientId: string,
): Promise<IntrospectionAnswer> {
  let header: ReturnType<typeof decodeProtectedHeader>;
  let claims: ReturnType<typeof decodeJwt>;
  try {
    header = decodeProtectedHeader(jwt);
    claims = decodeJwt(jwt);
  } catch {
    throw badResponse('the signed answer is not a JWT');
  }
  const alg = header.alg;
  if (typeof alg !== 'string' || !keys.source.algorithms.includes(alg))
    throw badResponse('the signed answer uses an algorithm not allowed for the issuer');
  if (typeof header.typ !== 'string' || normalizeTyp(header.typ) !== 'token-introspection+jwt')
    throw badResponse('the signed answer is not typed token-introspection+jwt');
  let found: Awaited<ReturnType<KeySource['getKey']>>;
  try {
    found = await keys.source.getKey(header, claims);
  } catch (error) {
    // The keys being unavailable is an outage of its own (a 503 that says so).
    if (isTokengateError(error) && error.status === 503) throw error;
    throw badResponse('no key of the issuer matches the signed answer');
  }
  let verified = false;
  for (const key of Array.isArray(found) ? found : [found]) {
    try {
      await keys.signature.verify(jwt, alg, key);
      verified = true;
      break;
    } catch {
      // the next candidate key
    }
  }
  if (!verified) throw badResponse('the signed answer has an invalid signature');
  if (claims.iss !== keys.issuer) throw badResponse('the signed answer is from another issuer');
  const aud = claims.aud;
  if (!(aud === clientId || (Array.isArray(aud) && aud.includes(clientId))))
    throw badResponse('the signed answer is not for this client');
  // RFC 9701 §5: `iat` is required; an `exp`, when sent, bounds the answer's use.
  if (typeof claims.iat !== 'number') throw badResponse('the signed answer has no "iat"');
  if (typeof claims.exp === 'number' && claims.exp * 1000 <= Date.now())
    throw badResponse('the signed answer has expired');
  return answerOf(claims.token_introspection);
}

/**
 * Ask `endpoint` about `token`. Resolves the answer; throws `IntrospectionUnavailableError`
 * when the endpoint cannot be asked or its answer cannot be trusted, `KeyConfigurationError`
 * when this API's own signing key is broken.
 *
 * @example
 * const answer = await introspect(config, endpoint, token, issuer, signed);
 */
export async function introspect(
  config: IntrospectionConfig,
  endpoint: URL,
  token: string,
  audience: string,
  signed: SignedAnswerKeys | undefined,
): Promise<IntrospectionAnswer> {
  const url = endpoint.href;
  const body = new URLSearchParams({ token, token_type_hint: 'access_token' });
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    accept: config.jwtResponse ? JWT_MEDIA_TYPE : 'application/json',
  };
  await config.auth.apply(body, headers, audience);
  const signal = AbortSignal.timeout(config.timeoutMs);
  try {
    const response = await config.fetch(url, {
      method: 'POST',
      headers,
      body: body.toString(),
      // Never followed: the credentials and the token go to the configured endpoint only.
      redirect: 'manual',
      signal,
    });
    const { status } = response;
    if (status !== 200) {
      await response.body?.cancel().catch(() => undefined);
      if (status === 0 || (status >= 300 && status < 400)) {
        const location = response.headers.get('location') ?? undefined;
        throw new Refused({ kind: 'redirect', status, ...(location && { location }) });
      }
      throw new Refused({ kind: 'http-status', status });
    }
    const text = await readCappedText(response, config.maxResponseSize, {
      tooLarge: () => new Refused({ kind: 'too-large', limit: config.maxResponseSize }),
      notUtf8: () => new Refused({ kind: 'not-json' }),
    });
    if (signed !== undefined) {
      const type = response.headers.get('content-type') ?? '';
      if (type.split(';')[0]?.trim().toLowerCase() !== JWT_MEDIA_TYPE)
        throw badResponse(`the answer is not ${JWT_MEDIA_TYPE}`);
      return await signedAnswer(text.trim(), signed, config.clientId);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new Refused({ kind: 'not-json' });
    }
    return answerOf(json);
  } catch (error) {
    if (error instanceof Refused)
      throw new IntrospectionUnavailableError(url, error.failure, { cause: error });
    // The issuer's keys being unavailable (RFC 9701) is a 503 of its own that says so.
    if (isTokengateError(error)) throw error;
    const failure: IntrospectionFailureCause = signal.aborted
      ? { kind: 'timeout', timeoutMs: config.timeoutMs }
      : (networkFailure(error) as IntrospectionFailureCause);
    throw new IntrospectionUnavailableError(url, failure, { cause: error });
  }
}
