// `tokengate verify`: the verdict of core's own verifier, built with the API's options, and
// on refusal the code, the step and what would have been needed.
import {
  type AuthInfo,
  checkScopes,
  createVerifier,
  isTokengateError,
  type TokengateError,
  type Verifier,
} from '@tokengate/core';
import { tryDecode } from '../decode.js';
import { createFetchRecorder } from '../fetch-recorder.js';
import type { Style } from '../format.js';
import { type CliIo, EXIT, UsageError, writeJson, writeLines } from '../io.js';
import { keySourceFailure } from '../jwks.js';
import { type KeyFileContent, readKeyFile } from '../keys.js';
import { jwsJson, jwsLines } from '../report.js';
import type { TokenInput } from '../token-input.js';
import { type Explanation, explain } from './explain.js';
import { optionsProblem, verifierOptions } from './options.js';
import type { VerifySettings } from './settings.js';

/**
 * Verify the token as the API would and report: exit 0 valid, 1 refused (with the
 * explanation), 2 for options the verifier refuses or a key source it cannot reach.
 *
 * @example
 * await verifyCommand(input, settings, { json: false }, io, style);
 */
export async function verifyCommand(
  input: TokenInput,
  settings: VerifySettings,
  output: { json?: boolean },
  io: CliIo,
  style: Style,
): Promise<number> {
  const recorder = createFetchRecorder();
  const options = await verifierOptions(settings, recorder, io);
  let verifier: Verifier;
  try {
    verifier = createVerifier(options);
  } catch (error) {
    throw new UsageError(optionsProblem(error as Error));
  }
  const scopes = settings.scopes ?? [];
  let auth: AuthInfo;
  try {
    auth = await verifier.verify(input.token);
    if (scopes.length > 0) checkScopes(auth, scopes);
  } catch (error) {
    const failure = keySourceFailure(error);
    if (failure !== undefined) throw new UsageError(`The key source failed: ${failure}`);
    if (!isTokengateError(error)) throw keyProblem(error);
    const keyFile: KeyFileContent | undefined =
      settings.keyFile !== undefined
        ? await readKeyFile('--key-file', settings.keyFile)
        : undefined;
    const now = Math.floor(Date.now() / 1000);
    const { decoded, problem: decodeProblem } = tryDecode(input.token);
    const why = explain(error as TokengateError, {
      decoded,
      decodeProblem,
      options,
      recorder,
      keyFile,
      scheme: input.scheme,
      scopes,
      now,
    });
    if (output.json) writeJson(io.stdout, { valid: false, ...why });
    else writeLines(io.stdout, refusedLines(why, style));
    return EXIT.refused;
  }
  const now = Math.floor(Date.now() / 1000);
  if (output.json) {
    const { header, claims, times, scopes: granted } = jwsJson(auth.header, auth.claims, now);
    writeJson(io.stdout, { valid: true, header, claims, times, scopes: granted });
  } else {
    writeLines(io.stdout, [
      `${style.green(style.bold('VALID'))}  the verifier accepts this token with these options`,
      ...jwsLines(auth.header, auth.claims, now, style),
    ]);
  }
  return EXIT.ok;
}

// A broken key file or secret surfaces on the first verification (core's
// KeyConfigurationError): the configuration's fault, not the token's.
function keyProblem(error: unknown): UsageError {
  const message = error instanceof Error ? error.message : String(error);
  return new UsageError(`The verifier cannot use its key: ${message}`);
}

function refusedLines(why: Explanation, style: Style): string[] {
  const rows: [string, string][] = [
    ['Step', why.step],
    ['Found', why.found],
    ['Needed', why.expected],
    ['Client sees', `${why.status} ${why.error}: "${why.message}"`],
  ];
  const width = 11;
  return [
    `${style.red(style.bold('REFUSED'))}  ${style.bold(why.code)}${why.claim ? ` (claim ${why.claim})` : ''}`,
    ...rows.map(([k, v]) => `  ${style.cyan(k.padEnd(width))}  ${v}`),
  ];
}
