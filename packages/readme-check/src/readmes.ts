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
