import { createHash, X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TokenBindingError, type TokengateError } from '../errors.js';
import type { VerifierOptions } from '../options.js';
import type { RequestView } from '../protocol/view.js';
import { AUDIENCE, hs256, ISSUER, NOW, SECRET } from '../test-support/tokens.js';
import { CERT_PEM } from '../test-support/x509.js';
import { createVerifier } from '../verifier.js';
import type { CertificateCheck } from './check.js';
import { certificateThumbprint, createCertificateCheck } from './mtls.js';
import { createProxyTrust } from './proxy.js';

// A second self-signed P-256 certificate (CN=client-b): the one a token is not bound to.
const OTHER_PEM = `-----BEGIN CERTIFICATE-----
MIIBfTCCASOgAwIBAgIUEQNsy/m7GXP4d3AePmnJoheJ7EswCgYIKoZIzj0EAwIw
EzERMA8GA1UEAwwIY2xpZW50LWIwIBcNMjYxMjA2MDMxMjUzWhgPMjEyNjExMTIw
MzEyNTNaMBMxETAPBgNVBAMMCGNsaWVudC1iMFkwEwYHKoZIzj0CAQYIKoZIzj0D
AQcDQgAELDG/0QtBgrXhetI73UFfokmg1F036kTkRoilBIcGcojjwRxJRk8rdTqR
qPKi5oomW41rt4A3IQC6nNc9ODZb1qNTMFEwHQYDVR0OBBYEFHqABCH4rCNX7DXB
WE6iFlRkOOAsMB8GA1UdIwQYMBaAFHqABCH4rCNX7DXBWE6iFlRkOOAsMA8GA1Ud
EwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDSAAwRQIgZkVXAEQe5v3Vbc8lM1Nr6smO
2cFkLKec+xcYMBbg2WcCIQC6djCMC0MBLAURbU5GCfp71YjKsUyR3lMGEmuHV47y
lg==
-----END CERTIFICATE-----`;

const cert = new X509Certificate(CERT_PEM);
const other = new X509Certificate(OTHER_PEM);
const DER = new Uint8Array(cert.raw);
const OTHER_DER = new Uint8Array(other.raw);
// The RFC 8705 §3.1 thumbprint computed by node:crypto, independently of the code under test.
const X5T = createHash('sha256').update(cert.raw).digest('base64url');
const SHA256_HEX = cert.fingerprint256.replaceAll(':', '');

const PROXY = '10.0.0.1';
const CLIENT = '203.0.113.7';
const NONE = 'The token is bound to a client certificate; the request was made without one';
const MISMATCH = 'The client certificate is not the one the token is bound to';

interface Peer {
  address?: string;
  certificate?: Uint8Array;
  headers?: Record<string, string | string[]>;
}

const view = ({ address, certificate, headers = {} }: Peer): RequestView => ({
  method: 'GET',
  url: '/things',
  header: (name) => headers[name.toLowerCase()],
  peerCertificate: () => certificate,
  remoteAddress: () => address,
});

function check(options: Partial<VerifierOptions>): CertificateCheck {
  const made = createCertificateCheck(
    options as VerifierOptions,
    createProxyTrust(options.trustProxy),
  );
  if (made === undefined) return expect.fail('expected a certificate check');
  return made;
}

async function refusal(promise: Promise<unknown>): Promise<TokengateError> {
  const error = await promise.then(
    () => expect.fail('expected a refusal'),
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(TokenBindingError);
  return error as TokengateError;
}

describe('certificateThumbprint', () => {
  it('is base64url(SHA-256(DER)), the value node:crypto computes', async () => {
    expect(await certificateThumbprint(DER)).toBe(X5T);
    expect(X5T).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await certificateThumbprint(OTHER_DER)).not.toBe(X5T);
  });

  it('reads only the view of a Uint8Array on a larger buffer', async () => {
    const pooled = new Uint8Array(DER.length + 16);
    pooled.set(DER, 8);
    expect(await certificateThumbprint(pooled.subarray(8, 8 + DER.length))).toBe(X5T);
  });
});

