// Property-based fuzzing of the token parser, the extractor, the verifier (both engines) and the
// DPoP proof checks. The same properties run bounded from a fixed seed in the test command
// (`*.fuzz.test.ts`) and long, from any seed, in `pnpm fuzz` (run.ts).
import fc from 'fast-check';
import { base64url } from 'jose';
import { TokengateError } from '../errors.js';
import { builtInToken, dpopToken, extractToken } from '../extract.js';
import { bufferSegmentDecoder } from '../node/decoder.js';
import { createVerifier as createNodeVerifier } from '../node/verifier.js';
import { checkCompact, joseSegmentDecoder, parseJws, type SegmentDecoder } from '../parse.js';
import { createDpopProofVerifier, type DpopProofVerifier } from '../sender/proof.js';
import {
  ALL,
  ASYM,
  AUDIENCE,
  HS,
  ISSUER,
  type Keys,
  makeKeys,
  prng,
  seg,
  signerFor,
  signJws,
} from '../test-support/differential.js';
import { athOf, type DpopKey, dpopKey, proof } from '../test-support/dpop.js';
import { request } from '../test-support/tokens.js';
import type { TokenRequest } from '../types.js';
import { createVerifier as createWebVerifier, type Verifier } from '../verifier.js';

/** One named property, checked with `fc.check` / `fc.assert`. */
export interface FuzzProperty {
  readonly name: string;
  // biome-ignore lint/suspicious/noExplicitAny: fast-check properties differ in their value tuple
  readonly property: fc.IRawProperty<any>;
}

/** A property violation: the message fast-check reports with the seed and the path. */
class Violation extends Error {}
function expectThat(condition: boolean, message: () => string): asserts condition {
  if (!condition) throw new Violation(message());
}

const show = (value: unknown) => {
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return text.length > 160 ? `${text.slice(0, 160)}…` : text;
};

/**
 * A refusal must be a typed tokengate error of a client problem: 400 or 401 with an error code.
 * Anything else (a raw jose / node:crypto error, a TypeError, a 5xx) breaks the property.
 */
function typedRefusal(error: unknown, input: unknown): TokengateError {
  expectThat(
    error instanceof TokengateError,
    () => `${show(input)} threw a non-tokengate error: ${String(error)}`,
  );
  expectThat(
    error.status === 400 || error.status === 401,
    () => `${show(input)} was refused with status ${error.status} (${error.code})`,
  );
  expectThat(
    typeof error.code === 'string' && error.code.startsWith('ERR_'),
    () => `${show(input)} was refused without an error code: ${String(error.code)}`,
  );
  return error;
}

type Verdict =
  | { ok: true; sub: unknown; scopes: string[] }
  | { ok: false; name: string; code: string; status: number; message: string };

async function verdict(verifier: Verifier, token: unknown): Promise<Verdict> {
  try {
    const auth = await verifier.verify(token as string);
    return { ok: true, sub: auth.claims.sub, scopes: [...auth.scopes].sort() };
  } catch (error) {
    const e = typedRefusal(error, token);
    return { ok: false, name: e.name, code: e.code, status: e.status, message: e.message };
  }
}

const sameVerdict = (a: Verdict, b: Verdict) => JSON.stringify(a) === JSON.stringify(b);

// ---------------------------------------------------------------------------------------------
// Generators

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
// Characters a mutation writes: the alphabet, its neighbours in other encodings, separators,
// whitespace, controls and non-ASCII.
const NOISE = [...B64URL, '.', '=', '+', '/', ' ', '\t', '\n', '\0', ',', '"', 'é', '\u{1F600}'];
const REGISTERED = new Set([
  ...['iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'jti', 'scope', 'scp', 'cnf', 'permissions'],
  ...['roles', 'client_id', 'azp', 'typ', 'act', '__proto__', 'constructor', 'prototype'],
]);

const jsonLeaf = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
);
const jsonValue = fc.oneof(
  { depthSize: 'small', withCrossShrink: true },
  jsonLeaf,
  fc.array(jsonLeaf, { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 6 }), jsonLeaf, { maxKeys: 3 }),
);
const extraClaims = fc.dictionary(
  fc.string({ minLength: 1, maxLength: 10 }).filter((k) => !REGISTERED.has(k)),
  jsonValue,
  { maxKeys: 4 },
);

