import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { anchorsOf, checkLinks, headingSlug } from './links.js';
import { findDocs, findReadmes } from './readmes.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
// The repository's GitHub URL, as the packages' metadata names it.
const repository = (
  JSON.parse(readFileSync(join(root, 'packages/core/package.json'), 'utf8')) as {
    repository?: { url?: string };
  }
).repository?.url
  ?.replace(/^git\+/, '')
  .replace(/\.git$/, '');

// The other pages a reader follows links from: the contributor guides and the examples' READMEs.
const otherPages = [
  'ARCHITECTURE.md',
  'CONTRIBUTING.md',
  ...readdirSync(join(root, 'examples')).map((dir) => `examples/${dir}/README.md`),
].filter((path) => existsSync(join(root, path)));

describe('links of the READMEs, docs/ and the other pages', () => {
  it('resolve: every relative link names a file that exists, every #anchor a heading', () => {
    const files = [...findReadmes(root), ...findDocs(root), ...otherPages];
    expect(files).toContain('docs/README.md');
    const broken = checkLinks(root, files, repository).map(
      (b) => `${b.where}: ${b.target} (${b.reason})`,
    );
    expect(broken).toEqual([]);
  });
});

describe('the link checker', () => {
  const dir = mkdtempSync(join(tmpdir(), 'readme-check-links-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'docs'));
  writeFileSync(
    join(dir, 'docs/a.md'),
    [
      '# Page A',
      '## Typing the claims, once for `every` adapter',
      '## Repeated',
      '## Repeated',
      '<a id="custom"></a>',
      'Good: [b](b.md), [b top](./b.md#page-b), [self](#repeated-1), [html](#custom),',
      '[typed](#typing-the-claims-once-for-every-adapter), [dir](../docs), [web](https://example.com/x#y).',
      'Broken: [gone](missing.md), [no anchor](b.md#nope), [no self](#repeated-2).',
      '[ref]: ./gone-too.md',
      'Own pages: [ok](https://github.com/o/r/blob/main/docs/b.md#page-b), [dir](https://github.com/o/r/tree/main/docs#readme),',
      '[gone](https://github.com/o/r/blob/main/docs/c.md), [other repo](https://github.com/o/other/blob/main/x.md).',
      '```md',
      '[inside a fence](not-checked.md)',
      '```',
      'Inline code is not a link: `[x](not-checked.md)`.',
    ].join('\n'),
  );
  writeFileSync(join(dir, 'docs/b.md'), '# Page B\n');

  it('reports each broken link with its file and line, and nothing else', () => {
    expect(checkLinks(dir, ['docs/a.md'], 'https://github.com/o/r')).toEqual([
      { where: 'docs/a.md:8', target: 'missing.md', reason: 'docs/missing.md does not exist' },
      {
        where: 'docs/a.md:8',
        target: 'b.md#nope',
        reason: 'docs/b.md has no heading or anchor #nope',
      },
      {
        where: 'docs/a.md:8',
        target: '#repeated-2',
        reason: 'docs/a.md has no heading or anchor #repeated-2',
      },
      { where: 'docs/a.md:9', target: './gone-too.md', reason: 'docs/gone-too.md does not exist' },
      {
        where: 'docs/a.md:11',
        target: 'https://github.com/o/r/blob/main/docs/c.md',
        reason: 'docs/c.md does not exist',
      },
    ]);
  });

  it('makes GitHub anchors of headings', () => {
    expect(headingSlug('Where the keys come from (exactly one, or `issuers`)')).toBe(
      'where-the-keys-come-from-exactly-one-or-issuers',
    );
    expect(headingSlug('DPoP (RFC 9449)')).toBe('dpop-rfc-9449');
    expect(headingSlug('On Node: the `node` build')).toBe('on-node-the-node-build');
    expect([...anchorsOf('# A\n## A\n```sh\n# not a heading\n```\n<a name="x"></a>')]).toEqual([
      'a',
      'a-1',
      'x',
    ]);
  });
});
