import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { type BlockResult, checkBlocks } from './check.js';
import { type CodeBlock, extractBlocks } from './markdown.js';
import { docsBlocks, readmeBlocks } from './readmes.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const outDir = fileURLToPath(new URL('../.snippets/types/', import.meta.url));

// Blocks the checker must refuse or accept, compiled in the same programs as the READMEs.
const fixture = (name: string, markdown: string) => extractBlocks(markdown, `fixtures/${name}.md`);
const fixtures = {
  wrongImport: fixture(
    'wrong-import',
    "```ts\nimport { jwtAuthh } from '@tokengate/express';\n```",
  ),
  wrongOption: fixture(
    'wrong-option',
    "```ts\nimport { createVerifier } from '@tokengate/core';\ncreateVerifier({ secret: 's'.repeat(32), aud: 'api' });\n```",
  ),
  wrongMethod: fixture(
    'wrong-method',
    "```ts\nimport { createVerifier } from '@tokengate/core';\nconst v = createVerifier({ secret: 's'.repeat(32) });\nawait v.verifyToken(token);\n```",
  ),
  freeName: fixture('free-name', '```ts\nconst result = await verifyEverything(token);\n```'),
  prelude: fixture(
    'prelude',
    "Text.\n\n<!-- readme-check: prelude express -->\n```ts\napp.get('/me', jwtAuth({ secret: 's'.repeat(32) }), (req, res) => res.json(req.auth?.claims));\n```",
  ),
  preludeWrongExport: fixture(
    'prelude-wrong-export',
    "<!-- readme-check: prelude express -->\n```ts\napp.use(jwtAuthentication({ secret: 's'.repeat(32) }));\n```",
  ),
  skip: fixture('skip', '<!-- readme-check: skip -->\n```ts\nthis is not TypeScript\n```'),
  augments: fixture(
    'augments',
    "```ts\nimport type { AuthInfo } from '@tokengate/core';\ndeclare module '@tokengate/core' {\n  interface Register { claims: { tenant: string } }\n}\ndeclare const auth: AuthInfo;\nconst tenant: string = auth.claims.tenant;\n```",
  ),
  notAugmented: fixture(
    'not-augmented',
    "```ts\nimport type { AuthInfo } from '@tokengate/core';\ndeclare const auth: AuthInfo;\nconst tenant: string = auth.claims.tenant;\n```",
  ),
} satisfies Record<string, CodeBlock[]>;

const readmes = readmeBlocks(root);
const docs = docsBlocks(root);
let results: Map<CodeBlock, BlockResult>;

beforeAll(() => {
  const all = [...readmes, ...docs, ...Object.values(fixtures).flat()];
  results = new Map(checkBlocks(all, { root, outDir }).map((r) => [r.block, r]));
}, 240_000);

const errorsOf = (blocks: CodeBlock[]) =>
  blocks.flatMap((b) => results.get(b)?.errors ?? ['not checked']);

describe('README ts blocks', () => {
  it('finds the blocks of the package READMEs', () => {
    const files = new Set(readmes.map((b) => b.readme));
    for (const name of [
      'core',
      'testing',
      'express',
      'fastify',
      'hono',
      'nestjs',
      'issuer',
      'redis',
    ]) {
      expect(files).toContain(`packages/${name}/README.md`);
    }
  });

  it.each(
    readmes.map((b) => [`${b.readme}:${b.line}`, b] as const),
  )('the block at %s typechecks', (_, block) => {
    expect(results.get(block)?.errors).toEqual([]);
  });
});

describe('docs/ ts blocks', () => {
  it('finds the blocks of the docs pages and of the migration guides', () => {
    const files = new Set(docs.map((b) => b.readme));
    expect(files).toContain('docs/concepts/verifier.md');
    expect(files).toContain('docs/migrations/express-jwt.md');
  });

  it.each(
    docs.map((b) => [`${b.readme}:${b.line}`, b] as const),
  )('the block at %s typechecks', (_, block) => {
    expect(results.get(block)?.errors).toEqual([]);
  });
});

describe('the checker', () => {
  it('reports an import of a name the package does not export', () => {
    expect(errorsOf(fixtures.wrongImport)).toEqual([
      expect.stringMatching(/^fixtures\/wrong-import\.md:2:10: TS2\d+ .*jwtAuthh/),
    ]);
  });

  it('reports an option VerifierOptions does not have', () => {
    expect(errorsOf(fixtures.wrongOption)).toEqual([
      expect.stringMatching(/^fixtures\/wrong-option\.md:3:\d+: TS2353 .*'aud'/),
    ]);
  });

  it('reports a method the verifier does not have', () => {
    expect(errorsOf(fixtures.wrongMethod)).toEqual([
      expect.stringMatching(/^fixtures\/wrong-method\.md:4:\d+: TS2339 .*'verifyToken'/),
    ]);
  });

  it('reports a name that neither the block nor its prelude declares', () => {
    expect(errorsOf(fixtures.freeName)).toEqual([
      expect.stringMatching(/^fixtures\/free-name\.md:2:\d+: TS2304 .*'verifyEverything'/),
    ]);
  });

  it('compiles a fragment against the prelude a directive names', () => {
    expect(errorsOf(fixtures.prelude)).toEqual([]);
  });

  it('reports a misspelled export even when the block uses a prelude', () => {
    expect(errorsOf(fixtures.preludeWrongExport)).toEqual([
      expect.stringMatching(
        /^fixtures\/prelude-wrong-export\.md:3:\d+: TS2304 .*'jwtAuthentication'/,
      ),
    ]);
  });

  it('does not compile a skipped block', () => {
    expect(errorsOf(fixtures.skip)).toEqual([]);
  });

  it('refuses a directive naming a prelude that does not exist', () => {
    const [block] = fixture(
      'unknown-prelude',
      '<!-- readme-check: prelude nope -->\n```ts\nx;\n```',
    );
    const elsewhere = join(tmpdir(), `readme-check-${process.pid}`);
    expect(() => checkBlocks(block ? [block] : [], { root, outDir: elsewhere })).toThrow(
      'fixtures/unknown-prelude.md:2: unknown prelude "nope"',
    );
  });

  it("applies a block's module augmentation to that block only", () => {
    expect(errorsOf(fixtures.augments)).toEqual([]);
    expect(errorsOf(fixtures.notAugmented)).toEqual([
      expect.stringMatching(/^fixtures\/not-augmented\.md:4:\d+: TS2322 /),
    ]);
  });
});
