import { DEMO_PASSWORDS, ROUTES } from '@tokengate-examples/shared';
import { decodeJwt } from 'jose';

/** One checked step of the scripted client. */
export interface StepResult {
  /** Short label, the table's row. */
  step: string;
  /** Expected status and, where it matters, the error. */
  expected: string;
  /** What came back, e.g. `403 insufficient_scope`. */
  actual: string;
  ok: boolean;
}

interface Pair {
  access_token: string;
  refresh_token: string;
}

/** What the first half of the walk leaves for the second. */
export interface FirstHalf {
  results: StepResult[];
  pair?: Pair;
  /** Epoch ms at which the access token has expired. */
  expiresAt: number;
}

// A stuck server must not hang the demo.
const TIMEOUT_MS = 5000;

/** A request of the scripted client: its token and scheme, DPoP proof, JSON body. */
export interface CallOptions {
  token?: string;
  /** The `Authorization` scheme of `token`. Default `Bearer`. */
  scheme?: 'Bearer' | 'DPoP';
  /** The `DPoP` proof header. */
  proof?: string;
  body?: unknown;
}

/**
 * One request of the scripted client, answered as status, body and error.
 *
 * @example
 * const answer = await call(base, ROUTES.me, { token, scheme: 'DPoP', proof });
 */
export async function call(base: string, path: string, init: CallOptions = {}) {
  const headers: Record<string, string> = {};
  if (init.token) headers.authorization = `${init.scheme ?? 'Bearer'} ${init.token}`;
  if (init.proof) headers.dpop = init.proof;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${base}${path}`, {
    method: init.body === undefined ? 'GET' : 'POST',
    headers,
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  const challenge = /error="([^"]+)"/.exec(res.headers.get('www-authenticate') ?? '')?.[1];
  const error = typeof body.error === 'string' ? body.error : challenge;
  return { status: res.status, body, error, code: body.code };
}

type Answer = Awaited<ReturnType<typeof call>>;

/**
 * A step's result: `answer` against the expected status and, if given, the tokengate code or
 * OAuth error.
 *
 * @example
 * results.push(check('GET /me', 200, await call(base, ROUTES.me, { token })));
 */
export function check(step: string, status: number, answer: Answer, want?: string): StepResult {
  // `want` is the tokengate code (ERR_…) or the OAuth/RFC 6750 error the answer must carry.
  const matched = want !== undefined && (answer.code === want || answer.error === want);
  const detail =
    want === undefined ? '' : matched ? want : String(answer.code ?? answer.error ?? '');
  return {
    step,
    expected: want ? `${status} ${want}` : `${status}`,
    actual: `${answer.status} ${detail}`.trim(),
    ok: answer.status === status && (want === undefined || matched),
  };
}

/**
 * A step that got no answer.
 *
 * @example
 * results.push(failed('(request failed)', '', error));
 */
export function failed(step: string, expected: string, error: unknown): StepResult {
  const reason = error instanceof Error ? error.message : String(error);
  return { step, expected, actual: `no answer (${reason})`, ok: false };
}

// Flip one character of the signature: same header and claims, forged signature.
function tamper(token: string): string {
  const last = token.at(-2) === 'A' ? 'B' : 'A';
  return `${token.slice(0, -2)}${last}${token.at(-1)}`;
}

const login = (base: string, username: string) =>
  call(base, ROUTES.login, { body: { username, password: DEMO_PASSWORDS[username] } });

/**
 * The first half of the walk: login, `/me`, `/admin` without and with the scope, a tampered
 * token. Never throws: a step that gets no answer is a failed step.
 *
 * @example
 * const first = await firstHalf('http://127.0.0.1:3001');
 */
export async function firstHalf(base: string): Promise<FirstHalf> {
  const results: StepResult[] = [];
  try {
    const answer = await login(base, 'alice');
    results.push(check('POST /login (alice)', 200, answer));
    if (answer.status !== 200) return { results, expiresAt: 0 };
    const pair = answer.body as unknown as Pair;
    const exp = decodeJwt(pair.access_token).exp ?? 0;
    results.push(check('GET /me', 200, await call(base, ROUTES.me, { token: pair.access_token })));
    const admin = await call(base, ROUTES.admin, { token: pair.access_token });
    results.push(check('GET /admin (no admin scope)', 403, admin, 'insufficient_scope'));
    const ada = (await login(base, 'ada')).body as unknown as Pair;
    results.push(
      check(
        'GET /admin (ada, admin)',
        200,
        await call(base, ROUTES.admin, { token: ada.access_token }),
      ),
    );
    const forged = await call(base, ROUTES.me, { token: tamper(pair.access_token) });
    results.push(check('GET /me, tampered token', 401, forged, 'invalid_token'));
    return { results, pair, expiresAt: exp * 1000 };
  } catch (error) {
    results.push(failed('(request failed)', '', error));
    return { results, expiresAt: 0 };
  }
}

/**
 * The second half, once the access token has expired: `/me` refused, refresh, `/me` with the
 * new token, reuse of the old refresh token refused and its family revoked.
 *
 * @example
 * const rest = await secondHalf(base, first.pair);
 */
export async function secondHalf(base: string, pair: Pair): Promise<StepResult[]> {
  const results: StepResult[] = [];
  try {
    const expired = await call(base, ROUTES.me, { token: pair.access_token });
    results.push(check('GET /me, expired token', 401, expired, 'ERR_TOKEN_EXPIRED'));
    const refreshed = await call(base, ROUTES.refresh, {
      body: { refresh_token: pair.refresh_token },
    });
    results.push(check('POST /refresh', 200, refreshed));
    const next = refreshed.body as unknown as Pair;
    results.push(
      check('GET /me, new token', 200, await call(base, ROUTES.me, { token: next.access_token })),
    );
    const reuse = await call(base, ROUTES.refresh, { body: { refresh_token: pair.refresh_token } });
    results.push(check('POST /refresh, old token again', 400, reuse, 'ERR_REFRESH_TOKEN_REUSED'));
    const revoked = await call(base, ROUTES.refresh, {
      body: { refresh_token: next.refresh_token },
    });
    results.push(check('POST /refresh, family revoked', 400, revoked, 'invalid_grant'));
  } catch (error) {
    results.push(failed('(request failed)', '', error));
  }
  return results;
}
