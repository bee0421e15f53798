// From the settings to core's VerifierOptions: key files and secrets read, the recording
// fetch put in place for remote key sources. Core checks every option itself.
import type { StaticKeyInput, VerifierOptions } from '@tokengate/core';
import type { FetchRecorder } from '../fetch-recorder.js';
import type { CliIo } from '../io.js';
import { decryptionKeys, readKeyFile, readSecret } from '../keys.js';
import type { VerifySettings } from './settings.js';

const one = (values: string[] | false) =>
  values === false || values.length !== 1 ? values : values[0]!;

/**
 * Build the options of `createVerifier` from the settings; options left out keep core's
 * defaults, and `logger: false` keeps core's key-source log lines out of the report.
 *
 * @example
 * const options = await verifierOptions(settings, recorder, io);
 */
export async function verifierOptions(
  settings: VerifySettings,
  recorder: FetchRecorder,
  io: CliIo,
): Promise<VerifierOptions> {
  const options: VerifierOptions = { logger: false };
  const secret =
    settings.secretEnv !== undefined || settings.secretFile !== undefined
      ? await readSecret(settings, io)
      : settings.secret;
  if (secret !== undefined) options.secret = secret;
  if (settings.keyFile !== undefined)
    options.keys = (await readKeyFile('--key-file', settings.keyFile)) as StaticKeyInput;
  if (settings.jwksUri !== undefined) options.jwksUri = settings.jwksUri;
  if (settings.discovery) options.discovery = true;
  if (settings.jwksUri !== undefined || settings.discovery)
    options.jwks = {
      fetch: recorder.fetch,
      ...(settings.allowInsecureHttp ? { allowInsecureHttp: true } : {}),
      ...(settings.timeout !== undefined ? { timeoutDuration: settings.timeout } : {}),
    };
  if (settings.issuer !== undefined) options.issuer = one(settings.issuer);
  if (settings.audience !== undefined) options.audience = one(settings.audience);
  if (settings.algorithms !== undefined) options.algorithms = settings.algorithms;
  if (settings.clockTolerance !== undefined) options.clockTolerance = settings.clockTolerance;
  if (settings.maxTokenAge !== undefined) options.maxTokenAge = settings.maxTokenAge;
  if (settings.typ !== undefined)
    options.typ =
      settings.typ.length === 1 && settings.typ[0] === 'rfc9068' ? 'rfc9068' : settings.typ;
  if (settings.requiredClaims !== undefined) options.requiredClaims = settings.requiredClaims;
  if (settings.requireExp === false) options.requireExp = false;
  if (settings.decryptionKey !== undefined)
    options.decryption = { keys: await decryptionKeys(settings.decryptionKey) };
  return options;
}

// Core names its options in its messages; the flag that sets each one.
const FLAGS: Record<string, string> = {
  issuer: '--issuer (or --any-issuer)',
  audience: '--audience (or --any-audience)',
  jwksUri: '--jwks-uri',
  discovery: '--discovery',
  secret: '--secret-env / --secret-file',
  keys: '--key-file',
  algorithms: '--algorithms',
  clockTolerance: '--clock-tolerance',
  maxTokenAge: '--max-token-age',
  typ: '--typ',
  requiredClaims: '--require-claim',
  decryption: '--decryption-key',
  'jwks.allowInsecureHttp': '--allow-insecure-http',
  'jwks.timeoutDuration': '--timeout',
};

/**
 * Core's `TypeError` for the options, with the flags that set the options it names.
 *
 * @example
 * optionsProblem(new TypeError('"audience" is required')); // '"audience" is required (set it with --audience …)'
 */
export function optionsProblem(error: Error): string {
  const named = Object.keys(FLAGS).filter(
    (name) =>
      error.message.includes(`"${name}"`) ||
      error.message.startsWith(`${name} `) ||
      (name.startsWith('jwks.') && error.message.includes(name)),
  );
  const hint = named.map((name) => FLAGS[name]).join(', ');
  return `The verifier refuses these options: ${error.message}${hint ? ` (set with ${hint})` : ''}`;
}
