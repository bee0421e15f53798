// Human output: colour (only on a terminal, never with NO_COLOR), UTC dates and "in 4 min".
import type { CliIo } from './io.js';

/** The few styles the reports use; each is the identity when colour is off. */
export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

const ansi = (open: number, close: number) => (text: string) =>
  `\u001b[${open}m${text}\u001b[${close}m`;
const plain = (text: string) => text;

/**
 * Whether to colour `stream`: never when `NO_COLOR` is set and not empty (no-color.org) or
 * `--no-color` was given; else always when `FORCE_COLOR` is set and not `0`; else only on a
 * terminal.
 *
 * @example
 * const style = createStyle(colorEnabled(io.stdout, io.env, options.color));
 */
export function colorEnabled(
  stream: CliIo['stdout'],
  env: CliIo['env'],
  flag: boolean | undefined,
): boolean {
  if (flag === false || (env.NO_COLOR !== undefined && env.NO_COLOR !== '')) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '' && force !== '0') return true;
  return stream.isTTY === true;
}

/**
 * The styles, coloured or plain.
 *
 * @example
 * createStyle(false).red('REFUSED'); // 'REFUSED'
 */
export function createStyle(enabled: boolean): Style {
  if (!enabled)
    return { bold: plain, dim: plain, red: plain, green: plain, yellow: plain, cyan: plain };
  return {
    bold: ansi(1, 22),
    dim: ansi(2, 22),
    red: ansi(31, 39),
    green: ansi(32, 39),
    yellow: ansi(33, 39),
    cyan: ansi(36, 39),
  };
}

/**
 * An epoch-seconds NumericDate (RFC 7519 §2) in UTC, to the second.
 *
 * @example
 * utc(0); // '1970-01-01 00:00:00 UTC'
 */
export function utc(seconds: number): string {
  const date = new Date(seconds * 1000);
  if (Number.isNaN(date.getTime())) return 'not a date';
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/**
 * A length of time in the largest unit that fits: `30 s`, `4 min`, `2 h`, `3 d`.
 *
 * @example
 * span(7200); // '2 h'
 */
export function span(seconds: number): string {
  const s = Math.abs(Math.round(seconds));
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  if (s < 172_800) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86_400)} d`;
}

/**
 * What a time claim means at `now` (epoch seconds), in words: `expires in 4 min`,
 * `expired 2 h ago`, `not valid for 30 s`, `valid since 1 min`, `issued 2 min ago`.
 *
 * @example
 * timeNote('exp', now - 7200, now); // 'expired 2 h ago'
 */
export function timeNote(claim: string, value: number, now: number): string {
  const delta = value - now;
  if (claim === 'exp')
    return delta > 0 ? `expires in ${span(delta)}` : `expired ${span(delta)} ago`;
  if (claim === 'nbf')
    return delta > 0 ? `not valid for ${span(delta)}` : `valid since ${span(delta)} ago`;
  if (claim === 'iat')
    return delta > 0 ? `issued in the future (in ${span(delta)})` : `issued ${span(delta)} ago`;
  return delta > 0 ? `in ${span(delta)}` : `${span(delta)} ago`;
}

/** The claims read as NumericDates (RFC 7519 §4.1.4-6, OIDC `auth_time`). */
export const TIME_CLAIMS = ['exp', 'nbf', 'iat', 'auth_time'] as const;

/**
 * Key/value lines aligned on the longest key, indented by two spaces.
 *
 * @example
 * table([['alg', 'RS256'], ['kid', 'k1']]); // ['  alg  RS256', '  kid  k1']
 */
export function table(rows: readonly (readonly [string, string])[], style?: Style): string[] {
  const width = Math.max(0, ...rows.map(([key]) => key.length));
  return rows.map(([key, value]) => {
    const label = key.padEnd(width);
    return `  ${style ? style.cyan(label) : label}  ${value}`;
  });
}

/**
 * A claim or header value for a report line: strings as they are, the rest as JSON.
 *
 * @example
 * show(['a', 'b']); // '["a","b"]'
 */
export function show(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
