// The demo's DPoP token endpoint: the same users and signing keys as the demo issuer, with
// `@tokengate/issuer`'s `dpop` option, so a login that carries a DPoP proof gets an access
// token bound to the client's key (RFC 9449 §5) that the APIs verify like any other.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createTokenIssuer, IssuerError, type TokenIssuer } from '@tokengate/issuer';
import {
  type AuthService,
  authenticateUser,
  DEMO_USERS,
  listening,
  type RunningApi,
} from '@tokengate-examples/shared';

/** The running DPoP token endpoint. */
export interface DpopIssuer extends RunningApi {
  /** `POST` `{ username, password }` here with a `DPoP` proof for this URL. */
  tokenUrl: string;
}

const MAX_BODY_BYTES = 16 * 1024;
const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

async function readCredentials(req: IncomingMessage): Promise<Record<string, unknown>> {
  let text = '';
  for await (const chunk of req as AsyncIterable<Buffer>) {
    text += chunk.toString('utf8');
    if (text.length > MAX_BODY_BYTES) return {};
  }
  try {
    return Object(JSON.parse(text));
  } catch {
    return {};
  }
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: unknown) {
  res.writeHead(status, { ...headers, 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function login(tokens: TokenIssuer, req: IncomingMessage, tokenUrl: string) {
  const { username, password } = await readCredentials(req);
  const user =
    typeof username === 'string' && typeof password === 'string'
      ? await authenticateUser(DEMO_USERS, username, password)
      : undefined;
  if (!user) return { status: 400, body: { error: 'invalid_grant' } };
  // Checked against the endpoint's own URL, never one built from the request's Host header.
  const dpop = { proof: req.headersDistinct.dpop, method: req.method ?? '', uri: tokenUrl };
  const claims = { scope: user.scope, name: user.name, client_id: 'tokengate-demo-dpop-client' };
  return { status: 200, body: await tokens.issueTokens(user.username, claims, { dpop }) };
}

/**
 * Serve `POST /token` on 127.0.0.1 (a free port): a login whose tokens are signed by `service`'s
 * keys, bound to the client's DPoP key when the request carries a proof.
 *
 * @example
 * const dpopIssuer = await startDpopIssuer(issuer.deps.service); // dpopIssuer.tokenUrl
 */
export async function startDpopIssuer(service: AuthService): Promise<DpopIssuer> {
  const tokens = createTokenIssuer({
    issuer: service.issuer,
    audience: service.audience,
    keys: service.tokens.keys,
    accessTokenTtl: '15m',
    dpop: true,
  });
  let tokenUrl = '';
  const server = createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== '/token')
      return send(res, 404, {}, { error: 'not_found' });
    login(tokens, req, tokenUrl).then(
      ({ status, body }) => send(res, status, NO_STORE, body),
      (error: unknown) =>
        error instanceof IssuerError
          ? send(res, error.status, error.headers, error.toJSON())
          : send(res, 500, {}, { error: 'server_error' }),
    );
  });
  const running = await listening(server.listen(0, '127.0.0.1'), '127.0.0.1');
  tokenUrl = `${running.url}/token`;
  return { ...running, tokenUrl };
}
