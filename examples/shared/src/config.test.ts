import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('loadConfig', () => {
  it('runs as its own issuer on 127.0.0.1 when nothing is set', () => {
    expect(loadConfig({}, { port: 3001 })).toEqual({
      port: 3001,
      host: '127.0.0.1',
      publicUrl: 'http://127.0.0.1:3001',
      issuer: 'http://127.0.0.1:3001',
      jwksUri: 'http://127.0.0.1:3001/.well-known/jwks.json',
      audience: 'tokengate-demo',
      algorithm: 'ES256',
      accessTokenTtl: '15m',
      refreshTokenTtl: '30d',
      clockTolerance: 5,
    });
  });

  it('reads every variable', () => {
    const config = loadConfig(
      {
        PORT: '8080',
        HOST: '0.0.0.0',
        ISSUER: 'https://id.example.com',
        JWKS_URI: 'https://id.example.com/keys',
        AUDIENCE: 'api',
        SIGNING_ALG: 'EdDSA',
        SIGNING_KEY: 'pem',
        ACCESS_TOKEN_TTL: '90',
        REFRESH_TOKEN_TTL: '1d',
        CLOCK_TOLERANCE: '0',
      },
      { port: 3001 },
    );
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      publicUrl: 'http://127.0.0.1:8080',
      issuer: 'https://id.example.com',
      jwksUri: 'https://id.example.com/keys',
      audience: 'api',
      algorithm: 'EdDSA',
      signingKey: 'pem',
      accessTokenTtl: 90,
      refreshTokenTtl: '1d',
      clockTolerance: 0,
    });
  });

  it('derives the issuer and JWKS URL from PUBLIC_URL', () => {
    const config = loadConfig({ PUBLIC_URL: 'https://api.example.com/' }, { port: 3001 });
    expect(config.issuer).toBe('https://api.example.com');
    expect(config.jwksUri).toBe('https://api.example.com/.well-known/jwks.json');
  });

  it('refuses a bad PORT, CLOCK_TOLERANCE or SIGNING_ALG with a TypeError naming it', () => {
    expect(() => loadConfig({ PORT: 'eighty' }, { port: 1 })).toThrow(/PORT/);
    expect(() => loadConfig({ PORT: '70000' }, { port: 1 })).toThrow(TypeError);
    expect(() => loadConfig({ CLOCK_TOLERANCE: '-1' }, { port: 1 })).toThrow(/CLOCK_TOLERANCE/);
    expect(() => loadConfig({ SIGNING_ALG: 'HS256' }, { port: 1 })).toThrow(/SIGNING_ALG/);
  });

  it('refuses PORT=0 without a known issuer URL', () => {
    expect(() => loadConfig({ PORT: '0' }, { port: 3001 })).toThrow(/PUBLIC_URL or ISSUER/);
    expect(loadConfig({ PORT: '0', ISSUER: 'http://id' }, { port: 3001 }).port).toBe(0);
  });
});
