import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** Which runtime side to bundle: stdin/stdout for Node, Bun and Deno, or a workerd module. */
export type BundleKind = 'stdio' | 'worker';

const ENTRIES: Record<BundleKind, string> = {
  stdio: fileURLToPath(new URL('./stdio-entry.ts', import.meta.url)),
  worker: fileURLToPath(new URL('./worker-entry.ts', import.meta.url)),
};

/**
 * Bundle the runtime side into one ES module. Export conditions are the neutral ones
 * (`import`, `default`), never `node`: `@tokengate/core` resolves to its Web build on every
 * runtime, `packages/core/dist/index.js` (or `src/index.ts` with `source`), and the Node
 * build is imported by its own `@tokengate/core/node` entry. `node:*` imports stay imports.
 *
 * @example
 * const code = await bundleSuite('worker', false);
 */
export function bundleSuite(kind: BundleKind, source: boolean): Promise<string> {
  const key = `${kind}/${source}`;
  let bundle = bundles.get(key);
  if (!bundle) {
    bundle = buildSuite(kind, source);
    bundles.set(key, bundle);
  }
  return bundle;
}

// One bundle per kind and source setting per process: Node, Bun and Deno share theirs.
const bundles = new Map<string, Promise<string>>();

async function buildSuite(kind: BundleKind, source: boolean): Promise<string> {
  const result = await build({
    entryPoints: [ENTRIES[kind]],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    target: 'es2022',
    conditions: source ? ['@tokengate/source'] : [],
    external: ['node:*'],
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]?.text;
  if (!code) throw new Error(`esbuild produced no ${kind} bundle`);
  return code;
}