/** What a valid token is made of: its algorithm, key choice, claims and `typ`. */
const baseSpec = fc.record({
  alg: fc.constantFrom(...ALL),
  keySeed: fc.nat(),
  sub: fc.string({ minLength: 1, maxLength: 20 }),
  scope: fc.subarray(['read', 'write', 'admin']),
  lifetime: fc.integer({ min: 60, max: 86_400 }),
  age: fc.integer({ min: 0, max: 50 }),
  typ: fc.constantFrom(undefined, 'JWT', 'at+jwt'),
  extra: extraClaims,
});
type BaseSpec = typeof baseSpec extends fc.Arbitrary<infer T> ? T : never;

const segmentIndex = fc.constantFrom(0, 1, 2);
/** One way of changing a valid token (never the identity: applied changes are checked). */
const mutationSpec = fc.oneof(
  fc.record({ kind: fc.constant('char'), at: fc.nat(), char: fc.constantFrom(...NOISE) }),
  fc.record({ kind: fc.constant('insert'), at: fc.nat(), text: fc.string({ minLength: 1 }) }),
  fc.record({ kind: fc.constant('truncate'), at: fc.nat() }),
  fc.record({
    kind: fc.constant('swap'),
    order: fc.constantFrom([0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]),
  }),
  fc.record({ kind: fc.constant('splice'), segment: segmentIndex, other: baseSpec }),
  fc.record({
    kind: fc.constant('pad'),
    segment: segmentIndex,
    pad: fc.constantFrom('=', '==', '==='),
  }),
  fc.record({ kind: fc.constant('alphabet'), segment: segmentIndex }),
  fc.record({
    kind: fc.constant('rejson'),
    segment: fc.constantFrom(0, 1),
    indent: fc.integer({ min: 0, max: 3 }),
    reverse: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('header'),
    name: fc.constantFrom('alg', 'kid', 'typ', 'crit', 'jku', 'jwk', 'b64', 'zip', 'x'),
    value: fc.oneof(jsonValue, fc.constantFrom('none', 'HS256', 'RS256', 'EdDSA', 'hs-1')),
  }),
  fc.record({
    kind: fc.constant('claim'),
    name: fc.constantFrom('iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'scope', 'cnf', 'x'),
    value: fc.option(jsonValue, { nil: undefined }),
  }),
  fc.record({ kind: fc.constant('foreign') }),
);
type MutationSpec = typeof mutationSpec extends fc.Arbitrary<infer T> ? T : never;

// ---------------------------------------------------------------------------------------------
// Fixture: keys, verifiers of both engines, DPoP keys

interface Engines {
  readonly web: Verifier;
  readonly node: Verifier;
}

/** Keys and verifiers the properties share; build once per process. */
export interface FuzzFixture {
  readonly keys: Keys;
  /** The same families and `kid`s, other key material: signatures nobody trusts. */
  readonly foreign: Keys;
  /** Shared secrets (HS*), JWK Set (asymmetric), and the same with the token cache. */
  readonly configs: readonly (readonly [string, Engines])[];
  readonly client: DpopKey;
  readonly otherClient: DpopKey;
  readonly proofs: DpopProofVerifier;
}

const both = (options: Parameters<typeof createWebVerifier>[0]): Engines => ({
  web: createWebVerifier(options),
  node: createNodeVerifier(options),
});

/**
 * Generate the fixture (key pairs are random; nothing a property checks depends on their bytes).
 *
 * @example
 * const fixture = await createFuzzFixture();
 */
export async function createFuzzFixture(): Promise<FuzzFixture> {
  const keys = await makeKeys(prng(1));
  const foreign = await makeKeys(prng(2));
  const secret = {
    secret: [{ kid: 'hs-1', secret: keys.secret1 }, keys.secret2],
    algorithms: HS,
    issuer: ISSUER,
    audience: AUDIENCE,
  };
  const jwks = {
    keys: { keys: [keys.rsa.jwk, keys.ec256.jwk, keys.ec384.jwk, keys.ec521.jwk, keys.ed.jwk] },
    algorithms: ASYM,
    issuer: ISSUER,
    audience: AUDIENCE,
  };
  return {
    keys,
    foreign,
    configs: [
      ['shared secrets', both(secret)],
      ['JWK Set', both(jwks)],
      ['JWK Set, token cache, typ allow-list', both({ ...jwks, cache: true, typ: ['at+jwt'] })],
      ['shared secrets, token cache', both({ ...secret, cache: { maxEntries: 16 } })],
      ['shared secrets, cookie and query', both({ ...secret, cookie: 'session', query: true })],
    ],
    client: await dpopKey('ES256'),
    otherClient: await dpopKey('EdDSA'),
    proofs: createDpopProofVerifier(),
  };
}

interface Base {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  token: string;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

function baseParts(spec: BaseSpec, keys: Keys) {
  const { key, kid } = signerFor(keys, spec.alg, prng(spec.keySeed));
  const header: Record<string, unknown> = { alg: spec.alg, ...(kid ? { kid } : {}) };
  if (spec.typ) header.typ = spec.typ;
  const iat = nowSeconds() - spec.age;
  const claims: Record<string, unknown> = {
    ...spec.extra,
    iss: ISSUER,
    aud: AUDIENCE,
    sub: spec.sub,
    iat,
    exp: iat + spec.lifetime,
  };
  if (spec.scope.length > 0) claims.scope = spec.scope.join(' ');
  return { header, claims, key };
}

async function makeBase(spec: BaseSpec, keys: Keys): Promise<Base> {
  const { header, claims, key } = baseParts(spec, keys);
  return { header, claims, token: await signJws(header, claims, key) };
}

/** The configurations that trust the algorithm's keys (the others refuse everything). */
function trusting(fixture: FuzzFixture, alg: string, typ: unknown) {
  return fixture.configs.filter(([name]) => {
    if (alg.startsWith('HS')) return name.startsWith('shared');
    return name === 'JWK Set' || (name.startsWith('JWK Set,') && typ === 'at+jwt');
  });
}

const dec = new TextDecoder();
const std = (segment: string) => segment.replace(/-/g, '+').replace(/_/g, '/');

function reorder(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).reverse());
}

