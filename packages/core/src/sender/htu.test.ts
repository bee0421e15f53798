// RFC 3986 §6.2.2 and §6.2.3 normalisation of a proof's `htu` and of the request target.
import { describe, expect, it } from 'vitest';
import { normalPath, normalUri, requestPath } from './htu.js';

describe('normalUri', () => {
  it.each([
    ['https://api.example.com/things', 'https://api.example.com', '/things'],
    ['HTTPS://API.Example.COM/Things', 'https://api.example.com', '/Things'],
    ['https://api.example.com:443/x', 'https://api.example.com', '/x'],
    ['http://api.example.com:80/x', 'http://api.example.com', '/x'],
    ['http://api.example.com:443/x', 'http://api.example.com:443', '/x'],
    ['https://api.example.com:/x', 'https://api.example.com', '/x'],
    ['https://api.example.com:08080/x', 'https://api.example.com:8080', '/x'],
    ['https://api.example.com', 'https://api.example.com', '/'],
    ['https://api.example.com?q#f', 'https://api.example.com', '/'],
    ['https://api.example.com/a?b=/c#/d', 'https://api.example.com', '/a'],
    ['https://[::1]:8080/x', 'https://[::1]:8080', '/x'],
    ['https://[FE80::1]/x', 'https://[fe80::1]', '/x'],
    ['https://127.0.0.1:3000/x', 'https://127.0.0.1:3000', '/x'],
  ])('%s → %s %s', (uri, origin, path) => {
    expect(normalUri(uri)).toEqual({ origin, path });
  });

  it.each([
    ['ftp://api.example.com/x'],
    ['urn:example:x'],
    ['/things'],
    ['https:/api.example.com/x'],
    ['https://'],
    ['https://user:pw@api.example.com/x'],
    ['https://api.example.com:65536/x'],
    ['https://api.example.com:x/x'],
    ['https://api example.com/x'],
    ['https://api%2Eexample.com/x'],
    ['https://api.example.com\\x'],
    ['https://api.example.com/%'],
    ['https://api.example.com/%4'],
    ['https://api.example.com/%G0'],
  ])('refuses %s', (uri) => {
    expect(normalUri(uri)).toBeUndefined();
  });
});

describe('normalPath', () => {
  it.each([
    ['', '/'],
    ['/', '/'],
    ['/%7e%7E%41%2d%2e%5f', '/~~A-._'],
    ['/a%2fb%3a', '/a%2Fb%3A'],
    ['/a/./b', '/a/b'],
    ['/a/b/../c', '/a/c'],
    ['/a/b/..', '/a/'],
    ['/a/.', '/a/'],
    ['/../../a', '/a'],
    ['/a/%2E%2E/b', '/b'],
    ['/a//b', '/a//b'],
    ["/a!$&'()*+,;=:@b", "/a!$&'()*+,;=:@b"],
    ['/a b|c{d}é', '/a%20b%7Cc%7Bd%7D%C3%A9'],
    ['/a%20b', '/a%20b'],
    ['/things?x=1', '/things'],
    ['/things#frag', '/things'],
  ])('%s → %s', (path, normal) => {
    expect(normalPath(path)).toBe(normal);
  });

  it('refuses a relative path and bad percent-encoding', () => {
    for (const path of ['things', '/a%', '/a%zz', '/%2']) expect(normalPath(path)).toBeUndefined();
  });
});

describe('requestPath', () => {
  it('reads origin-form and absolute-form targets, nothing else', () => {
    expect(requestPath('/things?page=2')).toBe('/things');
    expect(requestPath('http://api.example.com/things?page=2')).toBe('/things');
    expect(requestPath('*')).toBeUndefined();
    expect(requestPath('api.example.com:443')).toBeUndefined();
  });
});
