// The `tokengate` command line, on commander: the commands, their flags and help, and the
// exit status of every outcome (0 done or valid, 1 refused, 2 usage or key-source error).
import { Command, CommanderError, Option } from 'commander';
import packageJson from '../package.json' with { type: 'json' };
import { colorEnabled, createStyle, type Style } from './format.js';
import { inspectCommand } from './inspect.js';
import { type CliIo, EXIT, UsageError, writeLines } from './io.js';
import { jwksCommand } from './jwks.js';
import { mintCommand } from './mint.js';
import { readToken } from './token-input.js';
import { verifyCommand } from './verify/command.js';
import {
  durationArg,
  fromConfigFile,
  fromEnv,
  mergeSettings,
  type VerifySettings,
  withEnvFile,
} from './verify/settings.js';

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];
const collectList = (value: string, previous: string[] | undefined) => [
  ...(previous ?? []),
  ...value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
];
const whole = (flag: string) => (value: string) => {
  if (!/^\d+$/.test(value))
    throw new UsageError(`${flag} must be a whole number, not ${JSON.stringify(value)}`);
  return Number(value);
};

// A secret typed on the command line stays in the shell history and shows in `ps`.
const NO_SECRET_ARGUMENT =
  'A secret is never read from the command line (shell history, `ps`): use --secret-env NAME or --secret-file FILE';

interface Run {
  io: CliIo;
  status: number;
}

function styleFor(run: Run, command: Command): Style {
  const { color } = command.optsWithGlobals<{ color?: boolean }>();
  return createStyle(colorEnabled(run.io.stdout, run.io.env, color));
}

function addVerifyFlags(command: Command): Command {
  return command
    .option('--issuer <iss>', 'trusted issuer, exact `iss` (repeat for several)', collect)
    .option('--any-issuer', 'accept any issuer (the verifier option `issuer: false`)')
    .option('--audience <aud>', 'expected audience (repeat for several; any one matches)', collect)
    .option('--any-audience', 'accept any audience (`audience: false`)')
    .option('--jwks-uri <url>', 'JWK Set URL')
    .option('--discovery', 'find the JWK Set through OIDC discovery from --issuer')
    .option('--secret-env <NAME>', 'environment variable holding the HS secret')
    .option('--secret-file <file>', 'file holding the HS secret')
    .option('--key-file <file>', 'public key: PEM (SPKI or X.509), JWK or JWK Set')
    .option('--algorithms <list>', 'algorithm allow-list, comma-separated', collectList)
    .option('--clock-tolerance <duration>', "clock skew tolerance: seconds or '30s'", durationArg)
    .option('--max-token-age <duration>', "maximum age since iat: seconds or '1h'", durationArg)
    .option('--typ <typ>', "accepted typ header (repeat), or 'rfc9068'", collect)
    .option('--require-claim <name>', 'a claim that must be present (repeat)', collect)
    .option('--no-require-exp', 'accept tokens without exp')
    .option('--decryption-key <file>', 'private key that decrypts a JWE (PEM PKCS#8, JWK, JWK Set)')
    .option('--scope <scope>', 'a scope the route requires (repeat)', collect)
    .option('--allow-insecure-http', 'fetch keys over http: from a host that is not loopback')
    .option('--timeout <ms>', 'key fetch timeout in milliseconds', whole('--timeout'))
    .option('--config <file>', 'JSON file of verifier options (same names as createVerifier)')
    .option(
      '--env-file <file>',
      'dotenv file with TOKENGATE_* variables (and the --secret-env variable)',
    )
    .addOption(new Option('--secret <value>').hideHelp());
}

interface VerifyFlags extends Omit<VerifySettings, 'issuer' | 'audience'> {
  issuer?: string[];
  audience?: string[];
  anyIssuer?: boolean;
  anyAudience?: boolean;
  requireClaim?: string[];
  scope?: string[];
  config?: string;
  envFile?: string;
  secret?: string;
  json?: boolean;
}

async function settingsFrom(
  flags: VerifyFlags,
  io: CliIo,
): Promise<{ settings: VerifySettings; env: CliIo['env'] }> {
  if (flags.secret !== undefined) throw new UsageError(NO_SECRET_ARGUMENT);
  const env = await withEnvFile(io.env, flags.envFile);
  const config = flags.config !== undefined ? await fromConfigFile(flags.config) : {};
  const fromFlags: VerifySettings = {
    issuer: flags.anyIssuer ? false : flags.issuer,
    audience: flags.anyAudience ? false : flags.audience,
    jwksUri: flags.jwksUri,
    discovery: flags.discovery,
    secretEnv: flags.secretEnv,
    secretFile: flags.secretFile,
    keyFile: flags.keyFile,
    algorithms: flags.algorithms,
    clockTolerance: flags.clockTolerance,
    maxTokenAge: flags.maxTokenAge,
    typ: flags.typ,
    requiredClaims: flags.requireClaim,
    requireExp: flags.requireExp === false ? false : undefined,
    decryptionKey: flags.decryptionKey,
    scopes: flags.scope,
    allowInsecureHttp: flags.allowInsecureHttp,
    timeout: flags.timeout,
  };
  return { settings: mergeSettings(fromEnv(env), config, fromFlags), env };
}

