// The parts of a token report shared by `inspect` and `verify`: header, claims with their
// times in UTC and in words, scopes and the sender binding.
import type { JWTClaims } from '@tokengate/core';

/** A protected header as decoded or as the verifier froze it. */
type Header = Readonly<Record<string, unknown>>;

import { bindingNeeds, bindingOf, scopesOf } from './decode.js';
import { type Style, show, TIME_CLAIMS, table, timeNote, utc } from './format.js';

/** A time claim as the JSON output gives it. */
export interface TimeReport {
  readonly value: number;
  readonly utc: string;
  readonly relative: string;
}

/**
 * The JSON form of a decoded JWS: header, claims, times, scopes and binding.
 *
 * @example
 * writeJson(io.stdout, jwsJson(header, claims, now));
 */
export function jwsJson(header: Header, claims: JWTClaims, now: number) {
  const times: Record<string, TimeReport> = {};
  for (const name of TIME_CLAIMS) {
    const value = claims[name];
    if (typeof value === 'number')
      times[name] = { value, utc: utc(value), relative: timeNote(name, value, now) };
  }
  return { header, claims, times, scopes: scopesOf(claims), binding: bindingOf(claims) ?? null };
}

/**
 * The human lines of a decoded JWS.
 *
 * @example
 * writeLines(io.stdout, jwsLines(header, claims, now, style));
 */
export function jwsLines(header: Header, claims: JWTClaims, now: number, style: Style): string[] {
  const headerRows = Object.entries(header).map(([k, v]) => [k, show(v)] as const);
  const claimRows = Object.entries(claims).map(
    ([k, v]) => [k, claimValue(k, v, now, style)] as const,
  );
  const lines = [style.bold('Header'), ...table(headerRows, style), style.bold('Claims')];
  lines.push(...(claimRows.length > 0 ? table(claimRows, style) : ['  (none)']));
  const scopes = scopesOf(claims);
  lines.push(
    `${style.bold('Scopes')}   ${scopes.length > 0 ? scopes.join(' ') : style.dim('(none)')}`,
  );
  const binding = bindingOf(claims);
  lines.push(
    binding === undefined
      ? `${style.bold('Binding')}  none: a bearer token`
      : `${style.bold('Binding')}  ${binding.kind === 'dpop' ? 'DPoP key' : 'client certificate (mTLS)'}, cnf.${binding.member} = ${binding.thumbprint}\n         ${bindingNeeds(binding)}`,
  );
  return lines;
}

function claimValue(name: string, value: unknown, now: number, style: Style): string {
  if (typeof value !== 'number' || !(TIME_CLAIMS as readonly string[]).includes(name))
    return show(value);
  const note = timeNote(name, value, now);
  const past = (name === 'exp' && value <= now) || (name !== 'exp' && value > now);
  return `${value}  ${utc(value)}  ${past ? style.yellow(`(${note})`) : style.dim(`(${note})`)}`;
}
