// How this API authenticates to the introspection endpoint (RFC 7662 §2.1 requires it):
// client_secret_basic, client_secret_post (RFC 6749 §2.3.1) or private_key_jwt (RFC 7523 §2.2,
// OIDC Core §9).
import { importJWK, importPKCS8, type JWK, SignJWT } from 'jose';
import { ASYMMETRIC_ALGORITHMS } from '../algorithms.js';
import { KeyConfigurationError } from '../keys/config-error.js';
import type { IntrospectionOptions } from './types.js';

/**
 * Adds this API's credentials to one introspection request. `audience`: the `aud` of a client
 * assertion (the issuer identifier, else the endpoint).
 *
 * @example
 * await auth.apply(body, headers, 'https://id.example/');
 */
export interface ClientAuthentication {
  readonly method: 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt';
  apply(body: URLSearchParams, headers: Record<string, string>, audience: string): Promise<void>;
}

// RFC 6749 §2.3.1: the id and the secret are form-urlencoded (Appendix B) before they are
// joined and base64-encoded, so a ':' or a non-ASCII character in either survives.
const formEncode = (value: string) => new URLSearchParams([['', value]]).toString().slice(1);

/**
 * The `Authorization` header value of `client_secret_basic`.
 *
 * @example
 * basicCredentials('api', 'p:ss w'); // 'Basic ' + btoa('api:p%3Ass+w')
 */
export function basicCredentials(clientId: string, secret: string): string {
  return `Basic ${btoa(`${formEncode(clientId)}:${formEncode(secret)}`)}`;
}

// What a CryptoKey can sign with, for the assertion's `alg`.
function algorithmOfCryptoKey(key: CryptoKey): string | undefined {
  const algorithm = key.algorithm as { name: string; hash?: { name: string }; namedCurve?: string };
  const bits = algorithm.hash?.name.replace('SHA-', '');
  if (algorithm.name === 'RSASSA-PKCS1-v1_5') return `RS${bits}`;
  if (algorithm.name === 'RSA-PSS') return `PS${bits}`;
  if (algorithm.name === 'ECDSA')
    return { 'P-256': 'ES256', 'P-384': 'ES384', 'P-521': 'ES512' }[algorithm.namedCurve ?? ''];
  if (algorithm.name === 'Ed25519') return 'EdDSA';
  return undefined;
}

const isCryptoKey = (value: unknown): value is CryptoKey =>
  typeof CryptoKey !== 'undefined' && value instanceof CryptoKey;

type SigningKey = Awaited<ReturnType<typeof importPKCS8>>;

