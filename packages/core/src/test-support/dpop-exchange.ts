// A request exchange for DPoP tests: method, URL, headers (repeated ones as arrays) and the
// peer address, recording the one answer given, response headers included.
import type { Exchange, Refusal, RequestView } from '../protocol/view.js';
import type { AuthInfo } from '../types.js';

/** The answer the request protocol gave, with the headers `pass` was handed. */
export type DpopAnswer =
  | {
      kind: 'pass';
      auth: AuthInfo | undefined;
      headers: Readonly<Record<string, string>> | undefined;
    }
  | { kind: 'refuse'; refusal: Refusal }
  | { kind: 'fail'; error: unknown };

/** What a test request is made of. */
export interface ViewInit {
  method?: string;
  url?: string;
  headers?: Record<string, string | string[] | undefined>;
  remoteAddress?: string;
}

/** A request view: `GET /things` unless told otherwise. */
export function dpopView(init: ViewInit = {}): RequestView {
  const headers = Object.fromEntries(
    Object.entries(init.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
  );
  return {
    method: init.method ?? 'GET',
    url: init.url ?? '/things',
    header: (name) => headers[name.toLowerCase()],
    remoteAddress: () => init.remoteAddress,
  };
}

/** An exchange over {@link dpopView} whose responder returns (and records) its answer. */
export function dpopExchange(
  init: ViewInit = {},
): Exchange<DpopAnswer> & { answers: DpopAnswer[] } {
  const answers: DpopAnswer[] = [];
  const record = (answer: DpopAnswer) => {
    answers.push(answer);
    return answer;
  };
  const view = dpopView(init);
  return {
    method: view.method,
    url: view.url,
    header: view.header,
    remoteAddress: view.remoteAddress,
    answers,
    pass: (auth, headers) => record({ kind: 'pass', auth, headers }),
    refuse: (refusal) => record({ kind: 'refuse', refusal }),
    fail: (error) => record({ kind: 'fail', error }),
  };
}
