// `tokengate mint`: a signed token for local testing, made by @tokengate/issuer (the same
// signing code an application's issuer runs).
import {
  createKeyRing,
  generateSigningKey,
  type IssuerKey,
  importSigningKey,
  type SigningAlgorithm,
  sign,
} from '@tokengate/issuer';
import type { JWK } from 'jose';
import { type CliIo, EXIT, UsageError, writeJson, writeLines } from './io.js';
import { readKeyFile, readSecret, readUserFile } from './keys.js';

/** Options of `tokengate mint`. */
export interface MintOptions {
  /** Signing algorithm. Default: the key file's JWK `alg`, else `ES256` (`HS256` with a secret). */
  alg?: string;
  /** A private key file (PKCS#8 PEM or private JWK). Default: a key generated for this token. */
  keyFile?: string;
  secretEnv?: string;
  secretFile?: string;
  /** `kid` header. Default: the RFC 7638 thumbprint of the key. */
  kid?: string;
  iss?: string;
  sub?: string;
  aud?: string[];
  /** The `scope` claim (space-separated, RFC 8693 §4.2). */
  scope?: string;
  /** `name=value` pairs; a value that parses as JSON is used as JSON. */
  claim?: string[];
  /** A JSON object of claims. */
  claims?: string;
  claimsFile?: string;
  /** Seconds or `'5m'`. Default `'5m'`. */
  expiresIn?: string;
  notBefore?: string;
  /** `typ` header. Default `at+jwt` (RFC 9068). */
  typ?: string;
  /** Also print the public JWK Set that verifies the token. */
  jwks?: boolean;
  json?: boolean;
}

function jsonObject(text: string, where: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${where}: not JSON (${(error as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new UsageError(`${where}: must be a JSON object of claims`);
  return value as Record<string, unknown>;
}

function claimPair(pair: string): [string, unknown] {
  const at = pair.indexOf('=');
  if (at <= 0) throw new UsageError(`--claim ${pair}: write it as name=value`);
  const raw = pair.slice(at + 1);
  try {
    return [pair.slice(0, at), JSON.parse(raw)];
  } catch {
    return [pair.slice(0, at), raw];
  }
}

async function mintClaims(options: MintOptions): Promise<Record<string, unknown>> {
  const claims: Record<string, unknown> = {};
  if (options.claimsFile !== undefined)
    Object.assign(
      claims,
      jsonObject(
        await readUserFile('--claims-file', options.claimsFile),
        `--claims-file ${options.claimsFile}`,
      ),
    );
  if (options.claims !== undefined) Object.assign(claims, jsonObject(options.claims, '--claims'));
  for (const pair of options.claim ?? []) {
    const [name, value] = claimPair(pair);
    claims[name] = value;
  }
  if (options.scope !== undefined) claims.scope = options.scope;
  return claims;
}

async function signingKey(options: MintOptions, io: CliIo): Promise<IssuerKey> {
  const keyOptions = options.kid !== undefined ? { kid: options.kid } : {};
  const secret = await readSecret(options, io);
  if (secret !== undefined) {
    if (options.keyFile !== undefined)
      throw new UsageError('Give a secret or a --key-file, not both');
    return importSigningKey(secret, (options.alg ?? 'HS256') as SigningAlgorithm, keyOptions);
  }
  if (options.keyFile === undefined) {
    if (options.alg?.startsWith('HS'))
      throw new UsageError(
        `${options.alg} signs with a shared secret: give it with --secret-env NAME or --secret-file FILE`,
      );
    return generateSigningKey((options.alg ?? 'ES256') as SigningAlgorithm, keyOptions);
  }
  const content = await readKeyFile('--key-file', options.keyFile);
  if (typeof content !== 'string' && 'keys' in content)
    throw new UsageError(
      `--key-file ${options.keyFile}: a JWK Set; give the one private JWK that signs`,
    );
  const alg = options.alg ?? (typeof content === 'string' ? undefined : (content as JWK).alg);
  if (alg === undefined)
    throw new UsageError(
      `--key-file ${options.keyFile}: give the algorithm with --alg (the PEM does not say it)`,
    );
  return importSigningKey(content as string | JWK, alg as SigningAlgorithm, keyOptions);
}

const duration = (value: string) => (/^-?\d+$/.test(value) ? Number(value) : value);

/**
 * Sign a token and print it (and, with `--jwks`, the public JWK Set that verifies it). Bad
 * claims, keys or durations are {@link UsageError}s with the issuer's message.
 *
 * @example
 * await mintCommand({ iss: 'https://id.test', aud: ['api'], scope: 'read' }, io);
 */
export async function mintCommand(options: MintOptions, io: CliIo): Promise<number> {
  let token: string;
  let key: IssuerKey;
  try {
    key = await signingKey(options, io);
    if (options.jwks && key.publicJwk === undefined)
      throw new UsageError(
        '--jwks: an HS secret is never published; the verifier takes the same secret',
      );
    token = await sign(await mintClaims(options), {
      key,
      expiresIn: duration(options.expiresIn ?? '5m'),
      ...(options.notBefore !== undefined ? { notBefore: duration(options.notBefore) } : {}),
      ...(options.iss !== undefined ? { issuer: options.iss } : {}),
      ...(options.sub !== undefined ? { subject: options.sub } : {}),
      ...(options.aud !== undefined
        ? { audience: options.aud.length === 1 ? options.aud[0]! : options.aud }
        : {}),
      ...(options.typ !== undefined ? { typ: options.typ } : {}),
    });
  } catch (error) {
    if (error instanceof TypeError) throw new UsageError(error.message);
    throw error;
  }
  const jwks = options.jwks ? createKeyRing(key).jwks() : undefined;
  if (options.json) writeJson(io.stdout, jwks ? { token, jwks } : { token });
  else writeLines(io.stdout, jwks ? [token, JSON.stringify(jwks, null, 2)] : token);
  return EXIT.ok;
}
