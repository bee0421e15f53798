import { describe, expect, it } from 'vitest';
import { depsFromConfig } from './auth-service.js';
import { loadConfig } from './config.js';

// The shape of a PKCS#8 PEM; not a usable key.
const PEM = '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----';

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
        SIGNING_KEY: PEM.replaceAll('\n', '\\n'),
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
      signingKey: PEM,
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

  it.each([
    ['ACCESS_TOKEN_TTL', 'soon'],
    ['ACCESS_TOKEN_TTL', '0'],
    ['ACCESS_TOKEN_TTL', '-5'],
    ['ACCESS_TOKEN_TTL', '15 fortnights'],
    ['REFRESH_TOKEN_TTL', '1.5d'],
    ['REFRESH_TOKEN_TTL', '99999999999'],
  ])('refuses %s=%j with a TypeError naming it', (name, value) => {
    expect(() => loadConfig({ [name]: value }, { port: 1 })).toThrow(
      new RegExp(`^${name} must be a positive whole number of seconds`),
    );
  });

  it('accepts TTLs in seconds and with the units the issuer understands', () => {
    const config = loadConfig({ ACCESS_TOKEN_TTL: '6', REFRESH_TOKEN_TTL: '2 weeks' }, { port: 1 });
    expect(config).toMatchObject({ accessTokenTtl: 6, refreshTokenTtl: '2 weeks' });
  });

  it.each([
    'pem',
    'ssh-ed25519 AAAA',
    '-----BEGIN PUBLIC KEY-----\nAA==\n-----END PUBLIC KEY-----',
  ])('refuses SIGNING_KEY=%j, which is not a PKCS#8 PEM, with a TypeError naming it', (value) => {
    expect(() => loadConfig({ SIGNING_KEY: value }, { port: 1 })).toThrow(/^SIGNING_KEY must be/);
  });

  it('refuses a SIGNING_KEY that does not fit SIGNING_ALG when building the app', async () => {
    const config = loadConfig({ SIGNING_KEY: PEM, SIGNING_ALG: 'ES256' }, { port: 1 });
    await expect(depsFromConfig(config)).rejects.toThrow(/^SIGNING_KEY is not a ES256 private key/);
  });

  it('refuses PORT=0 without a known issuer URL', () => {
    expect(() => loadConfig({ PORT: '0' }, { port: 3001 })).toThrow(/PUBLIC_URL or ISSUER/);
    expect(loadConfig({ PORT: '0', ISSUER: 'http://id' }, { port: 3001 }).port).toBe(0);
  });
});
