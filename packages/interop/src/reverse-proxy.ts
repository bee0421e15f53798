// A reverse proxy for the interop tests, as nginx or Envoy would sit in front of the API: it
// listens on its own port (the public origin), rewrites `Host` to the API's and says where the
// request was addressed in `X-Forwarded-Proto`/`-Host` or RFC 7239 `Forwarded`. It connects
// from its own loopback address, so that the API can tell it from other peers.
import { createServer, type IncomingMessage, type OutgoingHttpHeaders, request } from 'node:http';
import { close, listen } from './net.js';

/** The address the proxy connects to the API from: the one to trust (`trustProxy`). */
export const PROXY_ADDRESS = '127.0.0.2';

/** How the proxy forwards the public origin. */
export type ForwardedForm = 'x-forwarded' | 'forwarded';

export interface ReverseProxy {
  /** The public origin, `http://127.0.0.1:<port>`. */
  readonly origin: string;
  url(path: string): URL;
  close(): Promise<void>;
}

function forwardedHeaders(req: IncomingMessage, form: ForwardedForm): OutgoingHttpHeaders {
  const host = req.headers.host ?? '';
  // RFC 7239 §4: a host with a port is no token, so it is a quoted-string.
  if (form === 'forwarded') return { forwarded: `proto=http;host="${host}"` };
  return { 'x-forwarded-proto': 'http', 'x-forwarded-host': host };
}

/** Start a reverse proxy to `target` (`http://127.0.0.1:<port>`) on 127.0.0.1, port 0. */
export async function startReverseProxy(
  target: string,
  form: ForwardedForm,
): Promise<ReverseProxy> {
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    const { connection: _hopByHop, ...headers } = req.headers;
    const forward = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        localAddress: PROXY_ADDRESS,
        method: req.method,
        path: req.url,
        headers: { ...headers, host: upstream.host, ...forwardedHeaders(req, form) },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.writeHead(502).end());
    req.pipe(forward);
  });
  const origin = `http://127.0.0.1:${await listen(server)}`;
  return { origin, url: (path) => new URL(path, origin), close: () => close(server) };
}
