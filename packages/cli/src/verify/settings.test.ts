import { describe, expect, it } from 'vitest';
import { durationArg, fromEnv, mergeSettings } from './settings.js';

describe('verify settings', () => {
  it('reads TOKENGATE_* variables, lists comma-separated', () => {
    expect(
      fromEnv({
        TOKENGATE_ISSUER: 'https://a/, https://b/',
        TOKENGATE_AUDIENCE: 'api',
        TOKENGATE_DISCOVERY: 'true',
        TOKENGATE_CLOCK_TOLERANCE: '30',
        TOKENGATE_TYP: 'rfc9068',
        TOKENGATE_UNRELATED: 'x',
        TOKENGATE_JWKS_URI: '',
      }),
    ).toEqual({
      issuer: ['https://a/', 'https://b/'],
      audience: ['api'],
      discovery: true,
      clockTolerance: 30,
      typ: ['rfc9068'],
    });
  });

  it('lets later layers win, key by key, and ignores unset keys', () => {
    expect(
      mergeSettings(
        { issuer: ['a'], audience: ['x'] },
        { audience: ['y'], jwksUri: undefined },
        { issuer: false },
      ),
    ).toEqual({ issuer: false, audience: ['y'] });
  });

  it('passes whole seconds as numbers and anything else to the verifier as written', () => {
    expect([durationArg('30'), durationArg('5m'), durationArg('-1')]).toEqual([30, '5m', '-1']);
  });
});
