// `tokengate inspect`: what a token says, without verifying anything.
import { compactDecrypt } from 'jose';
import { type Decoded, decodeToken } from './decode.js';
import type { Style } from './format.js';
import { type CliIo, EXIT, UsageError, writeJson, writeLines } from './io.js';
import { decryptionKeyFor } from './keys.js';
import { jwsJson, jwsLines } from './report.js';
import type { TokenInput } from './token-input.js';

/** Options of `tokengate inspect`. */
export interface InspectOptions {
  /** A file with the key that decrypts a JWE (PKCS#8 PEM, private JWK or JWK Set). */
  decryptionKey?: string;
  json?: boolean;
}

const UNVERIFIED =
  'UNVERIFIED: decoded only; the signature, issuer, audience and times are not checked (run `tokengate verify` for that)';

/**
 * Print a token's header and claims (a JWE's protected header, and its payload with a
 * decryption key), labelled unverified. Exit 0; a token that does not decode is a
 * {@link UsageError} (exit 2).
 *
 * @example
 * await inspectCommand(await readToken('-', io), {}, io, style);
 */
export async function inspectCommand(
  input: TokenInput,
  options: InspectOptions,
  io: CliIo,
  style: Style,
): Promise<number> {
  const decoded = decodeToken(input.token);
  const now = Math.floor(Date.now() / 1000);
  const inner =
    decoded.kind === 'JWE' && options.decryptionKey !== undefined
      ? await decrypt(input.token, decoded.header, options.decryptionKey)
      : undefined;
  if (options.json) {
    writeJson(io.stdout, toJson(decoded, inner, input, now));
    return EXIT.ok;
  }
  const lines = [style.yellow(style.bold(UNVERIFIED))];
  if (input.scheme) lines.push(`Scheme   ${input.scheme} (from the pasted Authorization value)`);
  if (decoded.kind === 'JWS') {
    lines.push(
      `Type     JWS (signed JWT)`,
      ...jwsLines(decoded.header, decoded.claims, now, style),
    );
  } else {
    lines.push('Type     JWE (encrypted JWT)', style.bold('Protected header'));
    for (const [k, v] of Object.entries(decoded.header))
      lines.push(`  ${style.cyan(k)}  ${JSON.stringify(v)}`);
    if (inner === undefined)
      lines.push(
        'The payload is encrypted: give the recipient key with --decryption-key FILE to read it',
      );
    else if (inner.kind === 'JWS')
      lines.push(
        style.bold('Decrypted: a nested JWS'),
        ...jwsLines(inner.header, inner.claims, now, style),
      );
    else lines.push(style.bold('Decrypted payload'), `  ${inner.text}`);
  }
  writeLines(io.stdout, lines);
  return EXIT.ok;
}

type Inner = Extract<Decoded, { kind: 'JWS' }> | { kind: 'text'; text: string };

async function decrypt(
  token: string,
  header: Record<string, unknown>,
  path: string,
): Promise<Inner> {
  const key = await decryptionKeyFor(path, header);
  let plaintext: string;
  try {
    plaintext = new TextDecoder().decode((await compactDecrypt(token, key)).plaintext);
  } catch (error) {
    throw new UsageError(
      `--decryption-key ${path}: the JWE does not decrypt with this key (${(error as Error).message})`,
    );
  }
  try {
    const nested = decodeToken(plaintext.trim());
    if (nested.kind === 'JWS') return nested;
  } catch {
    // Not a nested JWT (RFC 7519 §5.2): shown as text.
  }
  return { kind: 'text', text: plaintext };
}

function toJson(decoded: Decoded, inner: Inner | undefined, input: TokenInput, now: number) {
  const base = { verified: false, scheme: input.scheme ?? null };
  if (decoded.kind === 'JWS')
    return { ...base, type: 'JWS', ...jwsJson(decoded.header, decoded.claims, now) };
  const payload =
    inner === undefined
      ? null
      : inner.kind === 'JWS'
        ? { type: 'JWS', ...jwsJson(inner.header, inner.claims, now) }
        : { type: 'text', text: inner.text };
  return { ...base, type: 'JWE', header: decoded.header, decrypted: inner !== undefined, payload };
}
