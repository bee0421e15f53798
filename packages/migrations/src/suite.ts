import type { TestIssuer } from '@tokengate/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Answer,
  ask,
  type Case,
  guideBlocks,
  guideIssuer,
  type RunningApp,
  startBlock,
} from './harness.js';

/** One before/after pair of a guide: which blocks, how they are keyed and what they answer. */
export interface Migration {
  /** Names the pair in the test output, e.g. `'express-jwt → @tokengate/express'`. */
  name: string;
  /** 1-based positions of the "before" and "after" ts blocks in the guide. */
  before: number;
  after: number;
  /** The protected route both apps serve. */
  path: string;
  /** HS256 with this secret, set as `process.env.JWT_SECRET` before the blocks run; else RS256 from the JWKS. */
  secret?: string;
  /** A route both apps protect with a scope (method, path, scope), when the peer has scopes. */
  scoped?: { method: string; path: string; scope: string };
  /** The status both apps answer, per request; `{ before, after }` where they differ. */
  statuses: Partial<Record<Case, number | { before: number; after: number }>>;
  /** Where the answers differ beyond the status: checked on every refusal of each app. */
  challenge: {
    before: (answer: Answer, request: Case) => void;
    after: (answer: Answer, request: Case) => void;
  };
  /** Further differences the guide documents, checked on the running pair. */
  differences?: Record<string, (pair: RunningPair) => Promise<void>>;
}

/** A guide's before and after apps, running, and the issuer and tokens they are given. */
export interface RunningPair {
  before: RunningApp;
  after: RunningApp;
  issuer: TestIssuer;
  tokens: Record<Case, string | undefined>;
}

const INVALID: Case[] = ['expired', 'wrong audience', 'wrong issuer', 'bad signature'];

/**
 * The guide's ts blocks are exactly its pairs' blocks (none left unrun), and each pair's
 * before and after apps answer the same requests with the same statuses.
 *
 * @example
 * migrationSuite('express-jwt', [{ name: 'express-jwt', before: 1, after: 2, ... }]);
 */
export function migrationSuite(guide: string, migrations: Migration[]): void {
  const blocks = guideBlocks(guide);

  it(`every ts block of docs/migrations/${guide}.md is run`, () => {
    const run = migrations.flatMap((m) => [m.before, m.after]).sort();
    expect(run).toEqual(blocks.map((b) => b.index));
  });

  describe.each(migrations)('$name', (migration) => {
    let issuer: TestIssuer;
    let tokens: Record<Case, string | undefined>;
    let before: RunningApp;
    let after: RunningApp;

    beforeAll(async () => {
      ({ issuer, tokens } = await guideIssuer({
        ...(migration.secret ? { secret: migration.secret } : {}),
        ...(migration.scoped ? { scope: migration.scoped.scope } : {}),
      }));
      if (migration.secret) process.env.JWT_SECRET = migration.secret;
      const block = (n: number) => {
        const found = blocks.find((b) => b.index === n);
        if (!found) throw new Error(`docs/migrations/${guide}.md has no ts block ${n}`);
        return found;
      };
      before = await startBlock(block(migration.before), issuer.jwksUri);
      after = await startBlock(block(migration.after), issuer.jwksUri);
    });

    afterAll(async () => {
      if (migration.secret) delete process.env.JWT_SECRET;
      await before?.close();
      await after?.close();
      await issuer?.close();
    });

    const requests = (['valid', ...INVALID, 'missing token', 'no exp'] as Case[]).flatMap((c) => {
      const status = migration.statuses[c];
      if (status === undefined) return [];
      const expected = typeof status === 'number' ? { before: status, after: status } : status;
      const what =
        expected.before === expected.after
          ? `both answer ${expected.before}`
          : `the peer answers ${expected.before}, tokengate ${expected.after}`;
      return [[c, what, expected] as const];
    });
    it.each(requests)('%s: %s', async (request, _, expected) => {
      const [old, now] = await Promise.all([
        ask(before, migration.path, tokens[request]),
        ask(after, migration.path, tokens[request]),
      ]);
      expect({ before: old.status, after: now.status }).toEqual(expected);
      if (expected.before >= 400) migration.challenge.before(old, request);
      if (expected.after >= 400) migration.challenge.after(now, request);
    });

    for (const [name, check] of Object.entries(migration.differences ?? {})) {
      it(name, () => check({ before, after, issuer, tokens }));
    }

    const scoped = migration.scoped;
    if (scoped) {
      it.each([
        ['missing scope', 403],
        ['with scope', 204],
      ] as const)('%s: both answer %i on the scoped route', async (request, status) => {
        const [old, now] = await Promise.all([
          ask(before, scoped.path, tokens[request], scoped.method),
          ask(after, scoped.path, tokens[request], scoped.method),
        ]);
        expect({ before: old.status, after: now.status }).toEqual({
          before: status,
          after: status,
        });
        if (status === 403) {
          migration.challenge.before(old, request);
          migration.challenge.after(now, request);
        }
      });
    }
  });
}

/**
 * tokengate's challenge (RFC 6750 §3): `Bearer realm="api"` alone without a token, with
 * `error="invalid_token"` for a refused token and `error="insufficient_scope"` for a scope.
 *
 * @example
 * challenge: { before: noChallenge, after: tokengateChallenge }
 */
export function tokengateChallenge(answer: Answer, request: Case): void {
  // A token without `exp` is refused (401 invalid_token), like the other invalid ones.
  if (request === 'missing token') expect(answer.challenge).toBe('Bearer realm="api"');
  else if (request === 'missing scope')
    expect(answer.challenge).toMatch(/^Bearer realm="api", error="insufficient_scope"/);
  else expect(answer.challenge).toMatch(/^Bearer realm="api", error="invalid_token"/);
}

/**
 * The peer answers without a `WWW-Authenticate` header.
 *
 * @example
 * challenge: { before: noChallenge, after: tokengateChallenge }
 */
export function noChallenge(answer: Answer): void {
  expect(answer.challenge).toBeNull();
}
