// The client certificate a TLS-terminating proxy passes on in a header: RFC 9440
// `Client-Cert`, Envoy's `x-forwarded-client-cert`, and a URL-escaped PEM (nginx
// `$ssl_client_escaped_cert`). Only ever read for a peer the proxy trust accepted.
import { TokenBindingError } from '../errors.js';
import type { RequestView } from '../protocol/view.js';
import type { CertificateHeader } from './types.js';

/**
 * A client certificate as a proxy passed it: its DER, or (Envoy's `Hash`) only the SHA-256
 * digest of its DER, which is all a thumbprint needs.
 *
 * @example
 * const presented: ForwardedCertificate = { der: new Uint8Array(peer.raw) };
 */
export type ForwardedCertificate = { readonly der: Uint8Array } | { readonly sha256: Uint8Array };

/**
 * Reads the client certificate from a request's proxy header: `undefined` when the proxy
 * passed none, a `TokenBindingError` when the header is malformed.
 *
 * @example
 * const presented = read(request);
 */
export type CertificateHeaderReader = (request: RequestView) => ForwardedCertificate | undefined;

type HeaderValue = string | readonly string[] | undefined;

function malformed(header: string, why: string): TokenBindingError {
  return new TokenBindingError(`The client certificate header "${header}" is malformed: ${why}`);
}

// One header line, or `undefined` when absent or empty; two lines are malformed (RFC 9440
// §2.2: a singleton field).
function singleLine(header: string, value: HeaderValue): string | undefined {
  if (value !== undefined && typeof value !== 'string') {
    if (value.length > 1) throw malformed(header, 'more than one line');
    value = value[0];
  }
  const line = value?.trim();
  return line === undefined || line === '' ? undefined : line;
}

// RFC 8941 §3.3.5: parsers should accept a byte sequence without its `=` padding.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/;

// A certificate is one DER SEQUENCE (RFC 5280 §4.1): its first byte is 0x30.
function derCertificate(header: string, base64: string): Uint8Array {
  if (!BASE64.test(base64)) throw malformed(header, 'not base64');
  const binary = atob(base64);
  const der = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  if (der.length < 2 || der[0] !== 0x30) throw malformed(header, 'not a DER certificate');
  return der;
}

const PEM = /^-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]*)-----END CERTIFICATE-----$/;

/**
 * The DER of one PEM certificate: the base64 between the `BEGIN CERTIFICATE` and
 * `END CERTIFICATE` lines (RFC 7468 §5), whitespace ignored. Throws a `TokenBindingError`
 * naming `header` for anything else.
 *
 * @example
 * const der = pemCertificate(pem, 'x-ssl-client-cert');
 */
export function pemCertificate(pem: string, header: string): Uint8Array {
  const body = PEM.exec(pem.trim())?.[1];
  if (body === undefined) throw malformed(header, 'not one PEM certificate');
  return derCertificate(header, body.replace(/\s+/g, ''));
}

/**
 * RFC 9440 §2.2 `Client-Cert`: the DER as a structured-field byte sequence (RFC 8941 §3.3.5),
 * `:<base64>:`, exactly one. `undefined` when the header is absent.
 *
 * @example
 * clientCertHeader(':MIIBszCCAVmgAwIBAgI…:'); // { der }
 */
export function clientCertHeader(value: HeaderValue): ForwardedCertificate | undefined {
  const line = singleLine('client-cert', value);
  if (line === undefined) return undefined;
  if (line.length < 2 || !line.startsWith(':') || !line.endsWith(':'))
    throw malformed('client-cert', 'not a byte sequence (":<base64>:")');
  return { der: derCertificate('client-cert', line.slice(1, -1)) };
}

// Envoy's grammar: elements by `,`, key=value pairs by `;`, values optionally in double quotes
// (with `\` escapes); a separator inside quotes belongs to the value (`Subject="CN=a,O=b"`).
function xfccElements(value: string): Map<string, string>[] {
  const elements: Map<string, string>[] = [new Map()];
  let pair = '';
  let quoted = false;
  const endPair = () => {
    if (pair.trim() !== '') addPair(elements.at(-1)!, pair);
    pair = '';
  };
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (quoted && c === '\\') pair += c + (value[++i] ?? '');
    else if (c === '"') {
      quoted = !quoted;
      pair += c;
    } else if (!quoted && (c === ';' || c === ',')) {
      endPair();
      if (c === ',') elements.push(new Map());
    } else pair += c;
  }
  if (quoted) throw malformed('x-forwarded-client-cert', 'an unterminated quoted value');
  endPair();
  return elements;
}

