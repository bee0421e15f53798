// `tokengate jwks` and `tokengate mint`, and what every command shares: the CommonJS bin,
// colour, usage errors.
import { join } from 'node:path';
import { calculateJwkThumbprint, exportPKCS8 } from 'jose';
import { describe, expect, it } from 'vitest';
import { cjsBin, tokengate } from './bin.js';
import { expectClean } from './fixture.js';
import { file, fixture, issuer, trust, useCli, verify } from './setup.js';

useCli();

describe('tokengate jwks', () => {
  it('lists kid, kty, alg, use, size and thumbprint, and the cache headers sent', async () => {
    issuer.setJwksResponse({ headers: { 'cache-control': 'public, max-age=600', etag: '"v1"' } });
    try {
      const out = await tokengate(['jwks', issuer.jwksUri]);
      expect(out.status).toBe(0);
      expect(out.stdout).toMatch(
        new RegExp(`^JWK Set  ${issuer.jwksUri.replace(/\./g, '\\.')}$`, 'm'),
      );
      expect(out.stdout).toMatch(/^Cache +cache-control: public, max-age=600; etag: "v1"/m);
      const rsa = issuer.currentKey('RS256').publicJwk;
      const thumbprint = await calculateJwkThumbprint(rsa, 'sha256');
      expect(out.stdout).toMatch(
        new RegExp(`^ {2}rs256-1 +RSA +RS256 +sig +2048-bit +${thumbprint}$`, 'm'),
      );
      expect(out.stdout).toMatch(/^ {2}es256-1 +EC +ES256 +sig +P-256 /m);
      expect(out.stdout).toMatch(/^ {2}eddsa-1 +OKP +EdDSA +sig +Ed25519 /m);
    } finally {
      issuer.setJwksResponse(undefined);
    }
  });

  it('finds the JWK Set of an issuer through discovery', async () => {
    const out = await tokengate(['jwks', issuer.issuer, '--json']);
    expect(out.status).toBe(0);
    const report = JSON.parse(out.stdout);
    expect(report).toMatchObject({
      url: issuer.jwksUri,
      discoveredFrom: issuer.discoveryUri,
      status: 200,
    });
    expect(report.keys.map((k: { kid: string }) => k.kid)).toEqual([
      'rs256-1',
      'es256-1',
      'eddsa-1',
    ]);
  });

  it('exits 2 when there is no JWK Set to be had', async () => {
    const out = await tokengate(['jwks', `${issuer.url}/nowhere`]);
    expect(out.status).toBe(2);
    expect(out.stderr).toMatch(
      /^tokengate: No JWK Set at .*\/nowhere \(as a JWK Set URL: unexpected HTTP status 404/,
    );
    expectClean(out);
  });
});

describe('tokengate mint', () => {
  it('mints a token that verify accepts with the printed JWK Set (--jwks)', async () => {
    const minted = await tokengate([
      'mint',
      '--iss',
      'https://id.test/',
      '--aud',
      'api',
      '--sub',
      'alice',
      '--scope',
      'read write',
      '--claim',
      'org=acme',
      '--claim',
      'level=3',
      '--jwks',
      '--json',
    ]);
    expect(minted.status).toBe(0);
    const { token, jwks } = JSON.parse(minted.stdout);
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).not.toHaveProperty('d');
    const keys = file('minted-jwks.json', JSON.stringify(jwks));
    const out = await verify(token, [
      '--issuer',
      'https://id.test/',
      '--audience',
      'api',
      '--key-file',
      keys,
      '--json',
    ]);
    expect(out.status).toBe(0);
    expect(JSON.parse(out.stdout)).toMatchObject({
      valid: true,
      header: { alg: 'ES256', typ: 'at+jwt', kid: jwks.keys[0].kid },
      claims: { sub: 'alice', org: 'acme', level: 3 },
      scopes: ['read', 'write'],
    });
  });

  it("signs with a key file: the test issuer's own key verifies against its JWKS", async () => {
    const pem = file('rs256.pem', await exportPKCS8(issuer.currentKey('RS256').privateKey));
    const minted = await tokengate([
      'mint',
      '--key-file',
      pem,
      '--alg',
      'RS256',
      '--kid',
      'rs256-1',
      '--iss',
      issuer.issuer,
      '--aud',
      'api',
      '--claims',
      '{"scope":"from-file"}',
    ]);
    expect(minted.status).toBe(0);
    const out = await verify(minted.stdout, [...trust, '--scope', 'from-file']);
    expect(out.status).toBe(0);
  });

  it('prints only the token by default, ready for a pipe', async () => {
    const minted = await tokengate(['mint', '--aud', 'api']);
    expect(minted.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
  });

  it('refuses bad claims, durations and keys with exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [['--expires-in', 'soon'], /"expiresIn" must be a positive whole number/],
      [['--claim', 'novalue'], /--claim novalue: write it as name=value/],
      [['--claims', '[1]'], /--claims: must be a JSON object of claims/],
      [['--claim', 'exp=1'], /Set "exp" through the options/],
      [['--alg', 'HS256'], /HS256 signs with a shared secret/],
      [['--alg', 'RS1'], /Unsupported signing algorithm/],
      [
        ['--key-file', join(fixture.dir, 'missing.pem')],
        /--key-file .*missing\.pem: cannot read the file \(ENOENT\)/,
      ],
    ];
    for (const [args, message] of cases) {
      const out = await tokengate(['mint', ...args]);
      expect(out.status, args.join(' ')).toBe(2);
      expect(out.stderr).toMatch(message);
      expectClean(out);
    }
  });
});

describe('the command line', () => {
  it('runs the CommonJS build of the bin too', async () => {
    const token = await issuer.mint();
    const out = await tokengate(['verify', ...trust, token], { bin: cjsBin });
    expect(out.status).toBe(0);
    expect(out.stdout).toMatch(/^VALID/);
  });

  it('colours only on a terminal or with FORCE_COLOR, never with NO_COLOR or --no-color', async () => {
    const token = await issuer.mint({}, { expiresIn: -60 });
    const ESC = '\u001b[';
    expect((await verify(token)).stdout).not.toContain(ESC);
    expect((await verify(token, trust, { FORCE_COLOR: '1' })).stdout).toContain(`${ESC}31m`);
    expect((await verify(token, trust, { FORCE_COLOR: '1', NO_COLOR: '1' })).stdout).not.toContain(
      ESC,
    );
    expect(
      (
        await tokengate(['--no-color', 'verify', ...trust], {
          stdin: token,
          env: { FORCE_COLOR: '1' },
        })
      ).stdout,
    ).not.toContain(ESC);
  });

  it('answers bad usage with a message and exit 2, help with exit 0', async () => {
    for (const args of [
      ['bogus'],
      ['verify', '--bogus'],
      ['jwks'],
      ['verify', '--timeout', 'soon'],
    ]) {
      const out = await tokengate(args);
      expect(out.status, args.join(' ')).toBe(2);
      expect(out.stderr).not.toBe('');
      expectClean(out);
    }
    const version = await tokengate(['--version']);
    expect(version.status).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+/);
    const help = await tokengate(['verify', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('--secret-env <NAME>');
    expect(help.stdout).not.toContain('--secret <');
  });
});