describe('the mtls option', () => {
  it('is off unless set', () => {
    expect(createCertificateCheck({} as VerifierOptions, undefined)).toBeUndefined();
    expect(createCertificateCheck({ mtls: 'off' } as VerifierOptions, undefined)).toBeUndefined();
  });

  it('makes binding required only in the required mode', () => {
    expect(check({ mtls: 'allowed' }).required).toBe(false);
    expect(check({ mtls: {} }).required).toBe(false);
    expect(check({ mtls: 'required' }).required).toBe(true);
    expect(check({ mtls: { mode: 'required' } }).required).toBe(true);
  });

  it('throws TypeError naming the option for a bad mode, an unknown key or another type', () => {
    const make = (mtls: unknown) => () => check({ mtls: mtls as never });
    const shape = '"mtls" must be "off", "allowed", "required" or an options object';
    expect(make('on')).toThrow(shape);
    expect(make(true)).toThrow(shape);
    expect(make(null)).toThrow(shape);
    expect(make(['required'])).toThrow(shape);
    expect(make({ mode: 'off' })).toThrow('"mtls.mode" must be "allowed" or "required"');
    expect(make({ mode: 'always' })).toThrow('"mtls.mode" must be "allowed" or "required"');
    expect(make({ required: true })).toThrow('Unknown option "mtls.required"');
  });

  it('throws TypeError for a certificateHeader without trustProxy: it could never be believed', () => {
    const header = { mtls: { certificateHeader: 'client-cert' as const } };
    const needs = '"mtls.certificateHeader" needs "trustProxy"';
    expect(() => check(header)).toThrow(needs);
    expect(() => check({ ...header, trustProxy: false })).toThrow(needs);
    expect(() =>
      check({ mtls: { certificateHeader: 'forwarded' as never }, trustProxy: true }),
    ).toThrow('"mtls.certificateHeader" must be');
  });

  it('throws TypeError beside a custom extract, which the sender path would not call', () => {
    expect(() => check({ mtls: 'allowed', extract: () => undefined })).toThrow(
      '"mtls" reads the token itself; it cannot be combined with "extract"',
    );
  });

  it('is checked when the verifier is created', () => {
    const options = { secret: SECRET, issuer: ISSUER, audience: AUDIENCE };
    expect(() => createVerifier({ ...options, mtls: 'sometimes' as never })).toThrow(TypeError);
    expect(() =>
      createVerifier({ ...options, mtls: { certificateHeader: 'client-cert' } }),
    ).toThrow('"mtls.certificateHeader" needs "trustProxy"');
    expect(() => createVerifier({ ...options, trustProxy: ['10.0.0.0/8'] })).toThrow(
      '"trustProxy": "10.0.0.0/8" is not an IP address',
    );
  });
});

describe('the certificate of the TLS connection', () => {
  const mtls = check({ mtls: 'allowed' });

  it('passes with the certificate the token is bound to', async () => {
    await expect(mtls.check(view({ certificate: DER }), X5T)).resolves.toBeUndefined();
  });

  it('refuses another certificate, and none at all, with TokenBindingError', async () => {
    expect((await refusal(mtls.check(view({ certificate: OTHER_DER }), X5T))).message).toBe(
      MISMATCH,
    );
    expect((await refusal(mtls.check(view({}), X5T))).message).toBe(NONE);
    expect((await refusal(mtls.check(view({ certificate: new Uint8Array() }), X5T))).message).toBe(
      NONE,
    );
    const noMethod: RequestView = { method: 'GET', url: '/', header: () => undefined };
    expect((await refusal(mtls.check(noMethod, X5T))).message).toBe(NONE);
  });

  it('ignores certificate headers when none is configured, even from a trusted proxy', async () => {
    const trusting = check({ mtls: 'allowed', trustProxy: true });
    const headers = { 'client-cert': `:${cert.raw.toString('base64')}:` };
    expect((await refusal(trusting.check(view({ address: PROXY, headers }), X5T))).message).toBe(
      NONE,
    );
  });
});

describe.each([
  [
    'client-cert',
    'client-cert',
    () => `:${cert.raw.toString('base64')}:`,
    () => `:${other.raw.toString('base64')}:`,
  ],
  [
    'x-forwarded-client-cert (Cert)',
    'x-forwarded-client-cert',
    () => `By=spiffe://api;Cert="${encodeURIComponent(CERT_PEM)}"`,
    () => `Cert="${encodeURIComponent(OTHER_PEM)}"`,
  ],
  [
    'x-forwarded-client-cert (Hash)',
    'x-forwarded-client-cert',
    () => `Hash=${SHA256_HEX}`,
    () => `Hash=${other.fingerprint256.replaceAll(':', '')}`,
  ],
  [
    'an escaped PEM',
    'x-ssl-client-cert',
    () => encodeURIComponent(CERT_PEM),
    () => encodeURIComponent(OTHER_PEM),
  ],
] as const)('the %s header', (_form, name, good, bad) => {
  const certificateHeader = name === 'x-ssl-client-cert' ? { name, format: 'pem' as const } : name;
  const mtls = check({ mtls: { certificateHeader }, trustProxy: [PROXY] });
  const fromProxy = (value: string, certificate?: Uint8Array) =>
    view({ address: PROXY, certificate, headers: { [name]: value } });

  it('is believed from a trusted proxy', async () => {
    await expect(mtls.check(fromProxy(good()), X5T)).resolves.toBeUndefined();
  });

  it('from a trusted proxy, naming another certificate, is refused', async () => {
    expect((await refusal(mtls.check(fromProxy(bad()), X5T))).message).toBe(MISMATCH);
  });

  it('from a trusted proxy, malformed, is a refusal naming the header', async () => {
    const error = await refusal(mtls.check(fromProxy('%%%"'), X5T));
    expect(error.message).toMatch(`The client certificate header "${name}" is malformed`);
    expect(error.status).toBe(401);
  });

  it("is never believed from another peer: that peer's TLS certificate counts", async () => {
    const client = (certificate?: Uint8Array) =>
      view({ address: CLIENT, certificate, headers: { [name]: good() } });
    expect((await refusal(mtls.check(client(), X5T))).message).toBe(NONE);
    expect((await refusal(mtls.check(client(OTHER_DER), X5T))).message).toBe(MISMATCH);
    await expect(mtls.check(client(DER), X5T)).resolves.toBeUndefined();
    const malformed = view({ address: CLIENT, certificate: DER, headers: { [name]: '%%%"' } });
    await expect(mtls.check(malformed, X5T)).resolves.toBeUndefined();
    await expect(
      mtls.check(view({ certificate: DER, headers: { [name]: good() } }), X5T),
    ).resolves.toBeUndefined();
  });

  it("absent from a trusted proxy means no certificate, not the proxy's own", async () => {
    const proxyOwn = view({ address: PROXY, certificate: DER });
    expect((await refusal(mtls.check(proxyOwn, X5T))).message).toBe(NONE);
  });
});

