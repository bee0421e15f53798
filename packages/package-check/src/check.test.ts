import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkPackage, markdownLinks, publishedPackages } from './check.js';

const root = join(import.meta.dirname, '../../..');
const good = join(import.meta.dirname, 'fixtures/good');
const directory = 'packages/fixture';

describe('the published packages', () => {
  const packages = publishedPackages(root);

  it('are the ones npm users install', () => {
    expect(packages).toEqual(
      expect.arrayContaining(
        [
          'cli',
          'core',
          'express',
          'fastify',
          'hono',
          'issuer',
          'nestjs',
          'node',
          'redis',
          'testing',
        ].map((name) => `packages/${name}`),
      ),
    );
  });

  it.each(
    packages,
  )('%s: LICENSE, repository links, dist only, published exports, README links', (dir) => {
    expect(checkPackage(join(root, dir), dir)).toEqual([]);
  });
});

describe('checkPackage on a fixture package', () => {
  const copies: string[] = [];
  afterEach(() => {
    for (const dir of copies.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  /** A copy of the good fixture with `change` applied to its package.json. */
  function fixture(change: (pkg: Record<string, unknown>) => void = () => {}): string {
    const dir = mkdtempSync(join(tmpdir(), 'package-check-'));
    copies.push(dir);
    cpSync(good, dir, { recursive: true });
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    change(pkg);
    writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg));
    return dir;
  }

  it('passes the good fixture', () => {
    expect(checkPackage(good, directory)).toEqual([]);
  });

  it('fails on a relative link in the README, naming the line', () => {
    const dir = fixture();
    writeFileSync(
      join(dir, 'README.md'),
      '# x\n\nBuilt on [`@tokengate/core`](../core).\nAll [options](../core/README.md#options).\n',
    );
    expect(checkPackage(dir, directory)).toEqual([
      'README.md:3: relative link "../core" breaks on npm and in node_modules: link to https://github.com/tokengate/tokengate/… instead',
      'README.md:4: relative link "../core/README.md#options" breaks on npm and in node_modules: link to https://github.com/tokengate/tokengate/… instead',
    ]);
  });

  it('fails on a missing LICENSE or README', () => {
    const dir = fixture();
    rmSync(join(dir, 'LICENSE'));
    rmSync(join(dir, 'README.md'));
    expect(checkPackage(dir, directory)).toEqual(['LICENSE is missing', 'README.md is missing']);
  });

  it('fails on a missing or wrong repository, homepage, bugs or license', () => {
    const dir = fixture((pkg) => {
      delete pkg.repository;
      delete pkg.homepage;
      pkg.bugs = 'https://example.com/issues';
      pkg.license = 'ISC';
    });
    expect(checkPackage(dir, directory)).toEqual([
      'package.json "license" must be "MIT"',
      'package.json "repository" must be { "type": "git", "url": "git+https://github.com/tokengate/tokengate.git", "directory": "packages/fixture" }',
      'package.json "homepage" must be "https://github.com/tokengate/tokengate/tree/main/packages/fixture#readme"',
      'package.json "bugs" must be { "url": "https://github.com/tokengate/tokengate/issues" }',
    ]);
  });

  it('fails on a repository directory that is not the package folder', () => {
    expect(checkPackage(good, 'packages/other')).toContain(
      'package.json "repository" must be { "type": "git", "url": "git+https://github.com/tokengate/tokengate.git", "directory": "packages/other" }',
    );
  });

  it('fails on a files list that ships src, or on none', () => {
    const shipsSrc = fixture((pkg) => {
      pkg.files = ['dist', 'src', '!src/**/*.test.ts'];
    });
    expect(checkPackage(shipsSrc, directory)).toEqual([
      'package.json "files" ships sources ("src"): ship "dist" only',
    ]);
    const noFiles = fixture((pkg) => {
      delete pkg.files;
    });
    expect(checkPackage(noFiles, directory)).toEqual([
      'package.json "files" is missing: the tarball would ship every file, src included',
    ]);
  });

  it('fails when the source condition would be published', () => {
    const dir = fixture((pkg) => {
      delete pkg.publishConfig;
    });
    expect(checkPackage(dir, directory)).toEqual([
      '"exports" has the private "@tokengate/source" condition and no "publishConfig.exports" to publish instead',
    ]);
  });

  it('fails when an export was added to exports but not to publishConfig.exports', () => {
    const dir = fixture((pkg) => {
      (pkg.exports as Record<string, unknown>)['./extra'] = {
        '@tokengate/source': './src/extra.ts',
        default: './dist/extra.js',
      };
    });
    expect(checkPackage(dir, directory)).toEqual([
      '"publishConfig.exports" must be "exports" without the "@tokengate/source" condition (one of them changed without the other)',
    ]);
  });
});

describe('markdownLinks', () => {
  it('finds inline links, images, reference definitions and HTML links', () => {
    const markdown = [
      'A [link](../a) and ![an image](img/b.png "title").',
      '[ref]: ./c.md',
      '<a href="d.html"><img src="https://example.com/e.png"></a>',
    ].join('\n');
    expect(markdownLinks(markdown).map((l) => `${l.line} ${l.url}`)).toEqual([
      '1 ../a',
      '1 img/b.png',
      '2 ./c.md',
      '3 d.html',
      '3 https://example.com/e.png',
    ]);
  });

  it('skips code blocks and code spans', () => {
    const markdown = [
      'Write `[x](../x)` or ``[y](`../y`)``.',
      '```md',
      '[z](../z)',
      '````',
      '~~~',
      '```',
      '[w](../w)',
      '~~~',
      'after [v](../v)',
    ].join('\n');
    expect(markdownLinks(markdown)).toEqual([{ line: 9, url: '../v' }]);
  });
});
