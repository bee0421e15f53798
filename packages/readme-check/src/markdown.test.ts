import { describe, expect, it } from 'vitest';
import { extractBlocks } from './markdown.js';
import { preludeNameFor } from './preludes.js';
import { toModule } from './snippet.js';

describe('extractBlocks', () => {
  it('returns ts and typescript blocks with the README line of their first code line', () => {
    const md =
      '# T\n\n```ts\nconst a = 1;\n```\n\n```sh\nnpm i\n```\n\n```typescript\nconst b = 2;\nconst c = 3;\n```\n';
    expect(extractBlocks(md, 'R.md')).toEqual([
      { readme: 'R.md', index: 1, line: 4, code: 'const a = 1;', skip: false, prelude: undefined },
      {
        readme: 'R.md',
        index: 2,
        line: 12,
        code: 'const b = 2;\nconst c = 3;',
        skip: false,
        prelude: undefined,
      },
    ]);
  });

  it('ignores ts fences inside a longer or a different fence', () => {
    const md = '````md\n```ts\nnot code\n```\n````\n~~~\n```ts\n~~~\n';
    expect(extractBlocks(md, 'R.md')).toEqual([]);
  });

  it('removes the indentation of a fence inside a list item', () => {
    const md = '- item\n\n  ```ts\n  const a = 1;\n    const b = 2;\n  ```\n';
    expect(extractBlocks(md, 'R.md')[0]?.code).toBe('const a = 1;\n  const b = 2;');
  });

  it('reads skip and prelude directives written right before a block', () => {
    const md =
      '<!-- readme-check: skip -->\n```ts\nx\n```\n<!-- readme-check: prelude express -->\n\n```ts\ny\n```\n```ts\nz\n```\n';
    expect(extractBlocks(md, 'R.md').map((b) => [b.skip, b.prelude])).toEqual([
      [true, undefined],
      [false, 'express'],
      [false, undefined],
    ]);
  });

  it('reads a no-run directive: the block is type-checked, not run', () => {
    const [block] = extractBlocks('<!-- readme-check: no-run -->\n```ts\nx\n```\n', 'R.md');
    expect(block).toMatchObject({ skip: false, noRun: true });
  });

  it('refuses an unknown directive, naming the line', () => {
    expect(() =>
      extractBlocks('text\n<!-- readme-check: skipp -->\n```ts\nx\n```', 'R.md'),
    ).toThrow('R.md:2: unknown readme-check directive "skipp"');
  });

  it('refuses a directive that is not followed by a ts block', () => {
    expect(() =>
      extractBlocks('<!-- readme-check: skip -->\nprose\n```ts\nx\n```', 'R.md'),
    ).toThrow('R.md:1: readme-check directive is not followed by a code block');
    expect(() => extractBlocks('<!-- readme-check: skip -->\n```sh\nx\n```', 'R.md')).toThrow(
      'only ts blocks are checked',
    );
    expect(() => extractBlocks('x\n<!-- readme-check: skip -->\n', 'R.md')).toThrow('R.md:2:');
  });

  it('refuses a fence that is never closed', () => {
    expect(() => extractBlocks('a\n```ts\nconst a = 1;\n', 'R.md')).toThrow(
      'R.md:2: code fence is never closed',
    );
  });
});

describe('toModule', () => {
  const prelude =
    "import { a, b as bee, type C } from 'x';\nimport d from 'y';\ndeclare const app: import('z').App;\ndeclare const token: string;";

  it('keeps only the prelude names the block uses', () => {
    const module = toModule('a(token); const c: C = bee;', prelude);
    expect(module.text).toBe(
      "import { a, b as bee, type C } from 'x';\ndeclare const token: string;\na(token); const c: C = bee;",
    );
    expect(module.preludeLines).toBe(2);
  });

  it('drops prelude declarations the block declares or imports itself', () => {
    const module = toModule("import { a } from 'other';\nconst app = a();\nd(app);", prelude);
    expect(module.text.split('\n').slice(0, module.preludeLines)).toEqual(["import d from 'y';"]);
  });

  it('adds nothing to a block that needs no prelude', () => {
    expect(toModule('const x = 1;', prelude)).toEqual({
      text: 'const x = 1;',
      preludeLines: 0,
      augmentation: '',
    });
  });

  it('imports an augmented module and reports the augmentation without whitespace', () => {
    const module = toModule(
      "declare module '@tokengate/core' {\n  interface Register { claims: { a: string }; }\n}",
      '',
    );
    expect(module.text.split('\n')[0]).toBe("import type {} from '@tokengate/core';");
    expect(module.augmentation).toBe(
      "declaremodule'@tokengate/core'{interfaceRegister{claims:{a:string}}}",
    );
  });
});

describe('preludeNameFor', () => {
  it('names the prelude after the package of the README, else root', () => {
    expect(preludeNameFor('packages/hono/README.md')).toBe('hono');
    expect(preludeNameFor('packages/unknown-package/README.md')).toBe('root');
    expect(preludeNameFor('README.md')).toBe('root');
  });
});
