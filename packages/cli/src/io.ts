// What a command reads and writes: the process's streams and environment, or a test's.
import type { Readable, Writable } from 'node:stream';

/**
 * The streams and environment `run()` uses; the `tokengate` bin passes the process's own.
 *
 * @example
 * const io: CliIo = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env };
 */
export interface CliIo {
  /** Where `-` (or a missing token argument) reads the token from. */
  stdin: Readable & { isTTY?: boolean };
  /** Reports, tokens minted, JSON. */
  stdout: Writable & { isTTY?: boolean };
  /** Error messages. */
  stderr: Writable & { isTTY?: boolean };
  /** `NO_COLOR`, `FORCE_COLOR`, `TOKENGATE_*` and the variables `--secret-env` names. */
  env: Readonly<Record<string, string | undefined>>;
}

/**
 * Exit status: 0 valid (or done), 1 refused, 2 usage or key-source error.
 *
 * @example
 * const status = await run(['verify', token, '--jwks-uri', jwksUri], io);
 * if (status === EXIT.refused) console.error('the token was refused');
 */
export const EXIT = { ok: 0, refused: 1, usage: 2 } as const;

/**
 * A mistake in what the user gave (arguments, files, a key source that cannot be reached):
 * its message is printed as is, without a stack trace, and the command exits with 2.
 *
 * @example
 * throw new UsageError('--secret-env JWT_SECRET: the variable is not set');
 */
export class UsageError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UsageError';
  }
}

/**
 * Write one line (or several) to a stream.
 *
 * @example
 * writeLines(io.stdout, ['VALID', '']);
 */
export function writeLines(stream: Writable, lines: string | readonly string[]): void {
  const text = typeof lines === 'string' ? lines : lines.join('\n');
  stream.write(`${text}\n`);
}

/**
 * Write a value as pretty JSON (the `--json` output).
 *
 * @example
 * writeJson(io.stdout, { valid: true });
 */
export function writeJson(stream: Writable, value: unknown): void {
  stream.write(`${JSON.stringify(value, null, 2)}\n`);
}
