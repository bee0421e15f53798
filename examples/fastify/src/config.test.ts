import { describe, expect, it } from 'vitest';
import { configFromEnv, DEMO_SECRET } from './config.js';

describe('configFromEnv', () => {
  it('runs on the demo secret on 127.0.0.1:3000 when nothing is set', () => {
    expect(configFromEnv({})).toEqual({
      port: 3000,
      host: '127.0.0.1',
      auth: {
        secret: DEMO_SECRET,
        issuer: 'https://demo.tokengate.local/',
        audience: 'tokengate-demo',
        algorithms: ['HS256'],
      },
      demoSecret: DEMO_SECRET,
    });
  });

  it('trusts a JWKS when JWKS_URI is set', () => {
    expect(
      configFromEnv({
        PORT: '8080',
        HOST: '0.0.0.0',
        JWKS_URI: 'https://id.example.com/jwks.json',
        ISSUER: 'https://id.example.com/',
        AUDIENCE: 'api',
        ALGORITHMS: 'ES256, RS256',
      }),
    ).toEqual({
      port: 8080,
      host: '0.0.0.0',
      auth: {
        jwksUri: 'https://id.example.com/jwks.json',
        issuer: 'https://id.example.com/',
        audience: 'api',
        algorithms: ['ES256', 'RS256'],
      },
    });
  });

  it('uses JWT_SECRET without offering a demo token', () => {
    const config = configFromEnv({ JWT_SECRET: 'x'.repeat(32) });
    expect(config.auth.secret).toBe('x'.repeat(32));
    expect(config.demoSecret).toBeUndefined();
  });

  it('refuses a PORT that is not a port number', () => {
    expect(() => configFromEnv({ PORT: 'eighty' })).toThrow(TypeError);
    expect(() => configFromEnv({ PORT: '70000' })).toThrow(TypeError);
  });
});
