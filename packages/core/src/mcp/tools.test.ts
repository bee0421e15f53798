import { describe, expect, it } from 'vitest';
import { InvalidRequestError } from '../errors.js';
import { NOW } from '../test-support/tokens.js';
import type { AuthInfo } from '../types.js';
import { toMcpAuthInfo } from './auth-info.js';
import { compileToolScopes, requiredToolScopes, toolCallNames } from './tools.js';

const call = (name: unknown, id = 1) => ({
  jsonrpc: '2.0',
  id,
  method: 'tools/call',
  params: { name, arguments: {} },
});
const SCOPES = { read_note: 'notes:read', write_note: ['notes:read', 'notes:write'] };

describe('toolCallNames', () => {
  it('names the tool of a tools/call request', () => {
    expect(toolCallNames(call('read_note'))).toEqual(['read_note']);
  });

  it('names every tool of a batch, and none for other messages', () => {
    const batch = [
      call('read_note', 1),
      { jsonrpc: '2.0', id: 2, method: 'tools/list' },
      { jsonrpc: '2.0', method: 'notifications/initialized' },
      { jsonrpc: '2.0', id: 9, result: {} },
      call('write_note', 3),
    ];
    expect(toolCallNames(batch)).toEqual(['read_note', 'write_note']);
    expect(toolCallNames({ jsonrpc: '2.0', id: 1, method: 'initialize', params: {} })).toEqual([]);
  });

  it.each([
    ['no body', undefined, 'no JSON body'],
    ['null', null, 'the message is not a JSON-RPC 2.0 message'],
    ['a string', 'tools/call', 'the message is not a JSON-RPC 2.0 message'],
    ['a number', 7, 'the message is not a JSON-RPC 2.0 message'],
    ['an empty batch', [], 'an empty batch'],
    ['an empty object', {}, 'the message is not a JSON-RPC 2.0 message'],
    [
      'a message of another JSON-RPC version',
      { ...call('read_note'), jsonrpc: '1.0' },
      'the message is not a JSON-RPC 2.0 message',
    ],
    ['a batch with a non-object', [call('a'), 'x'], 'message 1 is not a JSON-RPC 2.0 message'],
    ['a nested batch', [[call('a')]], 'message 0 is not a JSON-RPC 2.0 message'],
    [
      'a tools/call without params',
      { jsonrpc: '2.0', id: 1, method: 'tools/call' },
      'the message is a tools/call without "params"',
    ],
    [
      'a tools/call with array params',
      { jsonrpc: '2.0', id: 1, method: 'tools/call', params: ['read_note'] },
      'the message is a tools/call without "params"',
    ],
    ['a numeric tool name', call(5), 'is a tools/call whose "params.name" is not a tool name'],
    ['an array tool name', call(['a']), 'is a tools/call whose "params.name" is not a tool name'],
    ['an empty tool name', call(''), 'is a tools/call whose "params.name" is not a tool name'],
  ])('refuses %s with a 400 InvalidRequestError', (_name, body, reason) => {
    let thrown: unknown;
    try {
      toolCallNames(body);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidRequestError);
    expect((thrown as InvalidRequestError).status).toBe(400);
    expect((thrown as Error).message).toContain(reason);
  });
});

describe('requiredToolScopes', () => {
  it('is the union of the called tools’ scopes, once each', () => {
    expect(requiredToolScopes(call('read_note'), SCOPES)).toEqual(['notes:read']);
    expect(requiredToolScopes([call('read_note'), call('write_note', 2)], SCOPES)).toEqual([
      'notes:read',
      'notes:write',
    ]);
  });

  it('asks nothing for a tool missing from the map, or a message that calls none', () => {
    expect(requiredToolScopes(call('unlisted'), SCOPES)).toEqual([]);
    expect(requiredToolScopes({ jsonrpc: '2.0', id: 1, method: 'tools/list' }, SCOPES)).toEqual([]);
  });

  it('does not take inherited names for tools', () => {
    expect(requiredToolScopes(call('constructor'), SCOPES)).toEqual([]);
    expect(requiredToolScopes(call('__proto__'), SCOPES)).toEqual([]);
  });
});

describe('compileToolScopes', () => {
  it('freezes one list per tool', () => {
    const compiled = compileToolScopes(SCOPES, 'here');
    expect([...compiled]).toEqual([
      ['read_note', ['notes:read']],
      ['write_note', ['notes:read', 'notes:write']],
    ]);
    expect(Object.isFrozen(compiled.get('write_note'))).toBe(true);
  });

  it.each([
    [null, 'here: the tool scopes must be an object mapping tool names to scopes'],
    [['notes:read'], 'here: the tool scopes must be an object mapping tool names to scopes'],
    [{ t: 'a b' }, 'here: tool "t": "a b" is not a valid scope token'],
    [{ t: 3 }, 'here: tool "t": the scopes must be a string or an array'],
    [{ t: [3] }, 'here: tool "t": 3 is not a valid scope token'],
    [{ t: [] }, 'here: tool "t": at least one scope is required'],
  ])('refuses %o', (map, message) => {
    expect(() => compileToolScopes(map as never, 'here')).toThrow(new TypeError(message));
  });
});

describe('toMcpAuthInfo', () => {
  const auth = (claims: Record<string, unknown>, binding?: AuthInfo['binding']) =>
    ({
      token: 'the.token.here',
      header: { alg: 'ES256' },
      claims,
      scopes: new Set(['notes:read', 'notes:write']),
      ...(binding ? { binding } : {}),
    }) as unknown as AuthInfo;

  it('gives the SDK shape: token, client, scopes, expiry, resource and tokengate’s claims', () => {
    const claims = { sub: 'alice', client_id: 'app', exp: NOW + 60, azp: 'other' };
    expect(toMcpAuthInfo(auth(claims), 'https://mcp.example.com/mcp')).toEqual({
      token: 'the.token.here',
      clientId: 'app',
      scopes: ['notes:read', 'notes:write'],
      expiresAt: NOW + 60,
      resource: new URL('https://mcp.example.com/mcp'),
      extra: { sub: 'alice', claims },
    });
  });

  it('falls back to azp, then to an empty client id; leaves out what the token lacks', () => {
    expect(toMcpAuthInfo(auth({ azp: 'spa' })).clientId).toBe('spa');
    const bare = toMcpAuthInfo(auth({ client_id: 7, exp: 'soon' }));
    expect(bare.clientId).toBe('');
    expect(bare).not.toHaveProperty('expiresAt');
    expect(bare).not.toHaveProperty('resource');
    expect(bare.extra?.sub).toBeUndefined();
  });

  it('reports the sender binding', () => {
    expect(toMcpAuthInfo(auth({}, { jkt: 'thumb' })).extra?.binding).toEqual({ jkt: 'thumb' });
  });
});
