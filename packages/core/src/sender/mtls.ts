// Certificate-bound access tokens (RFC 8705 §3): a token whose `cnf["x5t#S256"]` names a
// client certificate is accepted only with that certificate. The TLS handshake proved the
// client holds the certificate's key; the thumbprint ties the token to it. Whether a CA vouches
// for the certificate does not matter (RFC 8705 §2.2: self-signed certificates are fine), so
// the connection need not be `authorized`.
import { base64url } from 'jose';
import { TokenBindingError } from '../errors.js';
import type { VerifierOptions } from '../options.js';
import type { RequestView } from '../protocol/view.js';
import {
  type CertificateHeaderReader,
  certificateHeaderReader,
  type ForwardedCertificate,
} from './certificate-header.js';
import type { CertificateCheck } from './check.js';
import type { ProxyTrust } from './proxy.js';
import type { MtlsOptions } from './types.js';

const MTLS_KEYS = ['mode', 'certificateHeader'];

function asObject(mtls: VerifierOptions['mtls']): MtlsOptions {
  if (mtls === 'allowed' || mtls === 'required') return { mode: mtls };
  if (typeof mtls !== 'object' || mtls === null || Array.isArray(mtls))
    throw new TypeError('"mtls" must be "off", "allowed", "required" or an options object');
  for (const key of Object.keys(mtls))
    if (!MTLS_KEYS.includes(key)) throw new TypeError(`Unknown option "mtls.${key}"`);
  if (mtls.mode !== undefined && mtls.mode !== 'allowed' && mtls.mode !== 'required')
    throw new TypeError('"mtls.mode" must be "allowed" or "required"');
  return mtls;
}

function headerReader(
  mtls: MtlsOptions,
  trust: ProxyTrust | undefined,
): CertificateHeaderReader | undefined {
  if (mtls.certificateHeader === undefined) return undefined;
  if (trust === undefined)
    throw new TypeError(
      '"mtls.certificateHeader" needs "trustProxy": the header is believed only from a trusted proxy',
    );
  return certificateHeaderReader(mtls.certificateHeader);
}

/**
 * The RFC 8705 §3.1 thumbprint of a certificate: base64url(SHA-256(DER)), the value of a bound
 * token's `cnf["x5t#S256"]`. Web Crypto only.
 *
 * @example
 * const x5tS256 = await certificateThumbprint(new Uint8Array(tlsSocket.getPeerCertificate().raw));
 */
export async function certificateThumbprint(der: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', der as Uint8Array<ArrayBuffer>);
  return base64url.encode(new Uint8Array(digest));
}

async function thumbprintOf(presented: ForwardedCertificate): Promise<string> {
  return 'der' in presented
    ? certificateThumbprint(presented.der)
    : base64url.encode(presented.sha256);
}

// The request's client certificate: the trusted proxy's header when one is configured and the
// peer is such a proxy; otherwise the TLS connection's. A header from any other peer is the
// client's own writing and is never read. Behind a trusted proxy the TLS connection is the
// proxy's, so no header means no certificate, never the proxy's own.
function presentedCertificate(
  request: RequestView,
  fromHeader: CertificateHeaderReader | undefined,
  trust: ProxyTrust | undefined,
): ForwardedCertificate | undefined {
  if (fromHeader !== undefined && trust?.(request)) return fromHeader(request);
  const der = request.peerCertificate?.();
  return der === undefined || der.length === 0 ? undefined : { der };
}

/**
 * The client certificate check the `mtls` option describes; `undefined` when it is off.
 * Throws `TypeError` naming the option on misuse, including a `certificateHeader` without
 * `trustProxy` (such a header could never be believed).
 *
 * @example
 * const mtls = createCertificateCheck({ ...options, mtls: 'required' }, undefined);
 */
export function createCertificateCheck(
  options: VerifierOptions,
  trust: ProxyTrust | undefined,
): CertificateCheck | undefined {
  if (options.mtls === undefined || options.mtls === 'off') return undefined;
  const mtls = asObject(options.mtls);
  // The sender-constrained path reads the token itself (`Authorization`, cookie, query).
  if (options.extract !== undefined)
    throw new TypeError('"mtls" reads the token itself; it cannot be combined with "extract"');
  const fromHeader = headerReader(mtls, trust);
  return Object.freeze({
    required: mtls.mode === 'required',
    async check(request: RequestView, x5tS256: string): Promise<void> {
      const presented = presentedCertificate(request, fromHeader, trust);
      if (presented === undefined)
        throw new TokenBindingError(
          'The token is bound to a client certificate; the request was made without one',
        );
      if ((await thumbprintOf(presented)) !== x5tS256)
        throw new TokenBindingError('The client certificate is not the one the token is bound to');
    },
  });
}
