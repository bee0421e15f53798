// The token as a user hands it over: an argument, stdin, or an `Authorization` line pasted as
// is (`Bearer …`, `DPoP …`, with or without the header name).
import { type CliIo, UsageError } from './io.js';

/** A token and the scheme it was pasted with, if any. */
export interface TokenInput {
  /** The compact token. Never printed, never logged. */
  readonly token: string;
  /** The RFC 6750 / RFC 9449 scheme of a pasted `Authorization` value. */
  readonly scheme: 'Bearer' | 'DPoP' | undefined;
}

// RFC 9110 §11.6.2: `Authorization: <scheme> <credentials>`; the scheme is case-insensitive.
const HEADER_NAME = /^authorization\s*:\s*/i;
const SCHEME = /^(bearer|dpop)\s+/i;
const MAX_INPUT = 1024 * 1024;

/**
 * Read the token from the text a user gave: trims it, drops an `Authorization:` header name,
 * a `Bearer` / `DPoP` scheme and surrounding quotes. Throws {@link UsageError} for an empty
 * input or one with more than one word left.
 *
 * @example
 * parseTokenText('Authorization: DPoP eyJ…'); // { token: 'eyJ…', scheme: 'DPoP' }
 */
export function parseTokenText(text: string): TokenInput {
  let rest = text.trim().replace(HEADER_NAME, '');
  if (/^(bearer|dpop)$/i.test(rest)) throw new UsageError(`No token after the "${rest}" scheme`);
  let scheme: TokenInput['scheme'];
  const match = SCHEME.exec(rest);
  if (match) {
    scheme = match[1]!.toLowerCase() === 'dpop' ? 'DPoP' : 'Bearer';
    rest = rest.slice(match[0].length);
  }
  rest = rest.trim().replace(/^(["'])(.*)\1$/s, '$2');
  if (rest === '') throw new UsageError('No token: the input is empty');
  if (/\s/.test(rest))
    throw new UsageError(
      'The input is not one token: give the token itself, or a "Bearer <token>" line as is',
    );
  return { token: rest, scheme };
}

/**
 * The token from the argument, or from stdin when the argument is `-` or missing. A missing
 * argument with a terminal on stdin is a {@link UsageError} rather than a silent wait.
 *
 * @example
 * const input = await readToken(argument, io); // `echo "Bearer $T" | tokengate inspect`
 */
export async function readToken(argument: string | undefined, io: CliIo): Promise<TokenInput> {
  if (argument !== undefined && argument !== '-') return parseTokenText(argument);
  if (argument === undefined && io.stdin.isTTY)
    throw new UsageError(
      'No token: give it as an argument, or pipe it in (`pbpaste | tokengate inspect -`)',
    );
  return parseTokenText(await readAll(io.stdin));
}

async function readAll(stream: CliIo['stdin']): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > MAX_INPUT) throw new UsageError('The input on stdin is larger than 1 MiB');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
