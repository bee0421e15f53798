// An exchange for driving the request protocol in tests: it records the one answer given.
import type { Exchange, Refusal } from '../protocol/view.js';
import type { AuthInfo, TokenRequest } from '../types.js';

/** The answer the request protocol gave: what it passed, its refusal, or what failed. */
export type Answer =
  | { kind: 'pass'; auth: AuthInfo | undefined }
  | { kind: 'refuse'; refusal: Refusal }
  | { kind: 'fail'; error: unknown };

/** A `GET /things` exchange over `view` whose responder returns (and records) its answer. */
export function exchange(view: TokenRequest): Exchange<Answer> & { answers: Answer[] } {
  const answers: Answer[] = [];
  const record = (answer: Answer) => {
    answers.push(answer);
    return answer;
  };
  return {
    ...view,
    method: 'GET',
    url: '/things',
    answers,
    pass: (auth) => record({ kind: 'pass', auth }),
    refuse: (refusal) => record({ kind: 'refuse', refusal }),
    fail: (error) => record({ kind: 'fail', error }),
  };
}

/**
 * An answer as `verifier.authenticate()` would settle: the auth (or `undefined`) it passed,
 * or the code of the error it refused with.
 */
export function settledAs(answer: Answer): { value?: unknown; code?: string } {
  if (answer.kind === 'pass') return { value: answer.auth };
  if (answer.kind === 'refuse') return { code: answer.refusal.error.code };
  throw answer.error;
}
