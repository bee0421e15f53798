/** One fenced ```ts block of a README, with the directive written right before it. */
export interface CodeBlock {
  /** The README's path relative to the repository root, e.g. `packages/core/README.md`. */
  readme: string;
  /** 1-based position of the block among the checked blocks of its README. */
  index: number;
  /** 1-based README line of the block's first code line. */
  line: number;
  /** The code between the fences, with the fence's indentation removed. */
  code: string;
  /** `<!-- readme-check: skip -->` was written right before the block. */
  skip: boolean;
  /** `<!-- readme-check: prelude NAME -->` was written right before the block. */
  prelude: string | undefined;
  /**
   * `<!-- readme-check: no-run -->` was written right before the block: type-checked, not run
   * (a docs block that needs a service the tests do not start, such as a Redis server).
   */
  noRun?: true;
}

const CHECKED_LANGUAGES = new Set(['ts', 'typescript']);
const FENCE = /^(\s*)(`{3,}|~{3,})\s*([^\s`]*)/;
const DIRECTIVE = /^\s*<!--\s*readme-check:\s*(.*?)\s*-->\s*$/;

/**
 * Extracts every ```ts / ```typescript block of a Markdown document, with its directive.
 * Throws an `Error` naming the line for an unknown directive or an unclosed fence, so a
 * typo in a directive never silently stops a block from being checked.
 *
 * @example
 * const blocks = extractBlocks('# x\n\n```ts\nconst a = 1;\n```\n', 'README.md');
 * // [{ readme: 'README.md', index: 1, line: 4, code: 'const a = 1;', skip: false, ... }]
 */
export function extractBlocks(markdown: string, readme: string): CodeBlock[] {
  const lines = markdown.split(/\r?\n/);
  const blocks: CodeBlock[] = [];
  let pending: (Directive & { line: number }) | undefined;
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i] ?? '';
    const directive = DIRECTIVE.exec(text);
    if (directive) {
      pending = { ...parseDirective(directive[1] ?? '', `${readme}:${i + 1}`), line: i + 1 };
      continue;
    }
    const fence = FENCE.exec(text);
    if (!fence) {
      if (pending && text.trim() !== '') {
        throw new Error(
          `${readme}:${pending.line}: readme-check directive is not followed by a code block`,
        );
      }
      continue;
    }
    const [, indent = '', marker = '', info = ''] = fence;
    const end = findClosingFence(lines, i + 1, marker);
    if (end === -1) throw new Error(`${readme}:${i + 1}: code fence is never closed`);
    const language = info.toLowerCase();
    if (CHECKED_LANGUAGES.has(language)) {
      blocks.push({
        readme,
        index: blocks.length + 1,
        line: i + 2,
        code: lines
          .slice(i + 1, end)
          .map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l.trimStart()))
          .join('\n'),
        skip: pending?.skip ?? false,
        prelude: pending?.prelude,
        ...(pending?.noRun ? { noRun: true as const } : {}),
      });
    } else if (pending) {
      throw new Error(
        `${readme}:${pending.line}: readme-check directive before a \`${info || 'plain'}\` block; only ts blocks are checked`,
      );
    }
    pending = undefined;
    i = end;
  }
  if (pending)
    throw new Error(`${readme}:${pending.line}: readme-check directive at the end of the file`);
  return blocks;
}

interface Directive {
  skip: boolean;
  prelude: string | undefined;
  noRun?: boolean;
}

function parseDirective(body: string, where: string): Directive {
  if (body === 'skip') return { skip: true, prelude: undefined };
  if (body === 'no-run') return { skip: false, prelude: undefined, noRun: true };
  const prelude = /^prelude\s+([\w-]+)$/.exec(body);
  if (prelude) return { skip: false, prelude: prelude[1] };
  throw new Error(
    `${where}: unknown readme-check directive "${body}" (use "skip", "no-run" or "prelude NAME")`,
  );
}

function findClosingFence(lines: string[], from: number, marker: string): number {
  const char = marker[0] ?? '`';
  for (let j = from; j < lines.length; j++) {
    const close = /^\s*(`{3,}|~{3,})\s*$/.exec(lines[j] ?? '');
    if (close?.[1]?.[0] === char && (close[1]?.length ?? 0) >= marker.length) return j;
  }
  return -1;
}
