import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { ProtectedResourceModule } from './index.js';

const base = {
  secret: 'a-test-secret-that-is-at-least-32-bytes-long!',
  issuer: 'https://id.example/',
  audience: 'api',
};

// The controller runs in the conformance suite on both platforms; here, what forRoot refuses.
describe('ProtectedResourceModule.forRoot', () => {
  it('throws TypeError without a valid `resource`', () => {
    expect(() => ProtectedResourceModule.forRoot(null as never)).toThrow(
      'ProtectedResourceModule.forRoot() expects { verifier } or verifier options',
    );
    expect(() => ProtectedResourceModule.forRoot(base)).toThrow(
      'protectedResourceMetadata() needs the "resource" option',
    );
    expect(() =>
      ProtectedResourceModule.forRoot({ ...base, resource: { resource: 'http://api.example/' } }),
    ).toThrow('"resource.resource" must be an https URL (http only for a loopback host)');
  });

  it('declares one controller for the metadata route', () => {
    const module = ProtectedResourceModule.forRoot({
      ...base,
      resource: { resource: 'https://api.example/mcp' },
    });
    expect(module.module).toBe(ProtectedResourceModule);
    expect(module.controllers).toHaveLength(1);
  });
});