function privateKeyJwt(options: IntrospectionOptions, name: string): ClientAuthentication {
  const { privateKey, clientId } = options;
  let alg = options.signingAlgorithm;
  let kid = options.keyId;
  let load: () => Promise<SigningKey>;
  if (typeof privateKey === 'string') {
    if (!privateKey.includes('-----BEGIN PRIVATE KEY-----'))
      throw new TypeError(`"${name}.privateKey" must be a PKCS#8 PEM private key`);
    if (alg === undefined)
      throw new TypeError(`"${name}.signingAlgorithm" is required with a PEM "privateKey"`);
    const pem = privateKey;
    const pemAlg = alg;
    load = () => importPKCS8(pem, pemAlg);
  } else if (isCryptoKey(privateKey)) {
    if (privateKey.type !== 'private' || !privateKey.usages.includes('sign'))
      throw new TypeError(`"${name}.privateKey" must be a private CryptoKey usable to sign`);
    alg ??= algorithmOfCryptoKey(privateKey);
    if (alg === undefined)
      throw new TypeError(`"${name}.signingAlgorithm" is required for this CryptoKey`);
    load = async () => privateKey;
  } else if (typeof privateKey === 'object' && privateKey !== null) {
    const jwk = privateKey as JWK;
    if (typeof jwk.d !== 'string')
      throw new TypeError(`"${name}.privateKey" must be a private JWK (with "d")`);
    alg ??= jwk.alg;
    kid ??= jwk.kid;
    if (alg === undefined)
      throw new TypeError(`"${name}.signingAlgorithm" is required for a JWK without "alg"`);
    const jwkAlg = alg;
    load = async () => (await importJWK(jwk, jwkAlg)) as SigningKey;
  } else {
    throw new TypeError(
      `"${name}.privateKey" is required with private_key_jwt: a PKCS#8 PEM, a private JWK or a CryptoKey`,
    );
  }
  if (!ASYMMETRIC_ALGORITHMS.includes(alg))
    throw new TypeError(
      `"${name}.signingAlgorithm" must be one of ${ASYMMETRIC_ALGORITHMS.join(', ')}`,
    );
  const signingAlg = alg;
  // Imported once, at the first request: a key that does not import is the server's mistake
  // (a 500 on every request until fixed), never the client's.
  let key: Promise<SigningKey> | undefined;
  const signingKey = () => {
    key ??= load().catch((cause: unknown) => {
      key = undefined;
      throw new KeyConfigurationError(
        `"${name}.privateKey" cannot sign ${signingAlg}: ${cause instanceof Error ? cause.message : String(cause)}`,
        { cause },
      );
    });
    return key;
  };
  return {
    method: 'private_key_jwt',
    async apply(body, _headers, audience) {
      // RFC 7523 §3: iss = sub = the client; aud the authorization server; a short life and
      // a unique jti so that a captured assertion is of little use.
      const assertion = await new SignJWT({})
        .setProtectedHeader(kid === undefined ? { alg: signingAlg } : { alg: signingAlg, kid })
        .setIssuer(clientId)
        .setSubject(clientId)
        .setAudience(audience)
        .setJti(crypto.randomUUID())
        .setIssuedAt()
        .setExpirationTime('60s')
        .sign(await signingKey());
      body.set('client_id', clientId);
      body.set('client_assertion_type', 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
      body.set('client_assertion', assertion);
    },
  };
}

/**
 * Check the client-authentication options of `introspection` (`TypeError` naming the option)
 * and build the method. Default: `client_secret_basic`, or `private_key_jwt` with a
 * `privateKey`.
 *
 * @example
 * const auth = createClientAuthentication({ clientId: 'api', clientSecret }, 'introspection', '');
 */
export function createClientAuthentication(
  options: IntrospectionOptions,
  name: string,
  where: string,
): ClientAuthentication {
  const method =
    options.clientAuth ??
    (options.privateKey !== undefined ? 'private_key_jwt' : 'client_secret_basic');
  const { clientId, clientSecret } = options;
  if (method === 'private_key_jwt') {
    if (clientSecret !== undefined)
      throw new TypeError(`"${name}.clientSecret"${where} is not used with private_key_jwt`);
    return privateKeyJwt(options, name);
  }
  if (method !== 'client_secret_basic' && method !== 'client_secret_post')
    throw new TypeError(
      `"${name}.clientAuth"${where} must be "client_secret_basic", "client_secret_post" or "private_key_jwt"`,
    );
  if (options.privateKey !== undefined)
    throw new TypeError(`"${name}.privateKey"${where} is only used with private_key_jwt`);
  if (typeof clientSecret !== 'string' || !clientSecret)
    throw new TypeError(
      `"${name}.clientSecret"${where} is required with ${method}${clientSecret === undefined && 'clientSecret' in options ? ' (is the environment variable it comes from unset?)' : ''}`,
    );
  if (method === 'client_secret_basic') {
    const authorization = basicCredentials(clientId, clientSecret);
    return {
      method,
      async apply(_body, headers) {
        headers.authorization = authorization;
      },
    };
  }
  return {
    method,
    async apply(body) {
      body.set('client_id', clientId);
      body.set('client_secret', clientSecret);
    },
  };
}
