import { createVerifier as createWebVerifier, type VerifierOptions } from '@tokengate/core';
import { createGate, type Exchange } from '@tokengate/core/adapter';
import { importJWK, jwtVerify } from 'jose';
import { benchExchange } from '../inproc/exchange.js';
import type { TokenClaimsConfig } from '../tokens.js';
import {
  createSubtleCheck,
  createWebFloorVerifier,
  decodeBase64url,
  splitWebToken,
  type WebSignedParts,
} from './web-floor.js';
import type { SuiteCase, SuiteReply, SuiteRequest, WireFixture } from './wire.js';

/** A ready-to-time verification: `prepare` runs before timing, `run` is what is timed. */
export interface SuiteRunner {
  prepare(token: string): unknown;
  run(input: unknown): unknown;
}

/** One verifier under test in another runtime. */
export interface SuiteContender {
  id: string;
  label: string;
  /** Holds a verified-token cache (filled with every token before the distinct-token run). */
  cached?: boolean;
  build(
    fixture: WireFixture,
    claims: TokenClaimsConfig,
    cacheEntries: number,
  ): Promise<SuiteRunner>;
}

const asToken = (token: string) => token;

/**
 * A tokengate build's `createVerifier` timed through the request protocol, as the adapters
 * run it (the same path as the Node bench's "tokengate core" rows).
 *
 * @example
 * const web = tokengateContender('web', 'tokengate Web build', createVerifier, false);
 */
export function tokengateContender(
  id: string,
  build: string,
  createVerifier: (options: VerifierOptions) => ReturnType<typeof createWebVerifier>,
  cache: boolean,
): SuiteContender {
  return {
    id: cache ? `${id}-cache` : id,
    label: `tokengate ${build} (cache ${cache ? 'on' : 'off'})`,
    cached: cache,
    async build(fixture, claims, cacheEntries) {
      const keys = fixture.secret
        ? { secret: decodeBase64url(fixture.secret) }
        : { keys: fixture.publicJwk! as VerifierOptions['keys'] };
      const verifier = createVerifier({
        ...keys,
        issuer: claims.issuer,
        audience: claims.audience,
        algorithms: [fixture.alg],
        cache: cache ? { maxEntries: cacheEntries } : false,
      } as VerifierOptions);
      const gate = createGate(verifier);
      return {
        prepare: (token) => benchExchange(token),
        run: (exchange) => gate.authenticate(exchange as Exchange<unknown>),
      };
    },
  };
}

/** The verifiers every runtime runs, Web APIs only, in table order. */
export const WEB_CONTENDERS: readonly SuiteContender[] = [
  tokengateContender('web', 'Web build', createWebVerifier, false),
  tokengateContender('web', 'Web build', createWebVerifier, true),
  {
    id: 'jose',
    label: 'jose jwtVerify (key imported once)',
    async build(fixture, claims) {
      const key = fixture.secret
        ? await importJWK({ kty: 'oct', k: fixture.secret }, fixture.alg)
        : await importJWK(fixture.publicJwk!, fixture.alg);
      const options = {
        issuer: claims.issuer,
        audience: claims.audience,
        algorithms: [fixture.alg],
      };
      return { prepare: asToken, run: (token) => jwtVerify(token as string, key, options) };
    },
  },
  {
    id: 'web-floor',
    label: 'floor: base64url+JSON+subtle.verify+claims',
    async build(fixture, claims) {
      const verify = await createWebFloorVerifier(fixture, claims);
      return { prepare: asToken, run: (token) => verify(token as string) };
    },
  },
  {
    id: 'subtle',
    label: 'crypto.subtle.verify alone (token pre-split)',
    async build(fixture) {
      const check = await createSubtleCheck(fixture);
      return { prepare: splitWebToken, run: (parts) => check(parts as WebSignedParts) };
    },
  },
];

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof (value as { then?: unknown } | null)?.then === 'function';

interface ReadyCase {
  runner: SuiteRunner;
  one: unknown[];
  distinct: unknown[];
  position: number;
}

async function refuses(runner: SuiteRunner, token: string): Promise<boolean> {
  try {
    await runner.run(runner.prepare(token));
    return false;
  } catch {
    return true;
  }
}

/**
 * The runtime side of the cross-runtime bench: answers the host's `setup`, `prime` and `run`
 * messages. `setup` builds every contender on every fixture and gates it (the valid token
 * passes, the forged one is refused); `run` verifies `iterations` tokens one after another,
 * awaiting only when a verifier returns a promise. The host times the `run` messages.
 *
 * @example
 * const handle = createSuiteHandler(); const { cases } = await handle({ op: 'setup', input });
 */
export function createSuiteHandler(
  contenders: readonly SuiteContender[] = WEB_CONTENDERS,
): (request: SuiteRequest) => Promise<SuiteReply> {
  const ready = new Map<string, ReadyCase>();

  async function setup(request: Extract<SuiteRequest, { op: 'setup' }>): Promise<SuiteCase[]> {
    const { claims, fixtures, cacheEntries } = request.input;
    ready.clear();
    const cases: SuiteCase[] = [];
    for (const fixture of fixtures) {
      for (const contender of contenders) {
        const base = { contender: contender.id, label: contender.label, alg: fixture.alg };
        const entry = { ...base, cached: contender.cached === true };
        let runner: SuiteRunner;
        try {
          runner = await contender.build(fixture, claims, cacheEntries);
          await runner.run(runner.prepare(fixture.one));
        } catch (error) {
          cases.push({ ...entry, note: `refused a valid token: ${(error as Error).message}` });
          continue;
        }
        if (!(await refuses(runner, fixture.forged))) {
          cases.push({ ...entry, note: 'accepted a forged token' });
          continue;
        }
        const one = [runner.prepare(fixture.one)];
        const distinct = fixture.tokens.map((token) => runner.prepare(token));
        ready.set(`${contender.id}/${fixture.alg}`, { runner, one, distinct, position: 0 });
        cases.push(entry);
      }
    }
    return cases;
  }

  function find(contender: string, alg: string): ReadyCase {
    const found = ready.get(`${contender}/${alg}`);
    if (!found) throw new Error(`no ready case ${contender}/${alg}`);
    return found;
  }

  async function run(c: ReadyCase, inputs: readonly unknown[], iterations: number) {
    const n = inputs.length;
    let position = c.position % n;
    for (let i = 0; i < iterations; i++) {
      const result = c.runner.run(inputs[position]);
      if (isThenable(result)) await result;
      position = position + 1 === n ? 0 : position + 1;
    }
    c.position = position;
  }

  return async (request) => {
    try {
      switch (request.op) {
        case 'setup':
          return { cases: await setup(request) };
        case 'prime': {
          // A cache sized for every user is measured full: its steady state, not its first pass.
          const c = find(request.contender, request.alg);
          await run(c, c.distinct, c.distinct.length);
          return {};
        }
        case 'run': {
          const c = find(request.contender, request.alg);
          await run(c, request.mode === 'one' ? c.one : c.distinct, request.iterations);
          return {};
        }
        default:
          return { error: `unknown op ${(request as { op?: unknown }).op}` };
      }
    } catch (error) {
      return { error: (error as Error).message ?? String(error) };
    }
  };
}