function build(run: Run): Command {
  const program = new Command('tokengate')
    .description('Inspect a JWT, verify it the way your API does and say why it is refused.')
    .version(packageJson.version)
    .option('--no-color', 'no colour (also: NO_COLOR=1)')
    .showHelpAfterError('(add --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => run.io.stdout.write(text),
      writeErr: (text) => run.io.stderr.write(text),
    });

  program
    .command('inspect')
    .description('decode a token WITHOUT verifying it: header, claims, times, scopes, binding')
    .argument('[token]', 'the token, a "Bearer …" line, or - for stdin (default)')
    .option('--decryption-key <file>', 'private key that decrypts a JWE (PEM PKCS#8, JWK, JWK Set)')
    .option('--json', 'JSON output')
    .action(
      async (
        token: string | undefined,
        options: { decryptionKey?: string; json?: boolean },
        command: Command,
      ) => {
        run.status = await inspectCommand(
          await readToken(token, run.io),
          options,
          run.io,
          styleFor(run, command),
        );
      },
    );

  addVerifyFlags(
    program
      .command('verify')
      .description(
        'verify a token with the verifier of @tokengate/core; exit 0 valid, 1 refused, 2 usage or key-source error',
      )
      .argument('[token]', 'the token, a "Bearer …" line, or - for stdin (default)')
      .option('--json', 'JSON output'),
  ).action(async (token: string | undefined, flags: VerifyFlags, command: Command) => {
    const { settings, env } = await settingsFrom(flags, run.io);
    const input = await readToken(token, run.io);
    run.status = await verifyCommand(
      input,
      settings,
      flags,
      { ...run.io, env },
      styleFor(run, command),
    );
  });

  program
    .command('jwks')
    .description(
      'fetch a JWK Set (or find it through discovery) and list its keys and cache headers',
    )
    .argument('<url>', 'a JWK Set URL, or an issuer whose discovery document names one')
    .option('--discovery', 'the argument is an issuer: use OIDC discovery / RFC 8414')
    .option('--allow-insecure-http', 'fetch over http: from a host that is not loopback')
    .option('--timeout <ms>', 'fetch timeout in milliseconds', whole('--timeout'))
    .option('--json', 'JSON output')
    .action(
      async (
        url: string,
        options: { discovery?: boolean; json?: boolean; timeout?: number },
        command: Command,
      ) => {
        run.status = await jwksCommand(url, options, run.io, styleFor(run, command));
      },
    );

  program
    .command('mint')
    .description('sign a token for local testing (with a generated key unless --key-file)')
    .option('--alg <alg>', 'signing algorithm (default ES256, or HS256 with a secret)')
    .option('--key-file <file>', 'private key: PEM PKCS#8 or private JWK')
    .option('--secret-env <NAME>', 'environment variable holding an HS secret')
    .option('--secret-file <file>', 'file holding an HS secret')
    .option('--kid <kid>', 'kid header (default: the key thumbprint)')
    .option('--iss <iss>', 'iss claim')
    .option('--sub <sub>', 'sub claim')
    .option('--aud <aud>', 'aud claim (repeat for several)', collect)
    .option('--scope <scopes>', 'scope claim, space-separated')
    .option('--claim <name=value>', 'any claim; a JSON value is read as JSON (repeat)', collect)
    .option('--claims <json>', 'claims as a JSON object')
    .option('--claims-file <file>', 'claims from a JSON file')
    .option('--expires-in <duration>', "lifetime: seconds or '15m'", '5m')
    .option('--not-before <duration>', "nbf delay after iat: seconds or '5m'")
    .option('--typ <typ>', 'typ header', 'at+jwt')
    .option('--jwks', 'also print the public JWK Set that verifies the token')
    .option('--json', 'JSON output: { token, jwks }')
    .addOption(new Option('--secret <value>').hideHelp())
    .action(async (options: Parameters<typeof mintCommand>[0] & { secret?: string }) => {
      if (options.secret !== undefined) throw new UsageError(NO_SECRET_ARGUMENT);
      run.status = await mintCommand(options, run.io);
    });

  return program;
}

/**
 * Run the `tokengate` command line with `argv` (without `node` and the script) and return the
 * exit status: 0 valid / done, 1 refused, 2 usage or key-source error. Every error is one
 * message on stderr, never a stack trace. Tokens are never written to stderr.
 *
 * @example
 * const status = await run(['verify', '-', '--issuer', iss, '--audience', 'api', '--jwks-uri', url], io);
 */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const state: Run = { io, status: EXIT.ok };
  try {
    await build(state).parseAsync([...argv], { from: 'user' });
    return state.status;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are exits without an error; commander has printed its message.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    const message = error instanceof Error ? error.message : String(error);
    const prefix = error instanceof UsageError ? 'tokengate' : 'tokengate: unexpected error';
    writeLines(io.stderr, `${prefix}: ${message}`);
    return EXIT.usage;
  }
}
