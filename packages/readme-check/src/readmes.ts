import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CodeBlock, extractBlocks } from './markdown.js';

/**
 * The READMEs whose ts blocks are checked: the root `README.md` (when present) and every
 * `packages/<name>/README.md`, as paths relative to the repository root.
 *
 * @example
 * findReadmes('/repo'); // ['README.md', 'packages/core/README.md', ...]
 */
export function findReadmes(root: string): string[] {
  const packages = readdirSync(join(root, 'packages'), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => `packages/${d.name}/README.md`)
    .sort();
  return ['README.md', ...packages].filter((path) => existsSync(join(root, path)));
}

/**
 * Every ts block of the repository's READMEs.
 *
 * @example
 * const blocks = readmeBlocks('/repo');
 */
export function readmeBlocks(root: string): CodeBlock[] {
  return findReadmes(root).flatMap((path) =>
    extractBlocks(readFileSync(join(root, path), 'utf8'), path),
  );
}

/**
 * Every Markdown file under `docs/` (sorted, paths relative to the repository root); empty
 * when there is no `docs/`.
 *
 * @example
 * findDocs('/repo'); // ['docs/README.md', 'docs/concepts/errors.md', ...]
 */
export function findDocs(root: string): string[] {
  if (!existsSync(join(root, 'docs'))) return [];
  return (readdirSync(join(root, 'docs'), { recursive: true }) as string[])
    .filter((path) => path.endsWith('.md'))
    .map((path) => `docs/${path.split('\\').join('/')}`)
    .sort();
}

/**
 * Every ts block of the Markdown files under `docs/`.
 *
 * @example
 * const blocks = docsBlocks('/repo');
 */
export function docsBlocks(root: string): CodeBlock[] {
  return findDocs(root).flatMap((path) =>
    extractBlocks(readFileSync(join(root, path), 'utf8'), path),
  );
}

/**
 * The migration guides' blocks (`docs/migrations/`) are run by packages/migrations, which
 * starts each "before" and "after" app and compares their answers; the other docs blocks are
 * run by this package.
 *
 * @example
 * isMigrationGuide('docs/migrations/express-jwt.md'); // true
 */
export function isMigrationGuide(path: string): boolean {
  return path.startsWith('docs/migrations/');
}
