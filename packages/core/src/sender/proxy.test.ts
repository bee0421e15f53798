import { describe, expect, it } from 'vitest';
import type { RequestView } from '../protocol/view.js';
import { createProxyTrust, forwardedOrigin } from './proxy.js';

const from = (address: string | undefined, headers: Record<string, string | string[]> = {}) =>
  ({
    method: 'GET',
    url: '/things',
    header: (name: string) => headers[name.toLowerCase()],
    remoteAddress: () => address,
  }) satisfies RequestView;

describe('createProxyTrust', () => {
  it('trusts no peer when off', () => {
    expect(createProxyTrust(undefined)).toBeUndefined();
    expect(createProxyTrust(false)).toBeUndefined();
  });

  it('trusts every peer with true, even one whose address is unknown', () => {
    const trusts = createProxyTrust(true)!;
    expect(trusts(from('203.0.113.7'))).toBe(true);
    expect(trusts(from(undefined))).toBe(true);
  });

  it('trusts the listed addresses only', () => {
    const trusts = createProxyTrust(['10.0.0.1', ' 2001:DB8::1 '])!;
    expect(trusts(from('10.0.0.1'))).toBe(true);
    expect(trusts(from('2001:db8::1'))).toBe(true);
    expect(trusts(from('10.0.0.2'))).toBe(false);
    expect(trusts(from('10.0.0.10'))).toBe(false);
    expect(trusts(from(undefined))).toBe(false);
    const noAddress: RequestView = { method: 'GET', url: '/', header: () => undefined };
    expect(trusts(noAddress)).toBe(false);
    expect(createProxyTrust([])!(from('10.0.0.1'))).toBe(false);
  });

  it('matches an IPv4-mapped IPv6 peer (::ffff:a.b.c.d) to its IPv4 address, both ways', () => {
    expect(createProxyTrust(['127.0.0.1'])!(from('::ffff:127.0.0.1'))).toBe(true);
    expect(createProxyTrust(['::FFFF:127.0.0.1'])!(from('127.0.0.1'))).toBe(true);
    expect(createProxyTrust(['127.0.0.1'])!(from('::ffff:127.0.0.2'))).toBe(false);
    expect(createProxyTrust(['::1'])!(from('::ffff:127.0.0.1'))).toBe(false);
  });

  it('asks a function with the normalised address, trusting only a true answer', () => {
    const seen: [string, number][] = [];
    const trusts = createProxyTrust((address, hop) => {
      seen.push([address, hop]);
      return address === '10.0.0.1' ? true : (1 as unknown as boolean);
    })!;
    expect(trusts(from('::ffff:10.0.0.1'))).toBe(true);
    expect(trusts(from('10.0.0.2'))).toBe(false);
    expect(trusts(from(undefined))).toBe(false);
    expect(seen).toEqual([
      ['10.0.0.1', 0],
      ['10.0.0.2', 0],
    ]);
  });

  it('throws TypeError for what is not a boolean, a list of IP addresses or a function', () => {
    const shape = '"trustProxy" must be a boolean, a list of peer addresses or a function';
    expect(() => createProxyTrust('127.0.0.1' as never)).toThrow(shape);
    expect(() => createProxyTrust(1 as never)).toThrow(shape);
    expect(() => createProxyTrust({} as never)).toThrow(shape);
    for (const entry of ['10.0.0.0/8', 'loopback', 'proxy.internal', '', '256.0.0.1', '1.2.3', 7])
      expect(() => createProxyTrust([entry] as never)).toThrow(
        `"trustProxy": ${JSON.stringify(entry)} is not an IP address (for ranges, pass a function)`,
      );
  });
});

describe('forwardedOrigin', () => {
  it('reads RFC 7239 Forwarded proto and host (quoted or not, any case)', () => {
    expect(
      forwardedOrigin(
        from('10.0.0.1', { forwarded: 'for=1.2.3.4;proto=https;host=api.example.com' }),
      ),
    ).toBe('https://api.example.com');
    expect(
      forwardedOrigin(from('10.0.0.1', { forwarded: 'Proto=HTTPS; Host="api.example.com:8443"' })),
    ).toBe('https://api.example.com:8443');
  });

  it("takes the nearest proxy's element: the last, across lines too", () => {
    const forwarded = 'proto=http;host=evil.example, proto=https;host=api.example.com';
    expect(forwardedOrigin(from('10.0.0.1', { forwarded }))).toBe('https://api.example.com');
    const lines = ['proto=http;host=evil.example', 'proto=https;host=api.example.com'];
    expect(forwardedOrigin(from('10.0.0.1', { forwarded: lines }))).toBe('https://api.example.com');
  });

  it('falls back to X-Forwarded-Proto and X-Forwarded-Host, last value first', () => {
    const headers = {
      'x-forwarded-proto': 'http, https',
      'x-forwarded-host': 'evil.example, api.example.com',
      host: 'internal:3000',
    };
    expect(forwardedOrigin(from('10.0.0.1', headers))).toBe('https://api.example.com');
  });

  it('falls back to http and the Host header, and to nothing without a host', () => {
    expect(forwardedOrigin(from('10.0.0.1', { host: 'internal:3000' }))).toBe(
      'http://internal:3000',
    );
    expect(forwardedOrigin(from('10.0.0.1', { 'x-forwarded-proto': 'https' }))).toBeUndefined();
    expect(forwardedOrigin(from('10.0.0.1', { host: ' ' }))).toBeUndefined();
  });

  it('skips empty Forwarded parameters instead of building an origin from them', () => {
    const headers = { forwarded: 'proto=;host=""', host: 'api.example.com' };
    expect(forwardedOrigin(from('10.0.0.1', headers))).toBe('http://api.example.com');
  });
});