function addPair(element: Map<string, string>, pair: string): void {
  const at = pair.indexOf('=');
  if (at < 1) throw malformed('x-forwarded-client-cert', 'a pair without "key="');
  const key = pair.slice(0, at).trim().toLowerCase();
  let value = pair.slice(at + 1).trim();
  if (value.startsWith('"')) {
    if (value.length < 2 || !value.endsWith('"'))
      throw malformed('x-forwarded-client-cert', 'a badly quoted value');
    value = value.slice(1, -1).replace(/\\(.)/g, '$1');
  }
  element.set(key, value);
}

function unescapedPem(header: string, escaped: string): Uint8Array {
  let pem: string;
  try {
    pem = decodeURIComponent(escaped);
  } catch {
    throw malformed(header, 'a bad percent-encoding');
  }
  return pemCertificate(pem, header);
}

const SHA256_HEX = /^[0-9A-Fa-f]{64}$/;

/**
 * Envoy's `x-forwarded-client-cert`: the element of the nearest proxy (the last one: each
 * proxy appends its own), its `Cert` (URL-encoded PEM) or else its `Hash` (hex SHA-256 of
 * the DER). `undefined` when the header is absent or that element has neither.
 *
 * @example
 * xfccHeader('By=spiffe://api;Hash=468ed33b…;Subject="CN=client"'); // { sha256 }
 */
export function xfccHeader(value: HeaderValue): ForwardedCertificate | undefined {
  const lines = typeof value === 'string' ? [value] : (value ?? []);
  const joined = lines.join(',');
  if (joined.trim() === '') return undefined;
  const nearest = xfccElements(joined).at(-1)!;
  const cert = nearest.get('cert');
  if (cert !== undefined) return { der: unescapedPem('x-forwarded-client-cert', cert) };
  const hash = nearest.get('hash');
  if (hash === undefined) return undefined;
  if (!SHA256_HEX.test(hash))
    throw malformed('x-forwarded-client-cert', 'its Hash is not a hex SHA-256 digest');
  return { sha256: Uint8Array.from(hash.match(/../g)!, (byte) => Number.parseInt(byte, 16)) };
}

/**
 * A URL-escaped PEM certificate in the header `name` (nginx `$ssl_client_escaped_cert`, which
 * is empty when the client sent none). `undefined` when absent or empty.
 *
 * @example
 * escapedPemHeader('x-ssl-client-cert', '-----BEGIN%20CERTIFICATE-----%0AMIIB…'); // { der }
 */
export function escapedPemHeader(
  name: string,
  value: HeaderValue,
): ForwardedCertificate | undefined {
  const line = singleLine(name, value);
  return line === undefined ? undefined : { der: unescapedPem(name, line) };
}

// RFC 9110 §5.1: a field name is a token.
const FIELD_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function checkedPemHeaderName(header: object): string {
  const { name, format, ...rest } = header as { name?: unknown; format?: unknown };
  const unknown = Object.keys(rest)[0];
  if (unknown !== undefined)
    throw new TypeError(`Unknown option "mtls.certificateHeader.${unknown}"`);
  if (format !== 'pem') throw new TypeError('"mtls.certificateHeader.format" must be "pem"');
  if (typeof name !== 'string' || !FIELD_NAME.test(name))
    throw new TypeError('"mtls.certificateHeader.name" must be a header name');
  return name.toLowerCase();
}

/**
 * The reader of the `mtls.certificateHeader` option; throws `TypeError` naming the option for
 * anything but `'client-cert'`, `'x-forwarded-client-cert'` or `{ name, format: 'pem' }`.
 *
 * @example
 * const read = certificateHeaderReader({ name: 'x-ssl-client-cert', format: 'pem' });
 */
export function certificateHeaderReader(header: CertificateHeader): CertificateHeaderReader {
  if (header === 'client-cert') return (request) => clientCertHeader(request.header('client-cert'));
  if (header === 'x-forwarded-client-cert')
    return (request) => xfccHeader(request.header('x-forwarded-client-cert'));
  if (typeof header !== 'object' || header === null || Array.isArray(header))
    throw new TypeError(
      '"mtls.certificateHeader" must be "client-cert", "x-forwarded-client-cert" or { name, format: "pem" }',
    );
  const name = checkedPemHeaderName(header);
  return (request) => escapedPemHeader(name, request.header(name));
}
