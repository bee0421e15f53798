// The authorization server of the MCP test: oidc-provider on 127.0.0.1 with resource
// indicators (RFC 8707), issuing RFC 9068 JWT access tokens whose `aud` is the resource the
// client asked for, to two machine clients (client credentials) allowed different scopes.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type Configuration, errors, type JWK } from 'oidc-provider';

/** A confidential client: `client_secret_basic`, the client credentials grant. */
export interface TestClient {
  readonly id: string;
  readonly secret: string;
  /** The scopes it may be granted. */
  readonly scope: string;
}

/** May read notes only. */
export const READER: TestClient = {
  id: 'notes-reader',
  secret: randomBytes(32).toString('hex'),
  scope: 'notes:read',
};
/** May read and write notes. */
export const WRITER: TestClient = {
  id: 'notes-writer',
  secret: randomBytes(32).toString('hex'),
  scope: 'notes:read notes:write',
};

/** A resource the authorization server also issues tokens for: not the MCP server. */
export const OTHER_RESOURCE = 'https://other.example.com/mcp';

export interface AuthorizationServer {
  /** The issuer identifier, `http://127.0.0.1:<port>`. */
  readonly issuer: string;
  /** Issue tokens for this resource from now on (the MCP server's URL, known once it listens). */
  allowResource(resource: string): void;
  /** A token for `resource` straight from the token endpoint, as `client` (client credentials). */
  token(client: TestClient, resource: string, scope?: string): Promise<string>;
  close(): Promise<void>;
}

function signingKeys(): { keys: JWK[] } {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = privateKey.export({ format: 'jwk' });
  return { keys: [{ ...jwk, kid: 'mcp-test-es256', alg: 'ES256', use: 'sig' } as JWK] };
}

function configuration(resources: Set<string>): Configuration {
  return {
    clients: [READER, WRITER].map((client) => ({
      client_id: client.id,
      client_secret: client.secret,
      scope: client.scope,
      grant_types: ['client_credentials'],
      redirect_uris: [],
      response_types: [],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'ES256',
    })),
    scopes: ['notes:read', 'notes:write'],
    jwks: signingKeys(),
    cookies: { keys: [randomBytes(32).toString('hex')] },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        getResourceServerInfo: (_ctx, resource) => {
          if (!resources.has(resource)) throw new errors.InvalidTarget();
          return {
            scope: 'notes:read notes:write',
            audience: resource,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'ES256' } },
          };
        },
      },
    },
  };
}

/**
 * Start oidc-provider on 127.0.0.1 (port 0). Tokens are issued for {@link OTHER_RESOURCE} and
 * for each resource given to `allowResource`.
 */
export async function startAuthorizationServer(): Promise<AuthorizationServer> {
  const resources = new Set([OTHER_RESOURCE]);
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, configuration(resources));
  server.on('request', provider.callback());

  async function token(client: TestClient, resource: string, scope = client.scope) {
    const res = await fetch(`${issuer}/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${btoa(`${client.id}:${client.secret}`)}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', resource, scope }),
    });
    const body = (await res.json()) as { access_token?: string };
    if (!res.ok || body.access_token === undefined)
      throw new Error(`token request refused: ${res.status} ${JSON.stringify(body)}`);
    return body.access_token;
  }

  return {
    issuer,
    allowResource: (resource) => resources.add(resource),
    token,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}
