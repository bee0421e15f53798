// The verifier's settings from three layers, later ones winning: TOKENGATE_* environment
// variables (and `--env-file`), a JSON `--config` file, then the flags.
import { parseEnv } from 'node:util';
import { type CliIo, UsageError } from '../io.js';
import { readUserFile } from '../keys.js';

/** What `verify` is told about the API's verifier, before the key files are read. */
export interface VerifySettings {
  issuer?: string[] | false;
  audience?: string[] | false;
  jwksUri?: string;
  discovery?: boolean;
  /** The name of the environment variable holding the HS secret. */
  secretEnv?: string;
  secretFile?: string;
  /** The secret itself, only ever from `TOKENGATE_SECRET` in the environment or `--env-file`. */
  secret?: string;
  keyFile?: string;
  algorithms?: string[];
  clockTolerance?: number | string;
  maxTokenAge?: number | string;
  typ?: string[];
  requiredClaims?: string[];
  requireExp?: boolean;
  decryptionKey?: string;
  /** Scopes the route requires (checked after a valid verification, like `requireScopes()`). */
  scopes?: string[];
  allowInsecureHttp?: boolean;
  /** JWKS / discovery fetch timeout in ms. */
  timeout?: number;
}

/** Where each layer came from, for the report. */
export interface SettingsSources {
  readonly settings: VerifySettings;
  readonly from: readonly string[];
}

const list = (value: string) =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * A duration flag as core takes it: whole seconds as a number, else the string (`'5m'`),
 * which the verifier checks.
 *
 * @example
 * durationArg('30'); // 30
 */
export function durationArg(value: string): number | string {
  return /^\d+$/.test(value) ? Number(value) : value;
}

const ENV: Record<string, (value: string) => VerifySettings> = {
  TOKENGATE_ISSUER: (v) => ({ issuer: list(v) }),
  TOKENGATE_AUDIENCE: (v) => ({ audience: list(v) }),
  TOKENGATE_JWKS_URI: (v) => ({ jwksUri: v }),
  TOKENGATE_DISCOVERY: (v) => ({ discovery: v === 'true' || v === '1' }),
  TOKENGATE_SECRET: (v) => ({ secret: v }),
  TOKENGATE_KEY_FILE: (v) => ({ keyFile: v }),
  TOKENGATE_ALGORITHMS: (v) => ({ algorithms: list(v) }),
  TOKENGATE_CLOCK_TOLERANCE: (v) => ({ clockTolerance: durationArg(v) }),
  TOKENGATE_MAX_TOKEN_AGE: (v) => ({ maxTokenAge: durationArg(v) }),
  TOKENGATE_TYP: (v) => ({ typ: list(v) }),
  TOKENGATE_REQUIRED_CLAIMS: (v) => ({ requiredClaims: list(v) }),
  TOKENGATE_DECRYPTION_KEY_FILE: (v) => ({ decryptionKey: v }),
  TOKENGATE_SCOPES: (v) => ({ scopes: list(v) }),
};

/**
 * Settings from `TOKENGATE_*` variables.
 *
 * @example
 * fromEnv({ TOKENGATE_AUDIENCE: 'a,b' }); // { audience: ['a', 'b'] }
 */
export function fromEnv(env: CliIo['env']): VerifySettings {
  const settings: VerifySettings = {};
  for (const [name, apply] of Object.entries(ENV)) {
    const value = env[name];
    if (value !== undefined && value !== '') Object.assign(settings, apply(value));
  }
  return settings;
}

/**
 * The variables of a dotenv file (`--env-file`), merged over the process environment.
 *
 * @example
 * const env = await withEnvFile(io.env, '.env.tokengate');
 */
export async function withEnvFile(
  env: CliIo['env'],
  path: string | undefined,
): Promise<CliIo['env']> {
  if (path === undefined) return env;
  const text = await readUserFile('--env-file', path);
  return { ...env, ...parseEnv(text) };
}

const strings = (key: string, value: unknown, file: string): string[] => {
  const array = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(array) || !array.every((v) => typeof v === 'string'))
    throw new UsageError(`--config ${file}: "${key}" must be a string or an array of strings`);
  return array;
};

const CONFIG: Record<string, (v: unknown, file: string) => VerifySettings> = {
  issuer: (v, f) => ({ issuer: v === false ? false : strings('issuer', v, f) }),
  audience: (v, f) => ({ audience: v === false ? false : strings('audience', v, f) }),
  jwksUri: (v, f) => ({ jwksUri: strings('jwksUri', v, f)[0] }),
  discovery: (v) => ({ discovery: v === true }),
  secretEnv: (v, f) => ({ secretEnv: strings('secretEnv', v, f)[0] }),
  secretFile: (v, f) => ({ secretFile: strings('secretFile', v, f)[0] }),
  keyFile: (v, f) => ({ keyFile: strings('keyFile', v, f)[0] }),
  algorithms: (v, f) => ({ algorithms: strings('algorithms', v, f) }),
  clockTolerance: (v) => ({ clockTolerance: v as number | string }),
  maxTokenAge: (v) => ({ maxTokenAge: v as number | string }),
  typ: (v, f) => ({ typ: strings('typ', v, f) }),
  requiredClaims: (v, f) => ({ requiredClaims: strings('requiredClaims', v, f) }),
  requireExp: (v) => ({ requireExp: v !== false }),
  decryptionKey: (v, f) => ({ decryptionKey: strings('decryptionKey', v, f)[0] }),
  scopes: (v, f) => ({ scopes: strings('scopes', v, f) }),
  allowInsecureHttp: (v) => ({ allowInsecureHttp: v === true }),
  timeout: (v) => ({ timeout: Number(v) }),
};

/**
 * Settings from a JSON `--config` file, with the verifier's option names. A `secret` in it is
 * refused: config files get committed; name the variable (`secretEnv`) or file instead.
 *
 * @example
 * await fromConfigFile('tokengate.json'); // { issuer: [...], audience: [...], jwksUri }
 */
export async function fromConfigFile(path: string): Promise<VerifySettings> {
  const text = await readUserFile('--config', path);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--config ${path}: not JSON (${(error as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new UsageError(`--config ${path}: must be a JSON object of verifier options`);
  const settings: VerifySettings = {};
  for (const [key, v] of Object.entries(value)) {
    if (key === 'secret')
      throw new UsageError(
        `--config ${path}: a secret is not read from a config file; name it with "secretEnv" (an environment variable) or "secretFile"`,
      );
    const apply = CONFIG[key];
    if (!apply)
      throw new UsageError(
        `--config ${path}: unknown key "${key}" (known: ${Object.keys(CONFIG).join(', ')})`,
      );
    Object.assign(settings, apply(v, path));
  }
  return settings;
}

/**
 * Merge the layers, later ones winning key by key.
 *
 * @example
 * mergeSettings(fromEnv(env), config, flags);
 */
export function mergeSettings(...layers: VerifySettings[]): VerifySettings {
  const merged: VerifySettings = {};
  for (const layer of layers)
    for (const [key, value] of Object.entries(layer))
      if (value !== undefined) (merged as Record<string, unknown>)[key] = value;
  return merged;
}
