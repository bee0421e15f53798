import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TokenBindingError } from '../errors.js';
import type { RequestView } from '../protocol/view.js';
import { CERT_PEM } from '../test-support/x509.js';
import {
  certificateHeaderReader,
  clientCertHeader,
  escapedPemHeader,
  pemCertificate,
  xfccHeader,
} from './certificate-header.js';

const certificate = new X509Certificate(CERT_PEM);
const DER = new Uint8Array(certificate.raw);
const BASE64 = certificate.raw.toString('base64');
const SHA256_HEX = certificate.fingerprint256.replaceAll(':', '').toLowerCase();
const ESCAPED_PEM = encodeURIComponent(`${CERT_PEM}\n`);

const malformed = (read: () => unknown, why: string | RegExp) => {
  let error: unknown;
  try {
    read();
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(TokenBindingError);
  expect((error as TokenBindingError).status).toBe(401);
  expect((error as TokenBindingError).message).toMatch(why);
};

const view = (headers: Record<string, string | string[]>): RequestView => ({
  method: 'GET',
  url: '/',
  header: (name) => headers[name.toLowerCase()],
});

describe('pemCertificate', () => {
  it('reads the DER between the BEGIN and END CERTIFICATE lines, whitespace ignored', () => {
    expect(pemCertificate(CERT_PEM, 'h')).toEqual(DER);
    // Apache's SSL_CLIENT_CERT in a header: lines joined by spaces.
    expect(pemCertificate(CERT_PEM.replaceAll('\n', ' '), 'h')).toEqual(DER);
    expect(pemCertificate(CERT_PEM.replaceAll('\n', '\r\n'), 'h')).toEqual(DER);
  });

  it('refuses a PEM that is not exactly one certificate', () => {
    malformed(
      () => pemCertificate(BASE64, 'x-cert'),
      '"x-cert" is malformed: not one PEM certificate',
    );
    malformed(
      () => pemCertificate(CERT_PEM.replace('CERTIFICATE', 'PUBLIC KEY'), 'h'),
      /not one PEM/,
    );
    malformed(() => pemCertificate(`${CERT_PEM}\n${CERT_PEM}`, 'h'), /not one PEM/);
    malformed(() => pemCertificate(CERT_PEM.replace('MII', 'M*I'), 'h'), /not one PEM/);
    malformed(() => pemCertificate(CERT_PEM.replace('MII', 'MI'), 'h'), /not base64/);
  });

  it('refuses base64 that is not a DER certificate', () => {
    const pem = `-----BEGIN CERTIFICATE-----\n${btoa('hello')}\n-----END CERTIFICATE-----`;
    malformed(() => pemCertificate(pem, 'h'), '"h" is malformed: not a DER certificate');
    const empty = '-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----';
    malformed(() => pemCertificate(empty, 'h'), /not a DER certificate/);
  });
});

describe('clientCertHeader (RFC 9440 Client-Cert)', () => {
  it('reads the DER of a byte sequence, with or without base64 padding', () => {
    expect(clientCertHeader(`:${BASE64}:`)).toEqual({ der: DER });
    expect(clientCertHeader(`  :${BASE64}:  `)).toEqual({ der: DER });
    expect(clientCertHeader([`:${BASE64}:`])).toEqual({ der: DER });
    const unpadded = BASE64.replace(/=+$/, '');
    expect(clientCertHeader(`:${unpadded}:`)).toEqual({ der: DER });
  });

  it('is undefined when the header is absent or empty', () => {
    expect(clientCertHeader(undefined)).toBeUndefined();
    expect(clientCertHeader('')).toBeUndefined();
    expect(clientCertHeader([])).toBeUndefined();
  });

  it('refuses two lines, a list, a token, base64url, parameters and non-certificates', () => {
    malformed(
      () => clientCertHeader([`:${BASE64}:`, `:${BASE64}:`]),
      '"client-cert" is malformed: more than one line',
    );
    malformed(() => clientCertHeader(`:${BASE64}:, :${BASE64}:`), /not base64/);
    malformed(() => clientCertHeader(BASE64), 'not a byte sequence (":<base64>:")');
    malformed(() => clientCertHeader(':'), /not a byte sequence/);
    malformed(
      () => clientCertHeader(`:${BASE64.replaceAll('+', '-').replaceAll('/', '_')}:`),
      /not base64/,
    );
    malformed(() => clientCertHeader(`:${BASE64}:;a=1`), /not a byte sequence/);
    malformed(() => clientCertHeader(`:${btoa('not a certificate')}:`), /not a DER certificate/);
    malformed(() => clientCertHeader('::'), /not a DER certificate/);
  });
});

describe('xfccHeader (Envoy x-forwarded-client-cert)', () => {
  it('reads the Cert (URL-encoded PEM, quoted or not) of the only element', () => {
    expect(xfccHeader(`By=spiffe://api;Cert="${ESCAPED_PEM}";Subject="CN=a,O=b;c"`)).toEqual({
      der: DER,
    });
    expect(xfccHeader(`Cert=${ESCAPED_PEM}`)).toEqual({ der: DER });
    expect(xfccHeader(`cert="${ESCAPED_PEM}"`)).toEqual({ der: DER });
  });

  it('prefers the Cert to the Hash, and reads the Hash (hex SHA-256) without a Cert', () => {
    const zeros = '0'.repeat(64);
    expect(xfccHeader(`Hash=${zeros};Cert="${ESCAPED_PEM}"`)).toEqual({ der: DER });
    const { sha256 } = xfccHeader(`By=spiffe://api;Hash=${SHA256_HEX.toUpperCase()}`) as {
      sha256: Uint8Array;
    };
    expect(Buffer.from(sha256).toString('hex')).toBe(SHA256_HEX);
  });

  it('reads the element of the nearest proxy: the last one, across lines too', () => {
    const first = `By=spiffe://edge;Hash=${'a'.repeat(64)}`;
    const nearest = `By=spiffe://mesh;Cert="${ESCAPED_PEM}";Subject="CN=x,OU=y"`;
    expect(xfccHeader(`${first},${nearest}`)).toEqual({ der: DER });
    expect(xfccHeader([first, nearest])).toEqual({ der: DER });
    // The nearest element has no certificate: an earlier one does not stand in for it.
    expect(xfccHeader(`Cert="${ESCAPED_PEM}",By=spiffe://mesh`)).toBeUndefined();
  });

  it('unescapes backslash escapes in quoted values', () => {
    expect(xfccHeader(`Subject="CN=\\"a;b\\"";Cert="${ESCAPED_PEM}"`)).toEqual({ der: DER });
  });

  it('is undefined when the header is absent, empty or the element has no Cert or Hash', () => {
    expect(xfccHeader(undefined)).toBeUndefined();
    expect(xfccHeader('  ')).toBeUndefined();
    expect(xfccHeader('By=spiffe://api;URI=spiffe://client')).toBeUndefined();
  });

  it('refuses broken quoting, pairs without a key, a bad Hash and a bad Cert', () => {
    const header = '"x-forwarded-client-cert" is malformed';
    malformed(() => xfccHeader(`Cert="${ESCAPED_PEM}`), `${header}: an unterminated quoted value`);
    malformed(() => xfccHeader('By=a;justtext'), 'a pair without "key="');
    malformed(() => xfccHeader('=value'), /a pair without "key="/);
    malformed(() => xfccHeader(`Cert=x"${ESCAPED_PEM}"`), /not one PEM certificate/);
    malformed(() => xfccHeader('Hash="x"y'), /a badly quoted value/);
    malformed(() => xfccHeader('Hash=abc'), 'its Hash is not a hex SHA-256 digest');
    malformed(() => xfccHeader(`Hash=${'g'.repeat(64)}`), /not a hex SHA-256/);
    malformed(() => xfccHeader('Cert="%E0%A4%A"'), 'a bad percent-encoding');
    malformed(() => xfccHeader(`Cert="${BASE64}"`), /not one PEM certificate/);
  });
});

describe('escapedPemHeader (nginx $ssl_client_escaped_cert)', () => {
  it('reads a URL-escaped PEM, and an unescaped one', () => {
    expect(escapedPemHeader('x-ssl-client-cert', ESCAPED_PEM)).toEqual({ der: DER });
    expect(escapedPemHeader('x-ssl-client-cert', CERT_PEM.replaceAll('\n', ' '))).toEqual({
      der: DER,
    });
  });

  it('is undefined when absent or empty (nginx sends "" for a client without one)', () => {
    expect(escapedPemHeader('x-ssl-client-cert', undefined)).toBeUndefined();
    expect(escapedPemHeader('x-ssl-client-cert', '')).toBeUndefined();
  });

  it('refuses two lines, a bad escape and what is not a PEM certificate', () => {
    const header = '"x-ssl-client-cert" is malformed';
    malformed(
      () => escapedPemHeader('x-ssl-client-cert', [ESCAPED_PEM, ESCAPED_PEM]),
      `${header}: more than one line`,
    );
    malformed(
      () => escapedPemHeader('x-ssl-client-cert', '%ZZ'),
      `${header}: a bad percent-encoding`,
    );
    malformed(
      () => escapedPemHeader('x-ssl-client-cert', BASE64),
      `${header}: not one PEM certificate`,
    );
  });
});

describe('certificateHeaderReader', () => {
  it('reads each configured form from its header', () => {
    const headers = {
      'client-cert': `:${BASE64}:`,
      'x-forwarded-client-cert': `Cert="${ESCAPED_PEM}"`,
      'x-ssl-client-cert': ESCAPED_PEM,
    };
    expect(certificateHeaderReader('client-cert')(view(headers))).toEqual({ der: DER });
    expect(certificateHeaderReader('x-forwarded-client-cert')(view(headers))).toEqual({ der: DER });
    const pem = certificateHeaderReader({ name: 'X-SSL-Client-Cert', format: 'pem' });
    expect(pem(view(headers))).toEqual({ der: DER });
    expect(pem(view({ 'client-cert': `:${BASE64}:` }))).toBeUndefined();
  });

  it('throws TypeError naming the option for anything else', () => {
    const reader = (header: unknown) => () => certificateHeaderReader(header as never);
    const forms = /"mtls.certificateHeader" must be "client-cert", "x-forwarded-client-cert" or/;
    expect(reader('Client-Cert')).toThrow(forms);
    expect(reader('ssl-client-cert')).toThrow(forms);
    expect(reader(null)).toThrow(forms);
    expect(reader(['client-cert'])).toThrow(forms);
    expect(reader({ name: 'x-cert' })).toThrow('"mtls.certificateHeader.format" must be "pem"');
    expect(reader({ name: 'x-cert', format: 'der' })).toThrow(TypeError);
    expect(reader({ format: 'pem' })).toThrow(
      '"mtls.certificateHeader.name" must be a header name',
    );
    expect(reader({ name: 'x cert', format: 'pem' })).toThrow(/must be a header name/);
    expect(reader({ name: '', format: 'pem' })).toThrow(/must be a header name/);
    expect(reader({ name: 'x-cert', format: 'pem', escaped: true })).toThrow(
      'Unknown option "mtls.certificateHeader.escaped"',
    );
  });
});