describe('trusted proxies', () => {
  const headers = { 'client-cert': `:${cert.raw.toString('base64')}:` };
  const checkFrom = (trustProxy: VerifierOptions['trustProxy'], address: string) =>
    check({ mtls: { certificateHeader: 'client-cert' }, trustProxy }).check(
      view({ address, headers }),
      X5T,
    );

  it('match an IPv4 peer on a dual-stack socket (::ffff:a.b.c.d) to its IPv4 address', async () => {
    await expect(checkFrom(['10.0.0.1'], '::ffff:10.0.0.1')).resolves.toBeUndefined();
    await expect(checkFrom(['::ffff:10.0.0.1'], '10.0.0.1')).resolves.toBeUndefined();
    await expect(checkFrom(['::1'], '::1')).resolves.toBeUndefined();
    await refusal(checkFrom(['10.0.0.1'], '::ffff:10.0.0.2'));
  });

  it('may be a function of the (normalised) peer address', async () => {
    const seen: string[] = [];
    const trustProxy = (address: string) => {
      seen.push(address);
      return address.startsWith('10.');
    };
    await expect(checkFrom(trustProxy, '::ffff:10.1.2.3')).resolves.toBeUndefined();
    await refusal(checkFrom(trustProxy, '192.168.0.1'));
    expect(seen).toEqual(['10.1.2.3', '192.168.0.1']);
  });

  it('may be every peer (true)', async () => {
    await expect(checkFrom(true, CLIENT)).resolves.toBeUndefined();
  });
});

describe('certificate-bound tokens through the verifier', () => {
  const options = { secret: SECRET, issuer: ISSUER, audience: AUDIENCE, realm: 'api' };
  const bound = () => hs256({ cnf: { 'x5t#S256': X5T } });
  const withToken = (token: string, peer: Peer) =>
    view({ ...peer, headers: { authorization: `Bearer ${token}`, ...peer.headers } });

  beforeAll(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW * 1000);
  });
  afterAll(() => {
    vi.useRealTimers();
  });

  it('accepts a bound token with its certificate and reports the binding', async () => {
    const verifier = createVerifier({ ...options, mtls: 'allowed' });
    const auth = await verifier.authenticate(withToken(await bound(), { certificate: DER }));
    expect(auth?.binding).toEqual({ x5tS256: X5T });
  });

  it('refuses a bound token with another certificate: 401 invalid_token on Bearer', async () => {
    const verifier = createVerifier({ ...options, mtls: 'allowed' });
    const error = await refusal(
      verifier.authenticate(withToken(await bound(), { certificate: OTHER_DER })),
    );
    expect(error.code).toBe('ERR_TOKEN_BINDING');
    expect(error.status).toBe(401);
    expect(error.wwwAuthenticate).toBe(
      `Bearer realm="api", error="invalid_token", error_description="${MISMATCH}"`,
    );
  });

  it('refuses a bound token without a certificate', async () => {
    const verifier = createVerifier({ ...options, mtls: 'required' });
    const error = await refusal(verifier.authenticate(withToken(await bound(), {})));
    expect(error.wwwAuthenticate).toBe(
      `Bearer realm="api", error="invalid_token", error_description="${NONE}"`,
    );
  });

  it('accepts an unbound token when allowed, refuses it when required', async () => {
    const token = await hs256();
    const allowed = createVerifier({ ...options, mtls: 'allowed' });
    expect(
      (await allowed.authenticate(withToken(token, { certificate: DER })))?.binding,
    ).toBeUndefined();
    const required = createVerifier({ ...options, mtls: 'required' });
    const error = await refusal(required.authenticate(withToken(token, { certificate: DER })));
    expect(error.message).toBe('The token must be bound to a client certificate');
  });

  it('refuses a bound token when mtls is off', async () => {
    const verifier = createVerifier(options);
    const error = await refusal(
      verifier.authenticate(withToken(await bound(), { certificate: DER })),
    );
    expect(error.code).toBe('ERR_TOKEN_BINDING');
  });
});
