import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/** A relative link or `#anchor` of a Markdown file that does not resolve. */
export interface BrokenLink {
  /** `docs/README.md:12` */
  where: string;
  target: string;
  reason: string;
}

// Inline links and images `[text](target "title")`, and reference definitions `[x]: target`.
const INLINE =
  /!?\[(?:[^\]\\]|\\.)*\]\(\s*<?([^()\s>]+(?:\([^()\s]*\)[^()\s>]*)*)>?(?:\s+"[^"]*")?\s*\)/g;
const REFERENCE = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/;
const FENCE = /^\s*(`{3,}|~{3,})/;
const EXTERNAL = /^[a-z][a-z\d+.-]*:/i;

/**
 * The GitHub anchor of a heading: lower case, markup and punctuation dropped (letters,
 * digits, `-`, `_` and spaces kept), spaces turned into `-`.
 *
 * @example
 * headingSlug('Typing the claims, once for `every` adapter'); // 'typing-the-claims-once-for-every-adapter'
 */
export function headingSlug(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .trim()
    .replace(/\s/g, '-');
}

/**
 * The anchors a Markdown document defines: its headings' slugs (a repeated one gets `-1`,
 * `-2`…, as on GitHub) and the `id`/`name` of its HTML anchors.
 *
 * @example
 * anchorsOf('# A\n## A\n<a id="x"></a>'); // Set { 'a', 'a-1', 'x' }
 */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const { raw: text } of proseLines(markdown)) {
    const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(text);
    if (heading) {
      const slug = headingSlug(heading[1] ?? '');
      const count = seen.get(slug) ?? 0;
      seen.set(slug, count + 1);
      anchors.add(count === 0 ? slug : `${slug}-${count}`);
    }
    for (const html of text.matchAll(/<a\s[^>]*(?:id|name)="([^"]+)"/g)) anchors.add(html[1] ?? '');
  }
  return anchors;
}

/** The lines outside code fences: 1-based line number, the line, and the line without its inline code. */
function proseLines(markdown: string): { line: number; raw: string; text: string }[] {
  const out: { line: number; raw: string; text: string }[] = [];
  let fence: string | undefined;
  markdown.split(/\r?\n/).forEach((text, i) => {
    const marker = FENCE.exec(text)?.[1];
    if (fence) {
      if (
        marker &&
        marker[0] === fence[0] &&
        marker.length >= fence.length &&
        /^\s*[`~]+\s*$/.test(text)
      )
        fence = undefined;
      return;
    }
    if (marker) {
      fence = marker;
      return;
    }
    out.push({ line: i + 1, raw: text, text: text.replace(/`[^`]*`/g, '``') });
  });
  return out;
}

/**
 * Every relative link and `#anchor` of the given Markdown files (paths relative to `root`)
 * that does not resolve: a file or directory that does not exist, or an anchor that is no
 * heading or HTML anchor of the target Markdown file. Links to the repository's own pages on
 * GitHub (`<repository>/blob/main/<path>`, `<repository>/tree/main/<path>`, as package READMEs
 * write them so that they work on npm) are checked the same way against the local files.
 * Other external links (`https:`, `mailto:`…) are not fetched.
 *
 * @example
 * checkLinks('/repo', ['README.md', 'docs/README.md'], 'https://github.com/tokengate/tokengate'); // []
 */
export function checkLinks(
  root: string,
  files: readonly string[],
  repository?: string,
): BrokenLink[] {
  const ownPage = repository
    ? new RegExp(`^${repository.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}/(?:blob|tree)/main/`)
    : undefined;
  const anchorCache = new Map<string, Set<string>>();
  const anchors = (file: string) => {
    let found = anchorCache.get(file);
    if (!found) {
      found = anchorsOf(readFileSync(file, 'utf8'));
      anchorCache.set(file, found);
    }
    return found;
  };
  const broken: BrokenLink[] = [];
  for (const file of files) {
    const absolute = join(root, file);
    for (const { line, text } of proseLines(readFileSync(absolute, 'utf8'))) {
      const targets = [...text.matchAll(INLINE)].map((m) => m[1] ?? '');
      const reference = REFERENCE.exec(text)?.[1];
      if (reference) targets.push(reference);
      for (const link of targets) {
        const own = ownPage?.exec(link);
        // GitHub shows a directory's README under the anchor #readme.
        const target = own ? `/${link.slice(own[0].length).replace(/#readme$/, '')}` : link;
        if (!own && (EXTERNAL.test(target) || target.startsWith('//'))) continue;
        const reason = unresolved(absolute, target, anchors);
        if (reason) broken.push({ where: `${file}:${line}`, target: link, reason });
      }
    }
  }
  return broken;

  function unresolved(
    from: string,
    target: string,
    anchorsIn: (file: string) => Set<string>,
  ): string | undefined {
    const [rawPath = '', rawAnchor] = target.split('#', 2);
    const path = decodeURIComponent(rawPath.split('?')[0] ?? '');
    const resolved = path === '' ? from : join(path.startsWith('/') ? root : dirname(from), path);
    if (!existsSync(resolved)) return `${relative(root, resolved)} does not exist`;
    if (rawAnchor === undefined || rawAnchor === '') return undefined;
    if (statSync(resolved).isDirectory() || !resolved.endsWith('.md'))
      return `#${rawAnchor}: anchors are checked in Markdown files only`;
    const anchor = decodeURIComponent(rawAnchor).toLowerCase();
    return anchorsIn(resolved).has(anchor)
      ? undefined
      : `${relative(root, resolved)} has no heading or anchor #${anchor}`;
  }
}
