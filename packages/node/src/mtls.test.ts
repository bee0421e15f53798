// Certificate-bound access tokens (RFC 8705 §3) on a real mutual-TLS server (node:https with
// `requestCert`), with certificates made in the test, and behind a trusted TLS-terminating
// proxy that passes the client certificate in a header.
import { createHash, X509Certificate } from 'node:crypto';
import type { OutgoingHttpHeaders } from 'node:http';
import { createServer, request } from 'node:https';
import type { AddressInfo } from 'node:net';
import {
  createSelfSignedIdentity,
  createTestCertificates,
  type TlsIdentity as Identity,
} from '@tokengate/conformance';
import type { CertificateHeader, MtlsOptions } from '@tokengate/core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type AuthHandler, jwtAuth, type VerifierOptions } from './index.js';
import { json, listen } from './test-support/http.js';
import { mint, options } from './test-support/tokens.js';

/** The DER of `client`'s certificate, which the proxy's header forms carry. */
const der = (client: Identity) => new X509Certificate(client.cert).raw;

let ca: string; // the CA's PEM certificate, which the TLS client trusts for the server
let server: Identity;
let alice: Identity; // issued by the CA
let mallory: Identity; // issued by the CA too: a valid certificate, but not the bound one
let selfSigned: Identity; // RFC 8705 §2.2: self-signed client certificates are fine

beforeAll(async () => {
  ({ ca, server, alice, mallory } = await createTestCertificates());
  selfSigned = await createSelfSignedIdentity('CN=self-signed client');
});

const ran: string[] = [];
const closers: (() => Promise<void>)[] = [];

afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
  ran.length = 0;
});

const me: AuthHandler = (_req, res, auth) => {
  ran.push('handler');
  json(res, { sub: auth?.claims.sub ?? null, binding: auth?.binding ?? null });
};

const bindingError = (description: string) => ({
  status: 401,
  challenge: `Bearer realm="api", error="invalid_token", error_description="${description.replace(/["\\]/g, '\\$&')}"`,
  body: { error: 'invalid_token', error_description: description, code: 'ERR_TOKEN_BINDING' },
});
const MISMATCH = bindingError('The client certificate is not the one the token is bound to');
const NONE = bindingError(
  'The token is bound to a client certificate; the request was made without one',
);
const UNBOUND = bindingError('The token must be bound to a client certificate');
const NOT_CHECKED = bindingError(
  'The token is bound to a client certificate; this API does not check sender-constrained tokens',
);

interface Answer {
  status: number;
  challenge: string | undefined;
  body: unknown;
}

/** A mutual-TLS server on 127.0.0.1:0 that asks for (but does not require) a certificate. */
async function serveTls(verifier: VerifierOptions): Promise<number> {
  const tls = createServer(
    { key: server.key, cert: server.cert, requestCert: true, rejectUnauthorized: false },
    jwtAuth(verifier)(me),
  );
  await new Promise<void>((resolve, reject) => {
    tls.once('error', reject);
    tls.listen(0, '127.0.0.1', resolve);
  });
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        tls.closeAllConnections();
        tls.close(() => resolve());
      }),
  );
  return (tls.address() as AddressInfo).port;
}

/** GET /me over TLS, presenting `client`'s certificate when given; one connection each. */
function getTls(port: number, token: string, client?: Identity): Promise<Answer> {
  const credentials = client === undefined ? {} : { cert: client.cert, key: client.key };
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/me',
        ca,
        agent: false,
        headers: { authorization: `Bearer ${token}` },
        ...credentials,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            challenge: res.headers['www-authenticate'],
            body: JSON.parse(text),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const bound = (client: Identity) => mint({ cnf: { 'x5t#S256': client.x5tS256 } });

/** A 200 from the handler, which reports `client`'s certificate as the binding. */
function expectAccepted(answer: Answer, client: Identity): void {
  expect(answer).toEqual({
    status: 200,
    challenge: undefined,
    body: { sub: 'user-1', binding: { x5tS256: client.x5tS256 } },
  });
  expect(ran).toEqual(['handler']);
}

function expectRefused(answer: Answer, expected: ReturnType<typeof bindingError>): void {
  expect(answer).toEqual(expected);
  expect(ran).toEqual([]);
}

describe('certificate-bound tokens on a mutual-TLS node:https server', () => {
  it('accepts a bound token with its certificate and reports the binding', async () => {
    const port = await serveTls({ ...options, mtls: 'allowed' });
    const answer = await getTls(port, await bound(alice), alice);
    expectAccepted(answer, alice);
  });

  it('accepts a self-signed client certificate: the thumbprint, not a CA, binds it', async () => {
    const port = await serveTls({ ...options, mtls: 'required' });
    const answer = await getTls(port, await bound(selfSigned), selfSigned);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ sub: 'user-1', binding: { x5tS256: selfSigned.x5tS256 } });
  });

  it('refuses a bound token with another certificate: 401 invalid_token', async () => {
    const port = await serveTls({ ...options, mtls: 'allowed' });
    expectRefused(await getTls(port, await bound(alice), mallory), MISMATCH);
  });

  it('refuses a bound token sent without a certificate', async () => {
    const port = await serveTls({ ...options, mtls: 'allowed' });
    expectRefused(await getTls(port, await bound(alice)), NONE);
  });

  it('refuses an unbound token when binding is required, even with a certificate', async () => {
    const port = await serveTls({ ...options, mtls: 'required' });
    expectRefused(await getTls(port, await mint(), alice), UNBOUND);
  });

  it('accepts an unbound token when binding is allowed, with or without a certificate', async () => {
    const port = await serveTls({ ...options, mtls: 'allowed' });
    const token = await mint();
    for (const client of [alice, undefined]) {
      const answer = await getTls(port, token, client);
      expect(answer).toMatchObject({ status: 200, body: { sub: 'user-1', binding: null } });
    }
  });

  it('refuses a certificate-bound token when mtls is off, even with its certificate', async () => {
    const port = await serveTls(options);
    expectRefused(await getTls(port, await bound(alice), alice), NOT_CHECKED);
  });
});

