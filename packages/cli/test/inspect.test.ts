// `tokengate inspect`, run as a user runs it: a real process, argv and stdin, exit status; and
// a JWE through inspect and verify, with and without its key.
import { encrypt } from '@tokengate/issuer';
import { createDpopKey } from '@tokengate/testing';
import { exportJWK, exportPKCS8, generateKeyPair } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { tokengate } from './bin.js';
import { expectClean } from './fixture.js';
import { file, issuer, trust, useCli, verify } from './setup.js';

useCli();

describe('tokengate inspect', () => {
  it('prints the header, the claims with UTC and relative times and the scopes, labelled unverified', async () => {
    const token = await issuer.mint({ scope: 'read:things write:things' });
    const out = await tokengate(['inspect', token]);
    expect(out.status).toBe(0);
    expect(out.stdout).toMatch(/^UNVERIFIED: decoded only/);
    expect(out.stdout).toMatch(/^ {2}alg +RS256$/m);
    expect(out.stdout).toMatch(/^ {2}kid +rs256-1$/m);
    expect(out.stdout).toMatch(/^ {2}typ +JWT$/m);
    expect(out.stdout).toMatch(
      /^ {2}exp +\d+ {2}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC {2}\(expires in 5 min\)$/m,
    );
    expect(out.stdout).toMatch(/^Scopes +read:things write:things$/m);
    expect(out.stdout).toMatch(/^Binding +none: a bearer token$/m);
    expect(out.stderr).toBe('');
    expectClean(out, token);
  });

  it('reads a pasted "Authorization: Bearer …" line from stdin', async () => {
    const token = await issuer.mint();
    const out = await tokengate(['inspect'], { stdin: `Authorization: Bearer ${token}\n` });
    expect(out.status).toBe(0);
    expect(out.stdout).toMatch(/^Scheme +Bearer/m);
    expect(out.stdout).toMatch(/^ {2}sub +test-user$/m);
  });

  it('says how long ago a token expired and how long until it is valid', async () => {
    const expired = await tokengate(['inspect', '-'], {
      stdin: await issuer.mint({}, { expiresIn: -7200 }),
    });
    expect(expired.stdout).toContain('(expired 2 h ago)');
    const early = await tokengate(['inspect', await issuer.mint({}, { notBefore: 3600 })]);
    expect(early.stdout).toContain('(not valid for 60 min)');
  });

  it('shows the DPoP binding (cnf.jkt) and the certificate binding (cnf["x5t#S256"])', async () => {
    const key = await createDpopKey();
    const dpop = await tokengate([
      'inspect',
      `DPoP ${await issuer.mint({ cnf: { jkt: key.jkt } })}`,
    ]);
    expect(dpop.stdout).toContain(`Binding  DPoP key, cnf.jkt = ${key.jkt}`);
    expect(dpop.stdout).toContain('only accepted with a DPoP proof');
    expect(dpop.stdout).toMatch(/^Scheme +DPoP/m);
    const x5t = 'A'.repeat(43);
    const mtls = await tokengate(['inspect', await issuer.mint({ cnf: { 'x5t#S256': x5t } })]);
    expect(mtls.stdout).toContain(`Binding  client certificate (mTLS), cnf.x5t#S256 = ${x5t}`);
  });

  it('gives the same report as JSON with --json', async () => {
    const key = await createDpopKey();
    const out = await tokengate([
      'inspect',
      '--json',
      await issuer.mint({ scope: 'a b', cnf: { jkt: key.jkt } }),
    ]);
    const report = JSON.parse(out.stdout);
    expect(report).toMatchObject({
      verified: false,
      type: 'JWS',
      header: { alg: 'RS256', kid: 'rs256-1', typ: 'JWT' },
      claims: { sub: 'test-user', aud: 'api' },
      scopes: ['a', 'b'],
      binding: { kind: 'dpop', member: 'jkt', thumbprint: key.jkt },
      times: { exp: { relative: 'expires in 5 min' } },
    });
    expect(report.times.exp.utc).toMatch(/ UTC$/);
  });

  it('refuses what is not a token with one message and exit 2', async () => {
    for (const input of ['not-a-token', 'a.b', '%%%.%%%.%%%']) {
      const out = await tokengate(['inspect', input]);
      expect(out.status).toBe(2);
      expect(out.stderr).toMatch(/^tokengate: Not a JWT/);
      expect(out.stdout).toBe('');
      expectClean(out);
    }
    const empty = await tokengate(['inspect', '-'], { stdin: '  \n' });
    expect(empty.status).toBe(2);
    expect(empty.stderr).toBe('tokengate: No token: the input is empty\n');
  });
});

describe('a JWE (nested JWT)', () => {
  let jwe: string;
  let pem: string;

  beforeAll(async () => {
    const recipient = await generateKeyPair('RSA-OAEP-256', { extractable: true });
    const jwk = { ...(await exportJWK(recipient.publicKey)), kid: 'enc-1' };
    jwe = await encrypt(await issuer.mint({ scope: 'secret:things' }), {
      key: jwk,
      alg: 'RSA-OAEP-256',
    });
    pem = file('recipient.pem', await exportPKCS8(recipient.privateKey));
  });

  it('inspect shows the protected header, and says the payload needs the key', async () => {
    const out = await tokengate(['inspect', jwe]);
    expect(out.status).toBe(0);
    expect(out.stdout).toContain('Type     JWE (encrypted JWT)');
    expect(out.stdout).toContain('  alg  "RSA-OAEP-256"');
    expect(out.stdout).toContain('  enc  "A256GCM"');
    expect(out.stdout).toContain('  kid  "enc-1"');
    expect(out.stdout).toContain('give the recipient key with --decryption-key FILE');
    expect(out.stdout).not.toContain('secret:things');
  });

  it('inspect with the decryption key shows the nested JWS', async () => {
    const out = await tokengate(['inspect', '--decryption-key', pem, '--json', jwe]);
    expect(out.status).toBe(0);
    expect(JSON.parse(out.stdout)).toMatchObject({
      type: 'JWE',
      decrypted: true,
      header: { alg: 'RSA-OAEP-256', enc: 'A256GCM', cty: 'JWT' },
      payload: { type: 'JWS', header: { kid: 'rs256-1' }, scopes: ['secret:things'] },
    });
  });

  it('inspect with a key that does not decrypt it exits 2', async () => {
    const other = await generateKeyPair('RSA-OAEP-256', { extractable: true });
    const wrong = file('other.pem', await exportPKCS8(other.privateKey));
    const out = await tokengate(['inspect', '--decryption-key', wrong, jwe]);
    expect(out.status).toBe(2);
    expect(out.stderr).toMatch(
      /^tokengate: --decryption-key .*other\.pem: the JWE does not decrypt with this key/,
    );
    expectClean(out, jwe);
  });

  it('verify without a decryption key refuses it and says what is missing', async () => {
    const out = await verify(jwe);
    expect(out.status).toBe(1);
    expect(out.stdout).toMatch(/^REFUSED {2}ERR_TOKEN_MALFORMED$/m);
    expect(out.stdout).toContain('the token is a JWE (encrypted, alg RSA-OAEP-256, enc A256GCM)');
    expect(out.stdout).toContain('--decryption-key FILE');
    expectClean(out, jwe);
  });

  it('verify with the decryption key accepts it', async () => {
    const out = await verify(jwe, [...trust, '--decryption-key', pem]);
    expect(out.status).toBe(0);
    expect(out.stdout).toMatch(/^VALID/);
    expect(out.stdout).toMatch(/^Scopes +secret:things$/m);
  });
});
