import { describe, expect, it } from 'vitest';
import { InsufficientScopeError, InvalidRequestError } from '../errors.js';
import { NO_RULES } from '../protocol/rules.js';
import type { AuthInfo } from '../types.js';
import { toolScopeRules } from './rules.js';

const call = (name: string, id = 1) => ({
  jsonrpc: '2.0',
  id,
  method: 'tools/call',
  params: { name },
});
const withScopes = (...scopes: string[]) => ({ scopes: new Set(scopes) }) as unknown as AuthInfo;
const rulesOf = toolScopeRules(
  { read: 'notes:read', write: ['notes:read', 'notes:write'] },
  'here',
);

function refusal(rules: ReturnType<typeof rulesOf>, auth: AuthInfo): unknown {
  try {
    for (const check of rules.checks) check(auth);
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('toolScopeRules', () => {
  it("gives one tool's call that tool's rules, announcing its scopes", () => {
    const rules = rulesOf(call('write'));
    expect(rules.scopes).toEqual(['notes:read', 'notes:write']);
    expect(refusal(rules, withScopes('notes:read', 'notes:write'))).toBeUndefined();
    expect(refusal(rules, withScopes('notes:read'))).toMatchObject({
      scopes: ['notes:read', 'notes:write'],
    });
  });

  it('gives a batch one requirement naming every scope it needs', () => {
    const rules = rulesOf([
      call('read', 1),
      { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'write' } },
    ]);
    const error = refusal(rules, withScopes('notes:read'));
    expect(error).toBeInstanceOf(InsufficientScopeError);
    expect((error as InsufficientScopeError).scopes).toEqual(['notes:read', 'notes:write']);
  });

  it('has no rules for bodies that call no scoped tool', () => {
    expect(rulesOf(call('unlisted'))).toBe(NO_RULES);
    expect(rulesOf([call('unlisted'), call('other', 2)])).toBe(NO_RULES);
    expect(rulesOf({ jsonrpc: '2.0', id: 1, method: 'tools/list' })).toBe(NO_RULES);
  });

  it('throws InvalidRequestError for a malformed body, TypeError for a misused map', () => {
    expect(() => rulesOf({})).toThrow(InvalidRequestError);
    expect(() => toolScopeRules({ t: 'a b' }, 'here')).toThrow(
      new TypeError('here: tool "t": "a b" is not a valid scope token'),
    );
  });
});
