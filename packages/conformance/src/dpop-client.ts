// A real DPoP client (RFC 9449 §7): panva's oauth4webapi makes every proof the suite sends. The
// client addresses the API's public origin; its fetch goes to the adapter on 127.0.0.1, or is
// only recorded, so that a test can replay or alter the exact request a client built.
import * as oauth from 'oauth4webapi';
import { DPOP_ORIGIN } from './dpop-routes.js';
import type { HeaderLine } from './expectations.js';
import { type RawResponse, rawRequest } from './raw-request.js';

/** How one request of {@link DpopClient} is made. */
export interface DpopRequestOptions {
  /** The method the proof is for (`htm`). Default `GET`. */
  method?: string;
  /** The URL the client addresses (`htu`), a path on {@link DPOP_ORIGIN} or absolute. */
  url: string;
  /** Seconds added to the client's clock (`iat`): `-600` makes a proof ten minutes old. */
  clockSkew?: number;
  /** Change the proof right before it is signed (a forged nonce, another `ath`). */
  modify?: (header: Record<string, unknown>, payload: Record<string, unknown>) => void;
  /** Header lines sent beside `Authorization` and `DPoP` (`X-Forwarded-Host`). */
  headers?: HeaderLine[];
}

/** One request the client sent, and the adapter's answer. */
export interface DpopExchange {
  /** The header lines as sent (`authorization`, `dpop` and the extra ones). */
  sent: HeaderLine[];
  /** The path the request went to on the adapter. */
  path: string;
  res: RawResponse;
  /** What oauth4webapi made of the answer: `undefined`, or the challenge error it threw. */
  error: unknown;
}

/**
 * A DPoP client key: the thumbprint to bind tokens to (`cnf.jkt`), and requests through
 * oauth4webapi's `protectedResourceRequest` with a proof of this key.
 *
 * @example
 * const client = await createDpopClient();
 * const token = await issuer.mint({ cnf: { jkt: client.jkt } });
 * const { res } = await client.send(baseUrl, token, { url: '/dpop' });
 */
export interface DpopClient {
  /** RFC 7638 SHA-256 thumbprint of the client's public key. */
  readonly jkt: string;
  /** Build the request the client would send, without sending it: its header lines. */
  prepare(token: string, options: DpopRequestOptions): Promise<HeaderLine[]>;
  /**
   * Send the request to the adapter at `baseUrl` (same path and query), through the client's
   * nonce memory: a `DPoP-Nonce` the adapter answered is in the next proof, as in a real client.
   */
  send(baseUrl: string, token: string, options: DpopRequestOptions): Promise<DpopExchange>;
}

type Fetch = NonNullable<oauth.ProtectedResourceRequestOptions[typeof oauth.customFetch]>;

function linesOf(headers: unknown): HeaderLine[] {
  return Object.entries(headers as Record<string, string>).map(([name, value]) => [name, value]);
}

function responseOf(res: RawResponse): Response {
  const headers = new Headers();
  for (const [name, values] of Object.entries(res.headers))
    for (const value of values) headers.append(name, value);
  const empty = res.status === 204 || res.status === 304;
  return new Response(empty ? null : res.text, { status: res.status, headers });
}

/**
 * Make a DPoP client with a fresh key (`alg`, default ES256).
 *
 * @example
 * const attacker = await createDpopClient();
 */
export async function createDpopClient(alg = 'ES256'): Promise<DpopClient> {
  const keyPair = await oauth.generateKeyPair(alg);
  // One handle for `send`: it remembers the server's nonces, per origin.
  const remembering = oauth.DPoP({}, keyPair);
  const jkt = await remembering.calculateThumbprint();

  async function request(
    token: string,
    o: DpopRequestOptions,
    fetch: Fetch,
    handle?: oauth.DPoPHandle,
  ) {
    const modify = o.modify;
    const dpop =
      handle ??
      oauth.DPoP({ [oauth.clockSkew]: o.clockSkew ?? 0 }, keyPair, {
        [oauth.modifyAssertion]: (header, payload) => modify?.(header, payload),
      });
    const url = new URL(o.url, DPOP_ORIGIN);
    try {
      await oauth.protectedResourceRequest(
        token,
        o.method ?? 'GET',
        url,
        new Headers(o.headers?.map(([name, value]) => [name, value])),
        null,
        {
          DPoP: dpop,
          [oauth.customFetch]: fetch,
          [oauth.allowInsecureRequests]: url.protocol === 'http:',
        },
      );
      return undefined;
    } catch (error) {
      return error;
    }
  }

  return Object.freeze({
    jkt,
    async prepare(token: string, o: DpopRequestOptions) {
      let sent: HeaderLine[] = [];
      await request(token, o, async (_url, init) => {
        sent = linesOf(init.headers);
        return new Response(null, { status: 204 });
      });
      return sent;
    },
    async send(baseUrl: string, token: string, o: DpopRequestOptions) {
      let exchange: Omit<DpopExchange, 'error'> | undefined;
      const handle = o.clockSkew === undefined && o.modify === undefined ? remembering : undefined;
      const error = await request(
        token,
        o,
        async (url, init) => {
          const { pathname, search } = new URL(url);
          const sent = linesOf(init.headers);
          const res = await rawRequest(`${baseUrl}${pathname}${search}`, sent, {
            method: init.method ?? 'GET',
          });
          exchange = { sent, path: `${pathname}${search}`, res };
          return responseOf(res);
        },
        handle,
      );
      if (exchange === undefined) throw error;
      return { ...exchange, error };
    },
  });
}
