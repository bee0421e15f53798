import { describe, expect, it } from 'vitest';
import { peerCertificateOf } from './peer-certificate.js';

describe('peerCertificateOf', () => {
  it('gives the DER of the client certificate of a TLS socket', () => {
    const der = new Uint8Array([0x30, 0x82, 0x01]);
    expect(peerCertificateOf({ getPeerCertificate: () => ({ raw: der }) })).toBe(der);
  });

  it('gives nothing for plain HTTP, no certificate, a destroyed socket or no socket', () => {
    expect(peerCertificateOf({})).toBeUndefined();
    expect(peerCertificateOf({ getPeerCertificate: () => ({}) })).toBeUndefined();
    expect(peerCertificateOf({ getPeerCertificate: () => null })).toBeUndefined();
    expect(
      peerCertificateOf({ getPeerCertificate: () => ({ raw: new Uint8Array() }) }),
    ).toBeUndefined();
    expect(peerCertificateOf({ getPeerCertificate: () => ({ raw: 'not bytes' }) })).toBeUndefined();
    expect(peerCertificateOf(undefined)).toBeUndefined();
  });
});