/** Apply one mutation to a valid token; may return the token unchanged (the caller skips it). */
async function applyMutation(
  base: Base,
  spec: BaseSpec,
  m: MutationSpec,
  fixture: FuzzFixture,
): Promise<string> {
  const token = base.token;
  const parts = token.split('.') as [string, string, string];
  const withSegment = (i: number, text: string) =>
    parts.map((p, j) => (j === i ? text : p)).join('.');
  switch (m.kind) {
    case 'char': {
      const at = m.at % token.length;
      let char = m.char;
      if (token[at] === char) char = NOISE[(NOISE.indexOf(char) + 1) % NOISE.length] as string;
      return token.slice(0, at) + char + token.slice(at + 1);
    }
    case 'insert': {
      const at = m.at % (token.length + 1);
      return token.slice(0, at) + m.text + token.slice(at);
    }
    case 'truncate':
      return token.slice(0, m.at % token.length);
    case 'swap':
      return m.order.map((i) => parts[i]).join('.');
    case 'splice': {
      const other = await makeBase(m.other, fixture.keys);
      return withSegment(m.segment, other.token.split('.')[m.segment] as string);
    }
    case 'pad':
      return withSegment(m.segment, parts[m.segment] + m.pad);
    case 'alphabet': {
      const text = std(parts[m.segment] as string);
      // Unchanged when the segment has no `-` or `_`: then change the padding as well.
      return withSegment(m.segment, text === parts[m.segment] ? `${text}=` : text);
    }
    case 'rejson': {
      const value = JSON.parse(dec.decode(base64url.decode(parts[m.segment] as string)));
      const ordered = m.reverse ? reorder(value) : value;
      return withSegment(m.segment, seg(JSON.stringify(ordered, null, m.indent)));
    }
    case 'header': {
      const header = { ...base.header, [m.name]: m.value };
      return withSegment(0, seg(header));
    }
    case 'claim': {
      const claims = { ...base.claims, [m.name]: m.value };
      if (m.value === undefined) delete claims[m.name];
      return withSegment(1, seg(claims));
    }
    case 'foreign': {
      const { key } = signerFor(fixture.foreign, spec.alg, prng(spec.keySeed));
      return signJws(base.header, base.claims, key);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Parser

const ALGS_FOR_PARSER = ['HS256', 'RS256', 'ES256', 'EdDSA'];

function parseWith(decoder: SegmentDecoder, token: unknown) {
  try {
    checkCompact(token, 8192, false);
    return { ok: true as const, value: parseJws(token as string, ALGS_FOR_PARSER, decoder) };
  } catch (error) {
    const e = typedRefusal(error, token);
    return { ok: false as const, code: e.code, message: e.message };
  }
}

/** Strings near the token grammar: segments of the alphabet and noise, joined by dots. */
const tokenish = fc.oneof(
  fc.string(),
  fc
    .array(fc.string({ unit: fc.constantFrom(...NOISE) }), { minLength: 1, maxLength: 6 })
    .map((segments) => segments.join('.')),
  fc
    .tuple(jsonValue, jsonValue, fc.uint8Array({ maxLength: 70 }))
    .map(([h, p, s]) => `${seg(h)}.${seg(p)}.${base64url.encode(s)}`),
);

/** Properties of `checkCompact` + `parseJws` under both segment decoders. */
export function parserProperties(): FuzzProperty[] {
  const nodeDecoder: SegmentDecoder = bufferSegmentDecoder;
  return [
    {
      name: 'parser: valid tokens round-trip through parse and serialise',
      property: fc.property(
        fc.constantFrom(...ALGS_FOR_PARSER),
        fc.option(fc.string({ maxLength: 12 }), { nil: undefined }),
        extraClaims,
        fc.uint8Array({ minLength: 1, maxLength: 600 }),
        (alg, kid, claims, signature) => {
          const header = kid === undefined ? { alg } : { alg, kid };
          const token = `${seg(header)}.${seg(claims)}.${base64url.encode(signature)}`;
          for (const decoder of [joseSegmentDecoder, nodeDecoder]) {
            const parsed = parseWith(decoder, token);
            expectThat(parsed.ok, () => `${show(token)} did not parse`);
            const again = `${seg(parsed.value.header)}.${seg(parsed.value.claims)}.${base64url.encode(signature)}`;
            expectThat(again === token, () => `${show(token)} re-serialised as ${show(again)}`);
          }
        },
      ),
    },
    {
      name: 'parser: any input parses or is a typed 401, the same under both decoders',
      property: fc.property(tokenish, (token) => {
        const web = parseWith(joseSegmentDecoder, token);
        const node = parseWith(nodeDecoder, token);
        const a = JSON.stringify(web.ok ? web.value : web);
        const b = JSON.stringify(node.ok ? node.value : node);
        expectThat(a === b, () => `${show(token)}: jose decoder ${a}, node decoder ${b}`);
      }),
    },
    {
      name: 'parser: re-padded and re-encoded segments are refused',
      property: fc.property(
        extraClaims,
        segmentIndex,
        fc.constantFrom('pad', 'alphabet', 'space'),
        (claims, i, how) => {
          const parts = [seg({ alg: 'HS256' }), seg(claims), seg('signature-bytes?>~')];
          const part = parts[i] as string;
          const changed =
            how === 'pad' ? `${part}=` : how === 'space' ? ` ${part}` : `${std(part)}+/`;
          parts[i] = changed;
          const token = parts.join('.');
          for (const decoder of [joseSegmentDecoder, nodeDecoder]) {
            const parsed = parseWith(decoder, token);
            expectThat(!parsed.ok, () => `${show(token)} parsed`);
          }
        },
      ),
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// Extractor

const schemes = fc.constantFrom('Bearer', 'bearer', 'BEARER', 'bEaReR', 'DPoP', 'Basic', 'x');
const credential = fc.oneof(
  fc.string({ unit: fc.constantFrom(...NOISE, '~') }),
  fc.string(),
  fc.constant('eyJhbGciOiJIUzI1NiJ9.e30.c2ln'),
);
const headerLine = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('', ' ', '\t'),
      schemes,
      fc.constantFrom('', ' ', '  ', '\t'),
      credential,
      fc.constantFrom('', ' ', ','),
    )
    .map((parts) => parts.join('')),
  fc.string(),
);
const oneOrMany = <T>(arb: fc.Arbitrary<T>) =>
  fc.oneof(arb, fc.array(arb, { maxLength: 3 }), fc.constant(undefined));
const requestSpec = fc.record({
  authorization: oneOrMany(headerLine),
  cookie: fc.option(credential, { nil: undefined }),
  query: oneOrMany(credential),
  useCookie: fc.boolean(),
  useQuery: fc.boolean(),
});
type RequestSpec = typeof requestSpec extends fc.Arbitrary<infer T> ? T : never;

function requestOf(spec: RequestSpec): TokenRequest {
  const headers: Record<string, string | string[]> = {};
  if (spec.authorization !== undefined) headers.authorization = spec.authorization;
  const query: Record<string, string | string[]> = {};
  if (spec.query !== undefined) query.access_token = spec.query;
  return request(headers, spec.cookie === undefined ? {} : { session: spec.cookie }, query);
}

const extractOptions = (spec: RequestSpec) => ({
  ...(spec.useCookie ? { cookie: 'session' } : {}),
  query: spec.useQuery,
});

type Extracted = { ok: true; token: string | undefined } | { ok: false; code: string };

function extracted(run: () => string | undefined, input: unknown): Extracted {
  try {
    return { ok: true, token: run() };
  } catch (error) {
    return { ok: false, code: typedRefusal(error, input).code };
  }
}

const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/** Properties of the extraction step (header lines, cookie, query) and of `authenticate`. */
export function extractorProperties(fixture: FuzzFixture): FuzzProperty[] {
  return [
    {
      name: 'extractor: any request yields one RFC 6750 token, none, or a typed 400',
      property: fc.asyncProperty(requestSpec, async (spec) => {
        const req = requestOf(spec);
        const options = extractOptions(spec);
        const sync = extracted(() => builtInToken(req, options), spec);
        let viaPromise: Extracted;
        try {
          viaPromise = { ok: true, token: await extractToken(req, options) };
        } catch (error) {
          viaPromise = { ok: false, code: typedRefusal(error, spec).code };
        }
        expectThat(
          JSON.stringify(sync) === JSON.stringify(viaPromise),
          () =>
            `builtInToken ${JSON.stringify(sync)} but extractToken ${JSON.stringify(viaPromise)}`,
        );
        if (sync.ok && sync.token !== undefined) {
          const token = sync.token;
          const lines = [spec.authorization ?? []].flat();
          const sources = [...lines, spec.cookie ?? '', ...[spec.query ?? []].flat()];
          expectThat(
            sources.some((s) => s.includes(token)),
            () => `${show(token)} appears in no part of the request`,
          );
          // A token the header alone yields must follow the b64token grammar (RFC 6750 §2.1).
          const headers: Record<string, string | string[]> =
            spec.authorization === undefined ? {} : { authorization: spec.authorization };
          const alone = extracted(() => builtInToken(request(headers), {}), spec);
          const fromHeader = alone.ok && alone.token === token;
          expectThat(
            !fromHeader || B64TOKEN.test(token),
            () => `${show(token)} from the header is not a b64token`,
          );
        }
        const dpop = extracted(() => dpopToken(req, options), spec);
        if (dpop.ok && dpop.token !== undefined)
          expectThat(B64TOKEN.test(dpop.token), () => `DPoP token ${show(dpop.token)}`);
      }),
    },
    {
      name: 'extractor: "Bearer" in any case, any spacing, gives back the token exactly',
      property: fc.property(
        fc.string({ unit: fc.constantFrom(...B64URL, '.', '~', '+', '/'), minLength: 1 }),
        fc.constantFrom('', '=', '=='),
        fc.mixedCase(fc.constant('bearer')),
        fc.integer({ min: 1, max: 4 }),
        fc.constantFrom('', ' ', '\t', ' \t '),
        (body, padding, scheme, spaces, around) => {
          const token = body + padding;
          const line = `${around}${scheme}${' '.repeat(spaces)}${token}${around}`;
          const got = extracted(() => builtInToken(request({ authorization: line }), {}), line);
          expectThat(
            got.ok && got.token === token,
            () => `${show(line)} gave ${JSON.stringify(got)}`,
          );
        },
      ),
    },
    {
      name: 'authenticate: any request is a pass, no auth, or a typed 400/401, same on both engines',
      property: fc.asyncProperty(
        requestSpec,
        baseSpec,
        fc.boolean(),
        fc.constantFrom<[undefined, false, 'allow-missing', 'allow-invalid']>(
          undefined,
          false,
          'allow-missing',
          'allow-invalid',
        ),
        async (spec, base, real, optional) => {
          const options = optional === undefined ? undefined : { optional };
          // Sometimes put a real token where the generated request had a credential.
          if (real) {
            const { token } = await makeBase(base, fixture.keys);
            spec = { ...spec, authorization: `Bearer ${token}` };
          }
          const req = requestOf(spec);
          for (const [name, engines] of fixture.configs) {
            const outcomes = [];
            for (const verifier of [engines.web, engines.node]) {
              try {
                const auth = await verifier.authenticate(req, options);
                outcomes.push({ ok: true, sub: auth?.claims.sub });
              } catch (error) {
                const e = typedRefusal(error, spec);
                outcomes.push({ ok: false, code: e.code, status: e.status, message: e.message });
              }
            }
            const [a, b] = outcomes.map((o) => JSON.stringify(o));
            expectThat(a === b, () => `${name}: web ${a}, node ${b}`);
          }
        },
      ),
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// Verifier

/** Properties of `verify` on both engines: valid tokens pass, mutations never do. */
export function verifierProperties(fixture: FuzzFixture): FuzzProperty[] {
  return [
    {
      name: 'verifier: a mutated token is never accepted, and both engines refuse it alike',
      property: fc.asyncProperty(baseSpec, mutationSpec, async (spec, mutation) => {
        const base = await makeBase(spec, fixture.keys);
        const token = await applyMutation(base, spec, mutation, fixture);
        fc.pre(token !== base.token);
        for (const [name, engines] of fixture.configs) {
          const web = await verdict(engines.web, token);
          const node = await verdict(engines.node, token);
          expectThat(!web.ok, () => `${name} (web) accepted ${mutation.kind}: ${show(token)}`);
          expectThat(
            sameVerdict(web, node),
            () => `${name}: web ${JSON.stringify(web)}, node ${JSON.stringify(node)}`,
          );
        }
      }),
    },
    {
      name: 'verifier: a valid token passes where its key is trusted, on both engines',
      property: fc.asyncProperty(baseSpec, async (spec) => {
        const base = await makeBase(spec, fixture.keys);
        const trusted = trusting(fixture, spec.alg, spec.typ);
        for (const [name, engines] of fixture.configs) {
          const web = await verdict(engines.web, base.token);
          const node = await verdict(engines.node, base.token);
          expectThat(
            web.ok === trusted.some(([n]) => n === name),
            () => `${name} (web) gave ${JSON.stringify(web)} for ${show(base.token)}`,
          );
          expectThat(
            sameVerdict(web, node),
            () => `${name}: web ${JSON.stringify(web)}, node ${JSON.stringify(node)}`,
          );
        }
      }),
    },
    {
      name: 'verifier: re-signed with changed claims or header, both engines agree',
      property: fc.asyncProperty(
        baseSpec,
        fc.dictionary(
          fc.constantFrom('iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'scope', 'jti', 'cnf'),
          fc.oneof(
            jsonValue,
            fc.integer({ min: -100_000, max: 100_000 }).map((d) => nowSeconds() + d),
            fc.constantFrom(ISSUER, AUDIENCE, [AUDIENCE, 'x']),
          ),
          { maxKeys: 3 },
        ),
        fc.dictionary(fc.constantFrom('typ', 'cty', 'kid', 'crit', 'x5c', 'b64'), jsonValue, {
          maxKeys: 2,
        }),
        async (spec, claimChanges, headerChanges) => {
          const { header, claims, key } = baseParts(spec, fixture.keys);
          let token: string;
          try {
            token = await signJws(
              { ...header, ...headerChanges },
              { ...claims, ...claimChanges },
              key,
            );
          } catch {
            // jose will not sign some headers (a malformed `crit`): nothing to verify.
            fc.pre(false);
            return;
          }
          for (const [name, engines] of fixture.configs) {
            const web = await verdict(engines.web, token);
            const node = await verdict(engines.node, token);
            expectThat(
              sameVerdict(web, node),
              () => `${name}: web ${JSON.stringify(web)}, node ${JSON.stringify(node)}`,
            );
          }
        },
      ),
    },
    {
      name: 'verifier: arbitrary input is a typed 401 on both engines',
      property: fc.asyncProperty(
        fc.oneof(tokenish, fc.anything({ maxDepth: 1 })),
        async (token) => {
          for (const [name, engines] of fixture.configs) {
            const web = await verdict(engines.web, token);
            const node = await verdict(engines.node, token);
            expectThat(!web.ok, () => `${name} accepted ${show(token)}`);
            expectThat(
              sameVerdict(web, node),
              () => `${name}: web ${JSON.stringify(web)}, node ${JSON.stringify(node)}`,
            );
          }
        },
      ),
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// DPoP proofs

const TARGET = 'https://api.example.com/things';

const proofMutation = fc.oneof(
  fc.record({ kind: fc.constant('char'), at: fc.nat(), char: fc.constantFrom(...NOISE) }),
  fc.record({ kind: fc.constant('truncate'), at: fc.nat() }),
  fc.record({ kind: fc.constant('pad'), segment: segmentIndex }),
  fc.record({
    kind: fc.constant('claim'),
    name: fc.constantFrom('htm', 'htu', 'iat', 'jti', 'ath', 'nonce', 'x'),
    value: fc.option(jsonValue, { nil: undefined }),
  }),
  fc.record({
    kind: fc.constant('header'),
    name: fc.constantFrom('typ', 'alg', 'jwk', 'kid', 'crit', 'x5c'),
    value: jsonValue,
  }),
  fc.record({ kind: fc.constant('other key, same jwk') }),
  fc.record({ kind: fc.constant('other jwk, signature kept') }),
  fc.record({
    kind: fc.constant('wrong request'),
    htm: fc.constantFrom('GET', 'post', 'PUT', undefined),
    htu: fc.constantFrom(
      `${TARGET}/`,
      'https://api.example.com/other',
      'http://api.example.com/things',
      undefined,
    ),
    iat: fc.constantFrom(-3600, 3600, undefined),
    ath: fc.boolean(),
  }),
);

/** Properties of `createDpopProofVerifier().verify`. */
export function dpopProperties(fixture: FuzzFixture): FuzzProperty[] {
  const accessToken = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
  const input = (proofValue: unknown) => ({
    proof: proofValue as string,
    method: 'POST',
    uri: TARGET,
    accessToken,
  });
  const outcome = async (proofValue: unknown) => {
    try {
      await fixture.proofs.verify(input(proofValue));
      return { ok: true as const };
    } catch (error) {
      return { ok: false as const, code: typedRefusal(error, proofValue).code };
    }
  };
  return [
    {
      name: 'dpop: a valid proof passes once, its replay and every mutation are typed 401s',
      property: fc.asyncProperty(proofMutation, async (m) => {
        const ath = await athOf(accessToken);
        const valid = await proof(fixture.client, { htm: 'POST', htu: TARGET, ath });
        const parts = valid.split('.') as [string, string, string];
        const header = JSON.parse(dec.decode(base64url.decode(parts[0])));
        const claims = JSON.parse(dec.decode(base64url.decode(parts[1])));
        let changed: string;
        switch (m.kind) {
          case 'char': {
            const at = m.at % valid.length;
            let char = m.char;
            if (valid[at] === char)
              char = NOISE[(NOISE.indexOf(char) + 1) % NOISE.length] as string;
            changed = valid.slice(0, at) + char + valid.slice(at + 1);
            break;
          }
          case 'truncate':
            changed = valid.slice(0, m.at % valid.length);
            break;
          case 'pad':
            changed = parts.map((p, i) => (i === m.segment ? `${p}=` : p)).join('.');
            break;
          case 'claim': {
            const next = { ...claims, [m.name]: m.value };
            if (m.value === undefined) delete next[m.name];
            changed = `${parts[0]}.${seg(next)}.${parts[2]}`;
            break;
          }
          case 'header':
            changed = `${seg({ ...header, [m.name]: m.value })}.${parts[1]}.${parts[2]}`;
            break;
          case 'other key, same jwk': {
            const other = { ...fixture.otherClient, jwk: fixture.client.jwk };
            changed = await proof(other, {
              htm: 'POST',
              htu: TARGET,
              ath,
              header: { alg: 'EdDSA' },
            });
            break;
          }
          case 'other jwk, signature kept':
            changed = `${seg({ ...header, jwk: fixture.otherClient.jwk })}.${parts[1]}.${parts[2]}`;
            break;
          case 'wrong request': {
            fc.pre(m.htm !== undefined || m.htu !== undefined || m.iat !== undefined || !m.ath);
            changed = await proof(fixture.client, {
              htm: m.htm ?? 'POST',
              htu: m.htu ?? TARGET,
              ath: m.ath ? ath : await athOf(`${accessToken}x`),
              ...(m.iat === undefined ? {} : { iat: nowSeconds() + m.iat }),
            });
            break;
          }
        }
        fc.pre(changed !== valid);
        const refused = await outcome(changed);
        expectThat(!refused.ok, () => `${m.kind}: accepted ${show(changed)}`);
        const first = await outcome(valid);
        expectThat(first.ok, () => `the valid proof was refused: ${JSON.stringify(first)}`);
        const replay = await outcome(valid);
        expectThat(
          !replay.ok && replay.code === 'ERR_DPOP_PROOF_REPLAYED',
          () => `a replayed proof gave ${JSON.stringify(replay)}`,
        );
      }),
    },
    {
      name: 'dpop: any DPoP header value is a typed 401',
      property: fc.asyncProperty(
        // What a header can hold: one line, several, or none (non-strings: dpop.fuzz.test.ts).
        fc.oneof(tokenish, fc.array(tokenish, { maxLength: 3 }), fc.constant(undefined)),
        async (value) => {
          const result = await outcome(value);
          expectThat(!result.ok, () => `accepted ${show(value)}`);
        },
      ),
    },
  ];
}

/** Seed of the test command's bounded run. */
export const TEST_SEED = 20261206;

/**
 * Every property, by area, for the runner.
 *
 * @example
 * for (const { name, property } of allProperties(await createFuzzFixture())) fc.check(property);
 */
export function allProperties(fixture: FuzzFixture): FuzzProperty[] {
  return [
    ...parserProperties(),
    ...extractorProperties(fixture),
    ...verifierProperties(fixture),
    ...dpopProperties(fixture),
  ];
}
