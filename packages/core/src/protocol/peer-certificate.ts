/**
 * The parts of a Node socket a request view reads: the peer address (`trustProxy`) and the TLS
 * client certificate (RFC 8705). Structural, so that core imports no `node:*` module; a
 * `net.Socket` and a `tls.TLSSocket` fit.
 *
 * @example
 * const socket: PeerSocket = req.socket;
 */
export interface PeerSocket {
  readonly remoteAddress?: string | undefined;
  getPeerCertificate?(): { raw?: unknown } | null;
}

/**
 * The DER of the TLS client certificate of a Node socket (RFC 8705 §3), what a view's
 * `peerCertificate()` returns: `undefined` on plain HTTP (no `getPeerCertificate`), when the
 * client sent none (`{}`), and once the socket is destroyed (`null`).
 *
 * @example
 * peerCertificate(): Uint8Array | undefined { return peerCertificateOf(this.req.socket); }
 */
export function peerCertificateOf(socket: PeerSocket | undefined): Uint8Array | undefined {
  const raw = socket?.getPeerCertificate?.()?.raw;
  return raw instanceof Uint8Array && raw.length > 0 ? raw : undefined;
}
