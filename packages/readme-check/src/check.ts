import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import type { CodeBlock } from './markdown.js';
import { preludeNameFor, preludes } from './preludes.js';
import { isMigrationGuide } from './readmes.js';
import { toModule } from './snippet.js';

/** The outcome of typechecking one README block. */
export interface BlockResult {
  block: CodeBlock;
  /** The generated module, relative to the repository root. */
  file: string;
  /** `README.md:line:col message` for each error; empty when the block compiles. */
  errors: string[];
}

/** Where the snippets are written and whose settings they are compiled with. */
export interface CheckOptions {
  /** The repository root (holds `tsconfig.base.json`). */
  root: string;
  /** Directory for the generated modules; emptied first. Must sit inside a package that can resolve the imports. */
  outDir: string;
}

/**
 * Typechecks README blocks as TypeScript modules: one program for all blocks without a module
 * augmentation, and one per distinct augmentation (`declare module '@tokengate/core' { … }`),
 * so an augmentation only types the blocks that declare it. Skipped blocks are returned with
 * no errors and not compiled.
 *
 * @example
 * const results = checkBlocks(blocks, { root: '/repo', outDir: '/repo/packages/readme-check/.snippets' });
 * const failures = results.filter((r) => r.errors.length > 0);
 */
export function checkBlocks(blocks: readonly CodeBlock[], options: CheckOptions): BlockResult[] {
  rmSync(options.outDir, { recursive: true, force: true });
  mkdirSync(options.outDir, { recursive: true });
  const modules = blocks.map((block) => {
    const name = block.prelude ?? preludeNameFor(block.readme);
    const prelude = preludes[name];
    if (prelude === undefined) {
      throw new Error(`${block.readme}:${block.line - 1}: unknown prelude "${name}"`);
    }
    const module = toModule(block.code, prelude);
    const file = join(options.outDir, `${fileStem(block)}.ts`);
    if (!block.skip) writeFileSync(file, module.text);
    return { block, module, file };
  });
  const compilerOptions = snippetCompilerOptions(options.root);
  const host = cachingHost(compilerOptions, options.outDir);
  const checked = modules.filter((m) => !m.block.skip);
  const groups = new Map<string, string[]>();
  for (const m of checked) {
    const key = programKey(m.block, m.module.augmentation);
    groups.set(key, [...(groups.get(key) ?? []), m.file]);
  }
  const diagnostics = new Map<string, ts.Diagnostic[]>();
  for (const files of groups.values()) {
    const program = ts.createProgram({ rootNames: files, options: compilerOptions, host });
    for (const file of files) {
      const source = program.getSourceFile(file);
      diagnostics.set(
        file,
        source
          ? [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)]
          : [],
      );
    }
    for (const d of program.getGlobalDiagnostics()) {
      for (const file of files) diagnostics.get(file)?.push(d);
    }
  }
  return modules.map(({ block, module, file }) => ({
    block,
    file: relative(options.root, file),
    errors: (diagnostics.get(file) ?? []).map((d) => describe(d, block, module.preludeLines)),
  }));
}

/**
 * Blocks share a program when they declare the same augmentations. A migration guide's block
 * gets a program of its own: the peer libraries it uses declare globals of their own (e.g.
 * express-oauth2-jwt-bearer's `Express.Request.auth`), which must not meet tokengate's.
 */
function programKey(block: CodeBlock, augmentation: string): string {
  return isMigrationGuide(block.readme) ? `${block.readme}#${block.index}` : augmentation;
}

function fileStem(block: CodeBlock): string {
  const dir = block.readme.replace(/(^|\/)README\.md$/i, '') || 'root';
  return `${dir.replace(/[^\w-]+/g, '_')}-${block.index}-L${block.line}`;
}

/** The repository's base settings plus what README snippets need (Node types, Nest decorators). */
function snippetCompilerOptions(root: string): ts.CompilerOptions {
  const configPath = join(root, 'tsconfig.base.json');
  const config = ts.readConfigFile(configPath, ts.sys.readFile);
  if (config.error)
    throw new Error(ts.flattenDiagnosticMessageText(config.error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(
    {
      ...config.config,
      compilerOptions: {
        ...config.config.compilerOptions,
        lib: ['ES2022', 'DOM'],
        types: ['node'],
        customConditions: ['@tokengate/source'],
        experimentalDecorators: true,
        emitDecoratorMetadata: true,
        moduleDetection: 'force',
        noEmit: true,
        declaration: false,
      },
      files: [],
    },
    ts.sys,
    root,
    undefined,
    configPath,
  );
  return parsed.options;
}

/** A compiler host that parses each library and package file once for all the programs. */
function cachingHost(options: ts.CompilerOptions, outDir: string): ts.CompilerHost {
  const host = ts.createCompilerHost(options, true);
  const cache = new Map<string, ts.SourceFile | undefined>();
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    if (fileName.startsWith(outDir))
      return getSourceFile(fileName, languageVersion, onError, shouldCreate);
    if (!cache.has(fileName))
      cache.set(fileName, getSourceFile(fileName, languageVersion, onError, shouldCreate));
    return cache.get(fileName);
  };
  return host;
}

function describe(d: ts.Diagnostic, block: CodeBlock, preludeLines: number): string {
  const message = ts.flattenDiagnosticMessageText(d.messageText, '\n  ');
  if (!d.file || d.start === undefined)
    return `${block.readme}:${block.line}: TS${d.code} ${message}`;
  const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
  if (line < preludeLines) {
    const text = d.file.text.split('\n')[line] ?? '';
    return `${block.readme}:${block.line} (prelude: ${text.trim()}): TS${d.code} ${message}`;
  }
  return `${block.readme}:${block.line + line - preludeLines}:${character + 1}: TS${d.code} ${message}`;
}
