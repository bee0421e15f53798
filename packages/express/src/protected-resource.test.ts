import { describe, expect, it } from 'vitest';
import { createVerifier, protectedResourceRoute } from './index.js';

const base = {
  secret: 'a-test-secret-that-is-at-least-32-bytes-long!',
  issuer: 'https://id.example/',
  audience: 'api',
};

// The route itself runs in the conformance suite; here, what it refuses when declared.
describe('protectedResourceRoute', () => {
  it('throws TypeError, naming the problem, without a valid `resource`', () => {
    expect(() => protectedResourceRoute(base)).toThrow(
      'protectedResourceMetadata() needs the "resource" option',
    );
    expect(() => protectedResourceRoute(createVerifier(base))).toThrow(TypeError);
    expect(() =>
      protectedResourceRoute({ ...base, resource: { resource: 'https://api.example/?x=1' } }),
    ).toThrow('"resource.resource" must be a URL without a query');
  });
});
