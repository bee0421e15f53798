import { describe, expect, it } from 'vitest';
import type { AuthInfo } from '../types.js';
import { checkOptionalMode, combineRouteRules, compileRouteRules, NO_RULES } from './rules.js';

const auth = (scopes: string[], claims: Record<string, unknown> = {}) =>
  ({ scopes: new Set(scopes), claims }) as unknown as AuthInfo<unknown>;

describe('compileRouteRules', () => {
  it('returns the shared empty rules for an empty policy', () => {
    expect(compileRouteRules({}, 'r')).toBe(NO_RULES);
  });

  it.each([
    [{ optional: 'maybe' }, 'r: "optional" must be "allow-missing", "allow-invalid" or false'],
    [{ scopes: [] }, 'r: at least one scope is required'],
    [{ scopes: 'a b' }, 'r: "a b" is not a valid scope token'],
    [{ scopeMode: 'any' }, 'r: "scopeMode" needs "scopes"'],
    [{ scopes: 'a', scopeMode: 'some' }, 'r: "scopeMode" must be "all" or "any", got "some"'],
    [{ claims: {} }, 'r: claim requirements must be an object with at least one claim'],
    [
      { claims: { org: null } },
      'r: the requirement for "org" is not a value, { includes }, { oneOf } or a function',
    ],
    [{ scope: 'a' }, 'r: unknown option "scope"'],
  ])('refuses %j with a TypeError naming the place', (policy, message) => {
    expect(() => compileRouteRules(policy as never, 'r')).toThrow(new TypeError(message));
  });

  it('refuses a policy that is not an object', () => {
    expect(() => compileRouteRules(null as never, 'r')).toThrow(TypeError);
    expect(() => compileRouteRules([] as never, 'r')).toThrow(TypeError);
  });

  it('runs the scope check, then the claims check', () => {
    const rules = compileRouteRules({ scopes: 'read', claims: { org: 'acme' } }, 'r');
    expect(rules.checks).toHaveLength(2);
    expect(() => rules.checks[0]?.(auth(['write']))).toThrow('The token lacks the required scope');
    expect(() => rules.checks[1]?.(auth([], { org: 'x' }))).toThrow('The "org" claim is invalid');
  });

  it('returns frozen rules', () => {
    const rules = compileRouteRules({ optional: false }, 'r');
    expect(Object.isFrozen(rules)).toBe(true);
    expect(rules.optional).toBe(false);
  });
});

describe('combineRouteRules', () => {
  it('keeps every check and the last optional mode that is set', () => {
    const a = compileRouteRules({ optional: 'allow-missing', scopes: 'read' }, 'a');
    const b = compileRouteRules({ claims: { org: 'acme' } }, 'b');
    const c = compileRouteRules({ optional: false }, 'c');
    const all = combineRouteRules([a, b, c]);
    expect(all.checks).toHaveLength(2);
    expect(all.optional).toBe(false);
    expect(combineRouteRules([a, b]).optional).toBe('allow-missing');
    expect(combineRouteRules([])).toBe(NO_RULES);
  });
});

describe('checkOptionalMode', () => {
  it('accepts the modes, false and undefined', () => {
    for (const mode of ['allow-missing', 'allow-invalid', false, undefined])
      expect(() => checkOptionalMode(mode, 'x')).not.toThrow();
    expect(() => checkOptionalMode(true, 'x')).toThrow(TypeError);
  });
});
