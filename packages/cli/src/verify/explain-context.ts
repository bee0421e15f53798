// What an explanation of a refusal reads, and the shape it takes.
import type { TokengateError, VerifierOptions } from '@tokengate/core';
import type { Decoded } from '../decode.js';
import type { FetchRecorder } from '../fetch-recorder.js';
import type { KeyFileContent } from '../keys.js';

/**
 * What `verify` says about a refusal.
 *
 * @example
 * const why: Explanation = explain(error, ctx); // why.step, why.found, why.expected
 */
export interface Explanation {
  /** The stable code, e.g. `ERR_CLAIM_INVALID`. */
  readonly code: string;
  readonly status: number;
  /** The RFC 6750 / RFC 9449 error the API's challenge would carry. */
  readonly error: string;
  /** The claim or header parameter that failed, on `ERR_CLAIM_INVALID`. */
  readonly claim: string | null;
  /** The verification step that refused it. */
  readonly step: string;
  /** What the token has. */
  readonly found: string;
  /** What the verifier would have needed. */
  readonly expected: string;
  /** The message the API's client receives (`error_description`). */
  readonly message: string;
}

/**
 * Everything an explanation may read.
 *
 * @example
 * explain(error, { decoded, decodeProblem, options, recorder, keyFile, scheme, scopes: [], now });
 */
export interface ExplainContext {
  readonly decoded: Decoded | undefined;
  /** Why the token does not decode, when it does not. */
  readonly decodeProblem: string | undefined;
  readonly options: VerifierOptions;
  readonly recorder: FetchRecorder;
  /** The key file given with `--key-file`, for the kids of a static JWK Set. */
  readonly keyFile: KeyFileContent | undefined;
  readonly scheme: 'Bearer' | 'DPoP' | undefined;
  /** Scopes the route requires (`--scope`). */
  readonly scopes: readonly string[];
  /** Epoch seconds. */
  readonly now: number;
}

/** The part of an {@link Explanation} a rule writes. */
export type Part = Pick<Explanation, 'step' | 'found' | 'expected'>;

/** The explanation of one error code. */
export type Rule = (error: TokengateError & { claim?: string }, ctx: ExplainContext) => Part;

/** A value as a report shows it: strings bare, the rest as JSON. */
export const quoted = (value: unknown) =>
  typeof value === 'string' ? value : JSON.stringify(value);

/** A claim that may be an array, as `[a, b]`. */
export const listOf = (value: unknown) =>
  Array.isArray(value) ? `[${value.map(quoted).join(', ')}]` : quoted(value);

/** An option that may list several values, as the verifier expects it. */
export const expectList = (value: unknown, none: string) =>
  value === undefined
    ? none
    : Array.isArray(value) && value.length > 1
      ? `one of [${value.join(', ')}]`
      : String(value);

/** The token's (unverified) header, or an empty object. */
export function header(ctx: ExplainContext): Record<string, unknown> {
  return (ctx.decoded?.header ?? {}) as Record<string, unknown>;
}

/** The token's (unverified) claims, or an empty object. */
export function claims(ctx: ExplainContext): Record<string, unknown> {
  return ctx.decoded?.kind === 'JWS' ? ctx.decoded.claims : {};
}
