import { describe, expect, it } from 'vitest';
import { describeFailure, networkFailure, RemoteFetchError } from './failure.js';

// What undici's fetch throws: `fetch failed`, the socket or TLS error in `cause`.
const undici = (cause: unknown) => new TypeError('fetch failed', { cause });
const coded = (code: string) => Object.assign(new Error(code), { code });

describe('networkFailure', () => {
  it.each(['ENOTFOUND', 'EAI_AGAIN'])('reads %s in the cause as a DNS failure', (code) => {
    expect(networkFailure(undici(coded(code)))).toEqual({ kind: 'dns', code });
  });

  it.each([
    'DEPTH_ZERO_SELF_SIGNED_CERT',
    'SELF_SIGNED_CERT_IN_CHAIN',
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    'CERT_HAS_EXPIRED',
    'ERR_TLS_CERT_ALTNAME_INVALID',
    'ERR_SSL_WRONG_VERSION_NUMBER',
  ])('reads %s in the cause as a TLS failure', (code) => {
    expect(networkFailure(undici(coded(code)))).toEqual({ kind: 'tls', code });
  });

  it('looks through an AggregateError of several addresses', () => {
    const all = new AggregateError([coded('ECONNREFUSED'), coded('ECONNREFUSED')], 'refused');
    expect(networkFailure(undici(all))).toEqual({
      kind: 'network',
      code: 'ECONNREFUSED',
      message: 'fetch failed',
    });
  });

  it('reads a code set on the error itself (Bun, Deno)', () => {
    expect(networkFailure(coded('ENOTFOUND'))).toEqual({ kind: 'dns', code: 'ENOTFOUND' });
  });

  it('keeps the message when there is no code (a custom fetch that threw)', () => {
    expect(networkFailure(new Error('proxy said no'))).toEqual({
      kind: 'network',
      message: 'proxy said no',
    });
  });
});

describe('RemoteFetchError', () => {
  it('says what failed and where, and keeps the typed cause', () => {
    const error = new RemoteFetchError('https://id.example/jwks', {
      kind: 'http-status',
      status: 502,
    });
    expect(error.message).toBe('unexpected HTTP status 502 (https://id.example/jwks)');
    expect(error.httpStatus).toBe(502);
    expect(error.failure).toEqual({ kind: 'http-status', status: 502 });
  });

  it.each([
    [{ kind: 'timeout', timeoutMs: 5000 }, 'timed out after 5000 ms'],
    [{ kind: 'dns', code: 'ENOTFOUND' }, 'DNS lookup failed (ENOTFOUND)'],
    [{ kind: 'tls', code: 'CERT_HAS_EXPIRED' }, 'TLS handshake failed (CERT_HAS_EXPIRED)'],
    [{ kind: 'network', code: 'ECONNREFUSED', message: 'x' }, 'connection failed (ECONNREFUSED)'],
    [{ kind: 'redirect', status: 301 }, 'redirect refused (HTTP 301; configure the final URL)'],
    [{ kind: 'too-large', limit: 10 }, 'response larger than 10 bytes'],
    [{ kind: 'bad-discovery', reason: 'no-jwks-uri' }, 'discovery document refused (no-jwks-uri)'],
  ] as const)('describes %o', (cause, text) => {
    expect(describeFailure(cause)).toBe(text);
  });
});
