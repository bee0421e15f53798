// Every ts block of docs/ (but the migration guides, which packages/migrations runs) runs as
// written: its prelude names are globals here (a valid token of a test issuer with the docs'
// `iss` and `aud`, its JWKS URL), its JWKS URL points at that issuer on 127.0.0.1 and a server
// it starts on 3000 listens on a free port of 127.0.0.1 instead, and is closed after it.
import { once } from 'node:events';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { createTestIssuer, type TestIssuer } from '@tokengate/testing';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { preludeNameFor, preludes } from './preludes.js';
import { docsBlocks, isMigrationGuide } from './readmes.js';
import { DOCS_AUDIENCE, DOCS_ISSUER, toRunnable } from './runnable.js';
import { toModule } from './snippet.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const runDir = fileURLToPath(new URL('../.snippets/docs-run/', import.meta.url));
const blocks = docsBlocks(root).filter((b) => !b.skip && !b.noRun && !isMigrationGuide(b.readme));
const globals = ['token', 'jwksUri', 'issuer', 'audience'] as const;

let testIssuer: TestIssuer;

beforeAll(async () => {
  testIssuer = await createTestIssuer({
    issuer: DOCS_ISSUER,
    audience: DOCS_AUDIENCE,
    algorithms: ['RS256'],
  });
  Object.assign(globalThis, {
    token: await testIssuer.mint({ scope: 'read:things write:things' }),
    jwksUri: testIssuer.jwksUri,
    issuer: DOCS_ISSUER,
    audience: DOCS_AUDIENCE,
  });
  // The blocks print what they show the reader; the test output is not the place for it.
  for (const method of ['log', 'info', 'warn', 'error'] as const)
    vi.spyOn(console, method).mockImplementation(() => undefined);
  rmSync(runDir, { recursive: true, force: true });
  mkdirSync(runDir, { recursive: true });
  // esbuild compiles the Nest blocks' decorators as TypeScript's experimentalDecorators.
  writeFileSync(
    `${runDir}tsconfig.json`,
    JSON.stringify({ compilerOptions: { experimentalDecorators: true, target: 'ES2022' } }),
  );
});

afterAll(async () => {
  vi.restoreAllMocks();
  for (const name of globals) Reflect.deleteProperty(globalThis, name);
  await testIssuer?.close();
});

it('finds docs blocks to run', () => {
  expect(blocks.length).toBeGreaterThan(10);
});

it.each(
  blocks.map((b) => [`${b.readme}:${b.line}`, b] as const),
)('the block at %s runs', async (where, block) => {
  const prelude = preludes[block.prelude ?? preludeNameFor(block.readme)] ?? '';
  const { code, listens } = toRunnable(toModule(block.code, prelude).text, testIssuer.jwksUri);
  const file = `${runDir}${where.replace(/[^\w-]+/g, '_')}.ts`;
  writeFileSync(file, code);
  const exports = (await import(/* @vite-ignore */ file)) as { server?: Server };
  if (!listens) return;
  const server = exports.server;
  if (!server) throw new Error(`${where}: the block's server was not exported`);
  if (!server.listening) await once(server, 'listening');
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
});
