// Certificates made in the test for mutual TLS (RFC 8705): a CA, a server certificate for
// 127.0.0.1 and two client certificates it issued.
// @peculiar/x509 resolves its services through tsyringe, which needs the Reflect metadata API.
import 'reflect-metadata';
import { createHash } from 'node:crypto';
import * as x509 from '@peculiar/x509';

/** A certificate and its key, as `node:tls` takes them. */
export interface TlsIdentity {
  /** PEM certificate. */
  cert: string;
  /** PEM PKCS#8 private key. */
  key: string;
  /** RFC 8705 §3.1 `x5t#S256`: the SHA-256 thumbprint of the DER, computed by node:crypto. */
  x5tS256: string;
}

/** Everything a mutual-TLS test needs. */
export interface TestCertificates {
  /** The CA's PEM certificate: trusted by the client for the server. */
  ca: string;
  /** The server's certificate for `127.0.0.1`. */
  server: TlsIdentity;
  /** The client certificate tokens are bound to. */
  alice: TlsIdentity;
  /** A client certificate of the same CA that no token is bound to. */
  mallory: TlsIdentity;
}

/**
 * Options of an HTTPS server that asks every client for a certificate but lets the request reach
 * the application without one (the verifier decides, RFC 8705 §3).
 *
 * @example
 * https.createServer(serverTlsOptions(certs), app);
 */
export interface ServerTlsOptions {
  key: string;
  cert: string;
  ca: string;
  requestCert: true;
  rejectUnauthorized: false;
}

const EC = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

const validity = () => ({
  notBefore: new Date(Date.now() - 60_000),
  notAfter: new Date(Date.now() + 3_600_000),
});

async function identity(
  make: (keys: CryptoKeyPair) => Promise<x509.X509Certificate>,
): Promise<TlsIdentity & { keys: CryptoKeyPair }> {
  const keys = await crypto.subtle.generateKey(EC, true, ['sign', 'verify']);
  const certificate = await make(keys);
  const pkcs8 = await crypto.subtle.exportKey('pkcs8', keys.privateKey);
  return {
    keys,
    cert: certificate.toString('pem'),
    key: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY'),
    x5tS256: createHash('sha256').update(Buffer.from(certificate.rawData)).digest('base64url'),
  };
}

const selfSigned = (name: string, extensions: x509.Extension[] = []) =>
  identity((keys) =>
    x509.X509CertificateGenerator.createSelfSigned({
      name,
      keys,
      signingAlgorithm: EC,
      extensions,
      ...validity(),
    }),
  );

/** The identity without its key pair, which only the issuing CA needs. */
const plain = ({ cert, key, x5tS256 }: TlsIdentity): TlsIdentity => ({ cert, key, x5tS256 });

/**
 * Make a self-signed client certificate, which RFC 8705 §2.2 allows: the thumbprint binds the
 * token, not a CA.
 *
 * @example
 * const client = await createSelfSignedIdentity('CN=self-signed client');
 * const token = await issuer.mint({ cnf: { 'x5t#S256': client.x5tS256 } });
 */
export async function createSelfSignedIdentity(name: string): Promise<TlsIdentity> {
  return plain(await selfSigned(name));
}

/**
 * Make a CA, a server certificate for 127.0.0.1 and two client certificates.
 *
 * @example
 * const certs = await createTestCertificates();
 * const token = await issuer.mint({ cnf: { 'x5t#S256': certs.alice.x5tS256 } });
 */
export async function createTestCertificates(): Promise<TestCertificates> {
  const ca = await selfSigned('CN=tokengate conformance CA', [
    new x509.BasicConstraintsExtension(true, undefined, true),
  ]);
  const issued = (subject: string, extensions: x509.Extension[] = []) =>
    identity((keys) =>
      x509.X509CertificateGenerator.create({
        subject,
        issuer: new x509.X509Certificate(ca.cert).subject,
        publicKey: keys.publicKey,
        signingKey: ca.keys.privateKey,
        signingAlgorithm: EC,
        extensions,
        ...validity(),
      }),
    );
  const [server, alice, mallory] = await Promise.all([
    issued('CN=127.0.0.1', [
      new x509.SubjectAlternativeNameExtension([{ type: 'ip', value: '127.0.0.1' }]),
    ]),
    issued('CN=alice'),
    issued('CN=mallory'),
  ]);
  return { ca: ca.cert, server: plain(server), alice: plain(alice), mallory: plain(mallory) };
}

/**
 * The HTTPS server options of the suite's mutual-TLS run.
 *
 * @example
 * https.createServer(serverTlsOptions(certs), handler);
 */
export function serverTlsOptions(certs: TestCertificates): ServerTlsOptions {
  return {
    key: certs.server.key,
    cert: certs.server.cert,
    ca: certs.ca,
    requestCert: true,
    rejectUnauthorized: false,
  };
}
