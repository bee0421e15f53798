import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The repository every published package links to: its source, issues and README pages. */
export const REPOSITORY = 'https://github.com/tokengate/tokengate';

/** The export condition that points workspace tests at TypeScript sources; never published. */
const SOURCE_CONDITION = '@tokengate/source';

/** One link of a Markdown document, outside code blocks and code spans. */
export interface MarkdownLink {
  /** 1-based line of the link. */
  line: number;
  /** The link's target as written. */
  url: string;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const CODE_SPAN = /(`+)[\s\S]*?[^`]\1(?!`)/g;
const INLINE_LINK = /\]\(\s*<?([^)\s>]*)/g;
const REFERENCE_DEFINITION = /^ {0,3}\[[^\]]+\]:\s*<?([^\s>]+)/;
const HTML_LINK = /\b(?:href|src)\s*=\s*["']([^"']*)["']/gi;

/**
 * Every link of a Markdown document: inline links and images, reference definitions and
 * HTML `href`/`src` attributes, skipping fenced code blocks and code spans.
 *
 * @example
 * markdownLinks('See [core](../core).'); // [{ line: 1, url: '../core' }]
 */
export function markdownLinks(markdown: string): MarkdownLink[] {
  const links: MarkdownLink[] = [];
  let fence: string | undefined;
  markdown.split(/\r?\n/).forEach((raw, i) => {
    const marker = FENCE.exec(raw)?.[1];
    if (fence !== undefined) {
      if (marker !== undefined && marker[0] === fence[0] && marker.length >= fence.length)
        fence = undefined;
      return;
    }
    if (marker !== undefined) {
      fence = marker;
      return;
    }
    const text = raw.replace(CODE_SPAN, '');
    const found = [
      ...[...text.matchAll(INLINE_LINK)].map((m) => m[1]),
      REFERENCE_DEFINITION.exec(text)?.[1],
      ...[...text.matchAll(HTML_LINK)].map((m) => m[1]),
    ];
    for (const url of found) if (url !== undefined) links.push({ line: i + 1, url });
  });
  return links;
}

/**
 * Whether a README link still works where npm shows the README (the registry's page, the
 * copy in `node_modules`): an absolute URL, or an anchor within the same page.
 *
 * @example
 * worksOutsideRepository('https://github.com/tokengate/tokengate'); // true
 * worksOutsideRepository('../core/README.md'); // false
 */
export function worksOutsideRepository(url: string): boolean {
  return url.startsWith('#') || /^(?:https?|mailto):/i.test(url);
}

/**
 * The `exports` map as it is published: without the `@tokengate/source` condition.
 *
 * @example
 * withoutSourceCondition({ '.': { '@tokengate/source': './src/index.ts', default: './dist/index.js' } });
 * // { '.': { default: './dist/index.js' } }
 */
export function withoutSourceCondition(exports: unknown): unknown {
  if (typeof exports !== 'object' || exports === null || Array.isArray(exports)) return exports;
  return Object.fromEntries(
    Object.entries(exports)
      .filter(([condition]) => condition !== SOURCE_CONDITION)
      .map(([key, value]) => [key, withoutSourceCondition(value)]),
  );
}

function hasSourceCondition(exports: unknown): boolean {
  return JSON.stringify(exports ?? null).includes(`"${SOURCE_CONDITION}"`);
}

interface PackageJson {
  name?: string;
  private?: boolean;
  license?: string;
  homepage?: unknown;
  bugs?: { url?: unknown } | string;
  repository?: { type?: unknown; url?: unknown; directory?: unknown } | string;
  files?: unknown;
  exports?: unknown;
  publishConfig?: { exports?: unknown };
}

function metadataProblems(pkg: PackageJson, directory: string): string[] {
  const problems: string[] = [];
  if (pkg.license !== 'MIT') problems.push('package.json "license" must be "MIT"');
  const repo = pkg.repository;
  if (
    typeof repo !== 'object' ||
    repo.type !== 'git' ||
    repo.url !== `git+${REPOSITORY}.git` ||
    repo.directory !== directory
  ) {
    problems.push(
      `package.json "repository" must be { "type": "git", "url": "git+${REPOSITORY}.git", "directory": "${directory}" }`,
    );
  }
  if (pkg.homepage !== `${REPOSITORY}/tree/main/${directory}#readme`)
    problems.push(`package.json "homepage" must be "${REPOSITORY}/tree/main/${directory}#readme"`);
  if (typeof pkg.bugs !== 'object' || pkg.bugs.url !== `${REPOSITORY}/issues`)
    problems.push(`package.json "bugs" must be { "url": "${REPOSITORY}/issues" }`);
  return problems;
}

function filesProblems(pkg: PackageJson): string[] {
  if (!Array.isArray(pkg.files))
    return ['package.json "files" is missing: the tarball would ship every file, src included'];
  return pkg.files
    .filter((entry) => typeof entry === 'string' && /^(?:\.\/)?src(?:\/|$)/.test(entry))
    .map((entry) => `package.json "files" ships sources ("${entry}"): ship "dist" only`);
}

function exportsProblems(pkg: PackageJson): string[] {
  if (!hasSourceCondition(pkg.exports)) return [];
  const published = pkg.publishConfig?.exports;
  if (published === undefined)
    return [
      `"exports" has the private "${SOURCE_CONDITION}" condition and no "publishConfig.exports" to publish instead`,
    ];
  if (JSON.stringify(published) !== JSON.stringify(withoutSourceCondition(pkg.exports)))
    return [
      `"publishConfig.exports" must be "exports" without the "${SOURCE_CONDITION}" condition (one of them changed without the other)`,
    ];
  return [];
}

function readmeProblems(dir: string): string[] {
  const readme = join(dir, 'README.md');
  if (!existsSync(readme)) return ['README.md is missing'];
  return markdownLinks(readFileSync(readme, 'utf8'))
    .filter((link) => !worksOutsideRepository(link.url))
    .map(
      (link) =>
        `README.md:${link.line}: relative link "${link.url}" breaks on npm and in node_modules: link to ${REPOSITORY}/… instead`,
    );
}

/**
 * What is wrong with a package about to be published, one sentence each (empty: nothing).
 * `directory` is the package's folder relative to the repository root, e.g. `packages/core`.
 *
 * @example
 * checkPackage('/repo/packages/core', 'packages/core'); // []
 */
export function checkPackage(dir: string, directory: string): string[] {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;
  return [
    ...(existsSync(join(dir, 'LICENSE')) ? [] : ['LICENSE is missing']),
    ...metadataProblems(pkg, directory),
    ...filesProblems(pkg),
    ...exportsProblems(pkg),
    ...readmeProblems(dir),
  ];
}

/**
 * The folders (relative to `root`) of the workspace packages under `packages/` that are
 * published, i.e. not `"private": true`.
 *
 * @example
 * publishedPackages('/repo'); // ['packages/cli', 'packages/core', ...]
 */
export function publishedPackages(root: string): string[] {
  return readdirSync(join(root, 'packages'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => `packages/${entry.name}`)
    .filter((directory) => {
      const file = join(root, directory, 'package.json');
      return existsSync(file) && !(JSON.parse(readFileSync(file, 'utf8')) as PackageJson).private;
    })
    .sort();
}
