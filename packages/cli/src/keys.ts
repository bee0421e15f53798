// Key files: public keys for `verify --key-file`, private keys for `mint --key-file`, and
// decryption keys for `inspect` / `verify --decryption-key`. Secrets come from a file or an
// environment variable, never from the command line (shell history, `ps`).
import { readFile } from 'node:fs/promises';
import { base64url, importJWK, importPKCS8, type JWK } from 'jose';
import { type CliIo, UsageError } from './io.js';

/** A key file's content: PEM text, or a parsed JWK / JWK Set. */
export type KeyFileContent = string | JWK | { keys: JWK[] };

/**
 * Read a file the user named for an option; a missing or unreadable file is a
 * {@link UsageError} naming the option.
 *
 * @example
 * const text = await readUserFile('--config', 'tokengate.json');
 */
export async function readUserFile(option: string, path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code ?? 'unreadable';
    throw new UsageError(`${option} ${path}: cannot read the file (${code})`);
  }
}

/**
 * A key file: PEM text as is, or JSON (a JWK or a JWK Set) parsed.
 *
 * @example
 * const key = await readKeyFile('--key-file', 'jwks.json'); // { keys: [...] }
 */
export async function readKeyFile(option: string, path: string): Promise<KeyFileContent> {
  const text = (await readUserFile(option, path)).trim();
  if (text.startsWith('-----BEGIN ')) return text;
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value))
      return value as KeyFileContent;
  } catch {
    // Reported below with what the file should hold.
  }
  throw new UsageError(`${option} ${path}: not a PEM key, a JWK or a JWK Set (JSON)`);
}

/**
 * A secret from the environment variable `--secret-env` names, or from `--secret-file` (one
 * trailing newline dropped).
 *
 * @example
 * const secret = await readSecret({ secretEnv: 'JWT_SECRET' }, io);
 */
export async function readSecret(
  source: { secretEnv?: string; secretFile?: string },
  io: CliIo,
): Promise<string | undefined> {
  if (source.secretEnv !== undefined && source.secretFile !== undefined)
    throw new UsageError('Give the secret once: --secret-env or --secret-file, not both');
  if (source.secretEnv !== undefined) {
    const value = io.env[source.secretEnv];
    if (value === undefined || value === '')
      throw new UsageError(`--secret-env ${source.secretEnv}: the variable is not set`);
    return value;
  }
  if (source.secretFile !== undefined) {
    const text = (await readUserFile('--secret-file', source.secretFile)).replace(/\r?\n$/, '');
    if (text === '') throw new UsageError(`--secret-file ${source.secretFile}: the file is empty`);
    return text;
  }
  return undefined;
}

/**
 * A decryption key file as core's `decryption.keys` takes it: PEM text, a JWK or JWK Set, and
 * an `oct` JWK (for `dir`) as its bytes.
 *
 * @example
 * createVerifier({ ...options, decryption: { keys: await decryptionKeys('key.json') } });
 */
export async function decryptionKeys(
  path: string,
): Promise<string | JWK | { keys: JWK[] } | Uint8Array> {
  const content = await readKeyFile('--decryption-key', path);
  if (typeof content !== 'string' && 'kty' in content && content.kty === 'oct' && content.k)
    return base64url.decode(content.k);
  return content;
}

/**
 * The key that decrypts a JWE with this protected header, for `inspect`: PKCS#8 PEM, a
 * private JWK, or the JWK Set member with the header's `kid`.
 *
 * @example
 * const key = await decryptionKeyFor('key.pem', header);
 */
export async function decryptionKeyFor(path: string, header: Record<string, unknown>) {
  const content = await readKeyFile('--decryption-key', path);
  const alg = typeof header.alg === 'string' ? header.alg : '';
  try {
    if (typeof content === 'string') return await importPKCS8(content, alg);
    const jwk = 'keys' in content ? pickJwk(content.keys, header) : content;
    return await importJWK(jwk, alg);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(
      `--decryption-key ${path}: not a private key for ${alg || 'this JWE'} (${(error as Error).message})`,
    );
  }
}

function pickJwk(keys: JWK[], header: Record<string, unknown>): JWK {
  const match =
    keys.find((k) => header.kid !== undefined && k.kid === header.kid) ??
    (header.kid === undefined ? keys[0] : undefined);
  if (!match)
    throw new UsageError(`--decryption-key: no key with kid ${String(header.kid)} in the JWK Set`);
  return match;
}