// The forms a TLS-terminating proxy passes the client certificate in.
const pem = (client: Identity) => client.cert.trim();
const forms: [string, CertificateHeader, string, (client: Identity) => string][] = [
  ['RFC 9440 Client-Cert', 'client-cert', 'client-cert', (c) => `:${der(c).toString('base64')}:`],
  [
    'Envoy x-forwarded-client-cert (Cert)',
    'x-forwarded-client-cert',
    'x-forwarded-client-cert',
    (c) =>
      `By=spiffe://edge;Hash=${'0'.repeat(64)};Cert="${encodeURIComponent(pem(alice))}",` +
      `By=spiffe://api;Cert="${encodeURIComponent(pem(c))}";Subject="CN=x,O=y"`,
  ],
  [
    'Envoy x-forwarded-client-cert (Hash)',
    'x-forwarded-client-cert',
    'x-forwarded-client-cert',
    (c) => `By=spiffe://api;Hash=${createHash('sha256').update(der(c)).digest('hex')}`,
  ],
  [
    'nginx $ssl_client_escaped_cert',
    { name: 'x-ssl-client-cert', format: 'pem' },
    'x-ssl-client-cert',
    (c) => encodeURIComponent(`${pem(c)}\n`),
  ],
];

/** A plain HTTP server behind the "proxy" (this test, on 127.0.0.1). */
async function serveBehindProxy(mtls: MtlsOptions, trustProxy: string[]): Promise<string> {
  const served = await listen(jwtAuth({ ...options, mtls, trustProxy })(me));
  closers.push(served.close);
  return `${served.baseUrl}/me`;
}

async function getPlain(url: string, headers: OutgoingHttpHeaders): Promise<Answer> {
  const res = await fetch(url, { headers: headers as Record<string, string> });
  return {
    status: res.status,
    challenge: res.headers.get('www-authenticate') ?? undefined,
    body: await res.json(),
  };
}

describe.each(forms)('behind a trusted proxy: %s', (_form, certificateHeader, name, value) => {
  it('accepts a bound token with its certificate in the header', async () => {
    const url = await serveBehindProxy({ certificateHeader }, ['127.0.0.1']);
    const token = await bound(alice);
    const answer = await getPlain(url, { authorization: `Bearer ${token}`, [name]: value(alice) });
    expectAccepted(answer, alice);
  });

  it('refuses a bound token with another certificate in the header', async () => {
    const url = await serveBehindProxy({ certificateHeader }, ['127.0.0.1']);
    const token = await bound(alice);
    const headers = { authorization: `Bearer ${token}`, [name]: value(mallory) };
    expectRefused(await getPlain(url, headers), MISMATCH);
  });

  it('refuses a bound token without the header', async () => {
    const url = await serveBehindProxy({ certificateHeader }, ['::1', '127.0.0.1']);
    expectRefused(await getPlain(url, { authorization: `Bearer ${await bound(alice)}` }), NONE);
  });

  it('ignores the header from a peer that is not a trusted proxy', async () => {
    const url = await serveBehindProxy({ certificateHeader }, ['10.9.9.9']);
    const token = await bound(alice);
    const headers = { authorization: `Bearer ${token}`, [name]: value(alice) };
    expectRefused(await getPlain(url, headers), NONE);
  });
});

describe('a malformed certificate header from a trusted proxy', () => {
  it('is a 401 naming the header, not a crash', async () => {
    const url = await serveBehindProxy({ certificateHeader: 'client-cert' }, ['127.0.0.1']);
    const headers = {
      authorization: `Bearer ${await bound(alice)}`,
      'client-cert': der(alice).toString('base64'),
    };
    expectRefused(
      await getPlain(url, headers),
      bindingError(
        'The client certificate header "client-cert" is malformed: not a byte sequence (":<base64>:")',
      ),
    );
  });
});
