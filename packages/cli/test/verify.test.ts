// `tokengate verify` against a loopback test issuer: the verdict of core's verifier, each
// refusal class with its explanation, the option sources and the exit status of each outcome.
import { createDpopKey } from '@tokengate/testing';
import { describe, expect, it } from 'vitest';
import { tokengate } from './bin.js';
import { expectClean } from './fixture.js';
import { file, issuer, trust, useCli, verify } from './setup.js';

useCli();

describe('tokengate verify', () => {
  it('accepts a valid token with exit 0', async () => {
    const token = await issuer.mint({ scope: 'read:things' });
    const out = await verify(token);
    expect(out.status).toBe(0);
    expect(out.stdout).toMatch(/^VALID {2}the verifier accepts this token with these options$/m);
    expect(out.stdout).toMatch(/^ {2}sub +test-user$/m);
    expectClean(out, token);
  });

  it('refuses an expired token: code, step, and when it expired', async () => {
    const token = await issuer.mint({}, { expiresIn: -7200 });
    const out = await verify(token);
    expect(out.status).toBe(1);
    expect(out.stdout).toMatch(/^REFUSED {2}ERR_TOKEN_EXPIRED$/m);
    expect(out.stdout).toMatch(/^ {2}Step +time claims/m);
    expect(out.stdout).toMatch(/^ {2}Found +exp \d{4}-.* UTC: expired 2 h ago$/m);
    expect(out.stdout).toContain('Client sees  401 invalid_token: "The token has expired"');
    expectClean(out, token);
  });

  it('refuses a token that is not yet valid, saying for how long', async () => {
    const out = await verify(await issuer.mint({}, { notBefore: 3600 }));
    expect(out.status).toBe(1);
    expect(out.stdout).toMatch(/^REFUSED {2}ERR_TOKEN_NOT_YET_VALID$/m);
    expect(out.stdout).toMatch(/^ {2}Found +nbf .* UTC: not valid for 60 min$/m);
  });

  it('refuses another audience: "audience is [a, b]; the verifier expects api"', async () => {
    const out = await verify(await issuer.mint({ aud: ['a', 'b'] }));
    expect(out.status).toBe(1);
    expect(out.stdout).toMatch(/^REFUSED {2}ERR_CLAIM_INVALID \(claim aud\)$/m);
    expect(out.stdout).toMatch(/^ {2}Step +audience/m);
    expect(out.stdout).toMatch(/^ {2}Found +audience is \[a, b\]$/m);
    expect(out.stdout).toMatch(/^ {2}Needed +the verifier expects api$/m);
  });

  it('refuses another issuer, naming the trusted one', async () => {
    const out = await verify(await issuer.mint({ iss: 'https://evil.example/' }), [
      ...trust.slice(0, 2),
      '--issuer',
      'https://id.example/',
      ...trust.slice(2),
    ]);
    expect(out.status).toBe(1);
    expect(out.stdout).toMatch(/^REFUSED {2}ERR_CLAIM_INVALID \(claim iss\)$/m);
    expect(out.stdout).toMatch(/^ {2}Step +issuer \(checked before any key is fetched/m);
    expect(out.stdout).toMatch(/^ {2}Found +issuer is https:\/\/evil\.example\/$/m);
    expect(out.stdout).toContain(
      `the verifier trusts one of [${issuer.issuer}, https://id.example/]`,
    );
  });

  it('refuses a bad signature at the signature step, naming the key', async () => {
    const out = await verify(await issuer.mint({}, { key: 'stranger' }));
    expect(out.status).toBe(1);
    expect(out.stdout).toMatch(/^REFUSED {2}ERR_SIGNATURE_INVALID$/m);
    expect(out.stdout).toMatch(/^ {2}Step +signature$/m);
    expect(out.stdout).toContain(
      `the signature does not verify with key rs256-1 of the JWK Set at ${issuer.jwksUri} (keys: rs256-1, es256-1, eddsa-1)`,
    );
  });

  it('refuses an unknown kid: "kid … not in the JWK Set at URL (keys: …); fetched now"', async () => {
    const out = await verify(await issuer.mint({}, { key: 'unknown' }));
    expect(out.status).toBe(1);
    expect(out.stdout).toMatch(/^ {2}Step +key lookup/m);
    expect(out.stdout).toMatch(
      new RegExp(
        `Found +kid unknown-rs256 not in the JWK Set at ${issuer.jwksUri.replace(/[.]/g, '\\.')} \\(keys: rs256-1, es256-1, eddsa-1\\); fetched now, .* UTC$`,
        'm',
      ),
    );
  });

  it('refuses an algorithm off the allow-list, with the list', async () => {
    const out = await verify(await issuer.mint(), [...trust, '--algorithms', 'ES256,EdDSA']);
    expect(out.status).toBe(1);
    expect(out.stdout).toMatch(/^REFUSED {2}ERR_ALGORITHM_UNSUPPORTED$/m);
    expect(out.stdout).toMatch(/^ {2}Found +alg is RS256$/m);
    expect(out.stdout).toMatch(/^ {2}Needed +the verifier accepts ES256, EdDSA$/m);
    const hs = await verify(await issuer.mint({}, { alg: 'HS256' }));
    expect(hs.stdout).toMatch(/^ {2}Found +alg is HS256$/m);
    expect(hs.stdout).toContain("not on the verifier's default list for this key source");
  });

  it('refuses another typ and a missing required claim, saying what the verifier wants', async () => {
    const typ = await verify(await issuer.mint(), [
      ...trust,
      '--typ',
      'at+jwt',
      '--typ',
      'dpop+jwt',
    ]);
    expect(typ.status).toBe(1);
    expect(typ.stdout).toMatch(/^REFUSED {2}ERR_CLAIM_INVALID \(claim typ\)$/m);
    expect(typ.stdout).toMatch(/^ {2}Found +typ is JWT$/m);
    expect(typ.stdout).toMatch(/^ {2}Needed +the verifier accepts one of \[at\+jwt, dpop\+jwt\]$/m);
    const claim = await verify(await issuer.mint(), [...trust, '--require-claim', 'client_id']);
    expect(claim.stdout).toMatch(/^ {2}Found +the token has no client_id claim$/m);
    expect(claim.stdout).toMatch(/^ {2}Needed +a client_id claim: the verifier requires it/m);
  });

  it('refuses a malformed token at the syntax step', async () => {
    const out = await verify('eyJhbGciOiJSUzI1NiJ9.e30.a+b');
    expect(out.status).toBe(1);
    expect(out.stdout).toMatch(/^REFUSED {2}ERR_TOKEN_MALFORMED$/m);
    expect(out.stdout).toMatch(/^ {2}Step +syntax/m);
    expect(out.stdout).toContain('a compact JWS (three base64url segments');
    const short = await verify('a.b');
    expect(short.status).toBe(1);
    expect(short.stdout).toMatch(
      /^ {2}Found +The token is malformed: Not a JWT: .* this one has 2$/m,
    );
  });

  it('refuses a DPoP-bound token: it needs its proof and an API that runs with dpop', async () => {
    const key = await createDpopKey();
    const token = await issuer.mint({ cnf: { jkt: key.jkt } });
    const out = await verify(`Bearer ${token}`);
    expect(out.status).toBe(1);
    expect(out.stdout).toMatch(/^REFUSED {2}ERR_TOKEN_BINDING$/m);
    expect(out.stdout).toMatch(
      /^ {2}Step +sender binding \(the signature and the claims passed\)$/m,
    );
    expect(out.stdout).toContain(`the token is bound to a DPoP key: cnf.jkt = ${key.jkt}`);
    expect(out.stdout).toContain('by an API that runs with the `dpop` option');
    expect(out.stdout).toContain('It was pasted as a Bearer token');
    expectClean(out, token);
  });

  it('checks the scopes a route requires (--scope) after a valid verification', async () => {
    const out = await verify(await issuer.mint({ scope: 'read:things' }), [
      ...trust,
      '--scope',
      'write:things',
      '--json',
    ]);
    expect(out.status).toBe(1);
    expect(JSON.parse(out.stdout)).toEqual({
      valid: false,
      code: 'ERR_INSUFFICIENT_SCOPE',
      status: 403,
      error: 'insufficient_scope',
      claim: null,
      step: 'route scopes (after a valid verification)',
      found: 'scopes are [read:things]',
      expected: 'the route requires write:things (--scope)',
      message: 'The token lacks the required scope',
    });
  });

  it('finds the keys through OIDC discovery from the issuer', async () => {
    const out = await verify(await issuer.mint(), [
      '--issuer',
      issuer.issuer,
      '--audience',
      'api',
      '--discovery',
    ]);
    expect(out.status).toBe(0);
    expect(out.stdout).toMatch(/^VALID/);
  });

  it('reads an HS secret from the variable --secret-env names', async () => {
    const args = ['--issuer', issuer.issuer, '--audience', 'api', '--secret-env', 'JWT_SECRET'];
    const token = await issuer.mint({}, { alg: 'HS256' });
    expect((await verify(token, args, { JWT_SECRET: issuer.secret })).status).toBe(0);
    const wrong = await verify(token, args, { JWT_SECRET: `not-${issuer.secret}` });
    expect(wrong.status).toBe(1);
    expect(wrong.stdout).toContain('the signature does not verify with the secret');
    expectClean(wrong, issuer.secret);
    const unset = await verify(token, args);
    expect(unset.status).toBe(2);
    expect(unset.stderr).toBe('tokengate: --secret-env JWT_SECRET: the variable is not set\n');
  });

  it('never takes a secret on the command line, and does not echo it', async () => {
    const out = await tokengate(['verify', '--secret', 'hunter2-hunter2-hunter2-hunter2', 'x.y.z']);
    expect(out.status).toBe(2);
    expect(out.stderr).toContain('A secret is never read from the command line');
    expect(out.stderr + out.stdout).not.toContain('hunter2');
  });

  it('takes the options from a JSON config file, and refuses a secret in it', async () => {
    const config = file(
      'tokengate.json',
      JSON.stringify({ issuer: issuer.issuer, audience: ['api'], jwksUri: issuer.jwksUri }),
    );
    expect((await verify(await issuer.mint(), ['--config', config])).status).toBe(0);
    const leaky = file(
      'leaky.json',
      JSON.stringify({ issuer: issuer.issuer, secret: 's'.repeat(32) }),
    );
    const out = await verify(await issuer.mint(), ['--config', leaky]);
    expect(out.status).toBe(2);
    expect(out.stderr).toContain('a secret is not read from a config file');
    const typo = file('typo.json', JSON.stringify({ aud: 'api' }));
    expect((await verify(await issuer.mint(), ['--config', typo])).stderr).toContain(
      'unknown key "aud"',
    );
  });

  it('takes the options from TOKENGATE_* variables and an --env-file, flags winning', async () => {
    const envFile = file(
      '.env',
      `TOKENGATE_ISSUER=${issuer.issuer}\nTOKENGATE_JWKS_URI=${issuer.jwksUri}\nTOKENGATE_AUDIENCE=other\n`,
    );
    const token = await issuer.mint();
    expect((await verify(token, ['--env-file', envFile, '--audience', 'api'])).status).toBe(0);
    const refused = await verify(token, ['--env-file', envFile]);
    expect(refused.stdout).toMatch(/^ {2}Needed +the verifier expects other$/m);
    const fromEnv = await verify(token, [], {
      TOKENGATE_ISSUER: issuer.issuer,
      TOKENGATE_AUDIENCE: 'api',
      TOKENGATE_JWKS_URI: issuer.jwksUri,
    });
    expect(fromEnv.status).toBe(0);
  });

  it("exits 2 with core's message for options the verifier refuses", async () => {
    const out = await verify(await issuer.mint(), [
      '--audience',
      'api',
      '--jwks-uri',
      issuer.jwksUri,
    ]);
    expect(out.status).toBe(2);
    expect(out.stderr).toMatch(
      /^tokengate: The verifier refuses these options: "issuer" is required.*\(set with --issuer \(or --any-issuer\)\)$/m,
    );
    const http = await verify(await issuer.mint(), [
      ...trust.slice(0, 4),
      '--jwks-uri',
      'http://id.example.com/jwks.json',
    ]);
    expect(http.status).toBe(2);
    expect(http.stderr).toMatch(
      /jwksUri must use https:.*\(set with --jwks-uri, --allow-insecure-http\)$/m,
    );
  });

  it('exits 2 when the key source fails, with the cause', async () => {
    const out = await verify(await issuer.mint(), [
      '--issuer',
      issuer.issuer,
      '--audience',
      'api',
      '--jwks-uri',
      `${issuer.url}/nope.json`,
    ]);
    expect(out.status).toBe(2);
    expect(out.stderr).toBe(
      `tokengate: The key source failed: unexpected HTTP status 404 (${issuer.url}/nope.json)\n`,
    );
  });

  it('gives the verdict as JSON with --json', async () => {
    const out = await verify(await issuer.mint({ scope: 'read' }), [...trust, '--json']);
    expect(out.status).toBe(0);
    expect(JSON.parse(out.stdout)).toMatchObject({
      valid: true,
      claims: { sub: 'test-user' },
      scopes: ['read'],
    });
    const refused = JSON.parse(
      (await verify(await issuer.mint({ aud: 'web' }), [...trust, '--json'])).stdout,
    );
    expect(refused).toMatchObject({
      valid: false,
      code: 'ERR_CLAIM_INVALID',
      claim: 'aud',
      found: 'audience is web',
      expected: 'the verifier expects api',
    });
  });
});
