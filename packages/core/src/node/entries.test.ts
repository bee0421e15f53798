import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as defaultEntry from '../index.js';
import * as nodeEntry from './index.js';

const src = resolve(import.meta.dirname, '..');
const IMPORT = /(?:from\s+|import\(\s*|require\(\s*)['"]([^'"]+)['"]/g;

/** Every source file an entry reaches through relative imports, with its import specifiers. */
function graph(entry: string): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    const specifiers = [...readFileSync(file, 'utf8').matchAll(IMPORT)].map((m) => m[1] as string);
    seen.set(file, specifiers);
    for (const s of specifiers)
      if (s.startsWith('.')) visit(join(dirname(file), s).replace(/\.js$/, '.ts'));
  };
  visit(join(src, entry));
  return seen;
}

const BUILTIN = /^(node:|(fs|path|crypto|http|https|buffer|url|util|stream)$)/;

describe('package entries', () => {
  it('keeps the default entry free of node:* modules and of src/node', () => {
    const files = graph('index.ts');
    expect(files.size).toBeGreaterThan(10);
    for (const [file, specifiers] of files) {
      expect(file).not.toContain(`${join(src, 'node')}/`);
      for (const s of specifiers) expect(s, file).not.toMatch(BUILTIN);
    }
  });

  it('has the node entry use node:crypto and Buffer', () => {
    const specifiers = [...graph('node/index.ts').values()].flat();
    expect(specifiers).toContain('node:crypto');
    expect(specifiers).toContain('node:buffer');
  });

  it('exports exactly the same names from both entries, with a node createVerifier', () => {
    expect(Object.keys(nodeEntry).sort()).toEqual(Object.keys(defaultEntry).sort());
    expect(nodeEntry.createVerifier).not.toBe(defaultEntry.createVerifier);
    // Same classes, so `instanceof` works whichever entry an adapter was resolved to.
    expect(nodeEntry.TokengateError).toBe(defaultEntry.TokengateError);
  });

  it('keeps the adapter plumbing off the main entry, on @tokengate/core/adapter', async () => {
    const adapter = await import('../adapter.js');
    expect(Object.keys(adapter).sort()).toEqual([
      'NO_RULES',
      'authorizeUnauthenticated',
      'checkOptionalMode',
      'combineRouteRules',
      'compileRouteRules',
      'createGate',
      'isVerifier',
      'peerCertificateOf',
      'protectedResourceRouteOf',
      'rawHeaderValues',
      'toolScopeRules',
    ]);
    const removed = ['isPromiseLike', 'createVerifierWith', 'extractToken', 'createTokenCache'];
    removed.push('createKeySource', 'createRemoteKeySource', 'MemoryJwksStore');
    removed.push('scopeCheck', 'claimsCheck', ...Object.keys(adapter));
    for (const name of removed) expect(defaultEntry, name).not.toHaveProperty(name);
    for (const name of ['createVerifier', 'checkScopes', 'checkClaims', 'getScopes'])
      expect(defaultEntry, name).toHaveProperty(name);
    expect(defaultEntry).toHaveProperty('AuthenticationNotRunError');
  });

  it('maps the node condition before import/require, types first, with ./node and ./adapter subpaths', () => {
    const pkg = JSON.parse(readFileSync(join(src, '..', 'package.json'), 'utf8'));
    const dot = pkg.exports['.'];
    expect(Object.keys(dot)).toEqual(['@tokengate/source', 'node', 'import', 'require']);
    expect(dot.node).toEqual({
      import: { types: './dist/node.d.ts', default: './dist/node.js' },
      require: { types: './dist/node.d.cts', default: './dist/node.cjs' },
    });
    // Tests resolve sources: under Node they get the node entry (what Node users run), while
    // bundles for Workers, Deno and browsers (no `node` condition) get the default entry.
    expect(dot['@tokengate/source']).toEqual({
      node: './src/node/index.ts',
      default: './src/index.ts',
    });
    expect(pkg.exports['./node']).toEqual({
      '@tokengate/source': './src/node/index.ts',
      ...dot.node,
    });
    expect(pkg.exports['./adapter']).toEqual({
      '@tokengate/source': './src/adapter.ts',
      import: { types: './dist/adapter.d.ts', default: './dist/adapter.js' },
      require: { types: './dist/adapter.d.cts', default: './dist/adapter.cjs' },
    });
  });

  it('resolves the source condition to the node entry under Node', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tokengate-entry-'));
    try {
      const pkg = join(dir, 'node_modules', '@tokengate', 'core');
      mkdirSync(pkg, { recursive: true });
      copyFileSync(join(src, '..', 'package.json'), join(pkg, 'package.json'));
      const script = "console.log(import.meta.resolve('@tokengate/core'))";
      const out = execFileSync(
        process.execPath,
        ['--conditions=@tokengate/source', '--input-type=module', '-e', script],
        { cwd: dir, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } },
      );
      expect(out.trim()).toMatch(/\/node_modules\/@tokengate\/core\/src\/node\/index\.ts$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is what Node itself loads for import and for require of @tokengate/core', () => {
    // A copy of the package with stub builds, resolved by a plain `node` (no test conditions).
    const dir = mkdtempSync(join(tmpdir(), 'tokengate-entry-'));
    try {
      const pkg = join(dir, 'node_modules', '@tokengate', 'core');
      mkdirSync(join(pkg, 'dist'), { recursive: true });
      copyFileSync(join(src, '..', 'package.json'), join(pkg, 'package.json'));
      for (const name of ['index', 'node']) {
        writeFileSync(join(pkg, 'dist', `${name}.js`), `export default '${name}.js';`);
        writeFileSync(join(pkg, 'dist', `${name}.cjs`), `module.exports = '${name}.cjs';`);
      }
      const script = [
        "import esm from '@tokengate/core';",
        "import { createRequire } from 'node:module';",
        "const cjs = createRequire(process.argv[1] + '/x.js')('@tokengate/core');",
        'console.log(esm, cjs);',
      ].join('\n');
      const out = execFileSync(process.execPath, ['--input-type=module', '-e', script, dir], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, NODE_OPTIONS: '' },
      });
      expect(out.trim()).toBe('node.js node.cjs');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
