// A minimal OAuth token endpoint over the issuer on 127.0.0.1, written the way an application
// would: the password grant starts a family, the refresh grant rotates it, both with the
// request's DPoP proof checked against the endpoint's own configured URL.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { IssuerError } from '../errors.js';
import type { TokenIssuer, TokenRequestOptions } from '../token-issuer.js';

/** A running token endpoint. */
export interface TokenEndpoint {
  /** `http://127.0.0.1:<port>`. */
  origin: string;
  /** `${origin}/token`: the URL DPoP proofs must name (`htu`). */
  url: string;
  close(): Promise<void>;
}

async function form(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: unknown) {
  res.writeHead(status, { ...headers, 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function grant(tokens: TokenIssuer, params: URLSearchParams, options: TokenRequestOptions) {
  const type = params.get('grant_type');
  if (type === 'password') {
    const claims = { scope: 'read:things', client_id: params.get('client_id') ?? 'app' };
    return tokens.issueTokens(params.get('username') ?? '', claims, options);
  }
  if (type === 'refresh_token') return tokens.refresh(params.get('refresh_token') ?? '', options);
  return undefined;
}

/**
 * Serve `POST /token` for `tokens` on 127.0.0.1 (a free port).
 *
 * @example
 * const endpoint = await serveTokenEndpoint(tokens); // endpoint.url
 */
export async function serveTokenEndpoint(tokens: TokenIssuer): Promise<TokenEndpoint> {
  let url = '';
  const server = createServer(async (req, res) => {
    const dpop = { proof: req.headersDistinct.dpop, method: req.method ?? '', uri: url };
    try {
      const pair = await grant(tokens, await form(req), { dpop });
      if (!pair) return send(res, 400, {}, { error: 'unsupported_grant_type' });
      const nonce = await tokens.dpopNonce();
      const headers: Record<string, string> = { 'Cache-Control': 'no-store' };
      if (nonce !== undefined) headers['DPoP-Nonce'] = nonce;
      send(res, 200, headers, pair);
    } catch (error) {
      if (error instanceof IssuerError) send(res, error.status, error.headers, error.toJSON());
      else send(res, 500, {}, { error: 'server_error', message: String(error) });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  url = `${origin}/token`;
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return { origin, url, close };
}
