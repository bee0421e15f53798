// RFC 6750 §3: every challenge carries at least one auth-param. The verifier's own errors and
// the request protocol's refusals both name a realm: the `realm` option, else DEFAULT_REALM.
import { describe, expect, it } from 'vitest';
import { challengeOptions, DEFAULT_REALM } from './challenge.js';
import { InsufficientScopeError, MissingTokenError, type TokengateError } from './errors.js';
import { createVerifier as createNodeVerifier } from './node/verifier.js';
import { createGate } from './protocol/gate.js';
import { compileRouteRules } from './protocol/rules.js';
import type { Refusal } from './protocol/view.js';
import { type Answer, exchange } from './test-support/exchange.js';
import { AUDIENCE, ISSUER, request, SECRET } from './test-support/tokens.js';
import { createVerifier } from './verifier.js';
import type { Verifier } from './verifier-types.js';

const options = { secret: SECRET, issuer: ISSUER, audience: AUDIENCE };
const SCOPE_CHALLENGE =
  'error="insufficient_scope", error_description="The token lacks the required scope", scope="read"';

const thrown = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.fail('expected a rejection'),
    (error: unknown) => error as TokengateError,
  );

const refusalOf = async (answer: Answer | Promise<Answer>): Promise<Refusal> => {
  const settled = await answer;
  if (settled.kind !== 'refuse') return expect.fail(`expected a refusal, got ${settled.kind}`);
  return settled.refusal;
};

describe('challengeOptions', () => {
  it('defaults the realm to "api" and keeps a configured one', () => {
    expect(DEFAULT_REALM).toBe('api');
    expect(challengeOptions({})).toEqual({ realm: 'api', resourceMetadata: undefined });
    expect(challengeOptions({ realm: 'orders', resourceMetadata: 'https://rs/' })).toEqual({
      realm: 'orders',
      resourceMetadata: 'https://rs/',
    });
    expect(challengeOptions({ realm: '' }).realm).toBe('');
  });
});

describe.each([
  ['web engine', createVerifier],
  ['node engine', createNodeVerifier],
])('the default realm (%s)', (_name, make) => {
  it("stamps it on the verifier's own errors when no realm is configured", async () => {
    const verifier = make(options);
    const missing = await thrown(verifier.authenticate(request()));
    expect(missing).toBeInstanceOf(MissingTokenError);
    expect(missing.wwwAuthenticate).toBe('Bearer realm="api"');
    const malformed = await thrown(verifier.verify('not-a-jwt'));
    expect(malformed.wwwAuthenticate).toBe(
      'Bearer realm="api", error="invalid_token", error_description="The token is malformed"',
    );
  });

  it("stamps it on the gate's refusals, guard refusals included", async () => {
    const gate = createGate(make(options));
    const missing = await refusalOf(gate.authenticate(exchange(request())));
    expect(missing.headers).toEqual({ 'WWW-Authenticate': 'Bearer realm="api"' });
    const rules = compileRouteRules({ scopes: 'read' }, 'test');
    const anonymous = await refusalOf(gate.authorize(exchange(request()), undefined, rules));
    expect(anonymous.headers).toEqual({ 'WWW-Authenticate': 'Bearer realm="api"' });
    const scope = gate.refusal(new InsufficientScopeError(['read']));
    expect(scope.headers).toEqual({ 'WWW-Authenticate': `Bearer realm="api", ${SCOPE_CHALLENGE}` });
  });

  it('gives way to the realm option, in the verifier and in the gate', async () => {
    const verifier = make({ ...options, realm: 'orders' });
    const missing = await thrown(verifier.authenticate(request()));
    expect(missing.wwwAuthenticate).toBe('Bearer realm="orders"');
    const refusal = await refusalOf(createGate(verifier).authenticate(exchange(request())));
    expect(refusal.headers).toEqual({ 'WWW-Authenticate': 'Bearer realm="orders"' });
  });

  it('comes before resource_metadata when only that is configured', async () => {
    const resourceMetadata = 'https://api.example/.well-known/oauth-protected-resource';
    const gate = createGate(make({ ...options, resourceMetadata }));
    const missing = await refusalOf(gate.authenticate(exchange(request())));
    expect(missing.headers).toEqual({
      'WWW-Authenticate': `Bearer realm="api", resource_metadata="${resourceMetadata}"`,
    });
  });
});

describe('a gate over a hand-made verifier without options', () => {
  const handMade = (error: TokengateError) =>
    createGate({
      authenticate: async () => Promise.reject(error),
    } as unknown as Verifier<unknown>);

  it('adds the default realm to an error that names none', async () => {
    const refusal = await refusalOf(
      handMade(new MissingTokenError()).authenticate(exchange(request())),
    );
    expect(refusal.headers).toEqual({ 'WWW-Authenticate': 'Bearer realm="api"' });
  });

  it('keeps the realm and resource_metadata an error carries', async () => {
    const error = new MissingTokenError();
    error.challengeOptions = { realm: 'own', resourceMetadata: 'https://rs/' };
    const refusal = await refusalOf(handMade(error).authenticate(exchange(request())));
    expect(refusal.headers).toEqual({
      'WWW-Authenticate': 'Bearer realm="own", resource_metadata="https://rs/"',
    });
  });
});
