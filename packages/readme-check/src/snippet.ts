import ts from 'typescript';

/** A README block turned into a TypeScript module. */
export interface SnippetModule {
  /** The module text: the kept prelude lines, then the block's code unchanged. */
  text: string;
  /** How many lines the prelude takes; README line = block line + module line - this. */
  preludeLines: number;
  /**
   * The block's module augmentations (`declare module '…' { … }`, `declare global { … }`) with
   * whitespace removed; empty when it has none. Blocks with different augmentations must not
   * share a program.
   */
  augmentation: string;
}

/**
 * Puts the prelude in front of a block's code: only the prelude declarations whose names the
 * block uses and does not declare or import itself.
 *
 * @example
 * toModule("import express from 'express';\nconst app = express();", 'declare const app: X;');
 * // { text: "import express from 'express';\nconst app = express();", preludeLines: 0, ... }
 */
export function toModule(code: string, prelude: string): SnippetModule {
  const source = ts.createSourceFile('block.ts', code, ts.ScriptTarget.Latest, true);
  const own = new Set(source.statements.flatMap(declaredNames));
  const used = identifiers(source);
  const augmentations = source.statements.filter(
    (s): s is ts.ModuleDeclaration =>
      ts.isModuleDeclaration(s) && (ts.isStringLiteral(s.name) || s.name.text === 'global'),
  );
  // An augmented module must be part of the program, as it is in the application.
  const augmented = augmentations
    .filter((s) => ts.isStringLiteral(s.name))
    .map((s) => `import type {} from ${s.name.getText(source)};`);
  const kept = [...keptPrelude(prelude, (name) => own.has(name) || !used.has(name)), ...augmented];
  return {
    text: kept.length > 0 ? `${kept.join('\n')}\n${code}` : code,
    preludeLines: kept.length,
    augmentation: augmentations.map((s) => s.getText(source).replace(/[\s;]+/g, '')).join('\n'),
  };
}

function identifiers(source: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) names.add(node.text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return names;
}

/** The prelude statements and import bindings whose names are not `dropped`, one per line. */
function keptPrelude(prelude: string, dropped: (name: string) => boolean): string[] {
  const source = ts.createSourceFile('prelude.ts', prelude, ts.ScriptTarget.Latest, true);
  const kept: string[] = [];
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement)) {
      const line = importWithout(statement, dropped);
      if (line) kept.push(line);
    } else if (!declaredNames(statement).some(dropped)) {
      kept.push(statement.getText(source).replace(/\s*\n\s*/g, ' '));
    }
  }
  return kept;
}

/** The import without the dropped bindings; `undefined` when none is left. */
function importWithout(
  node: ts.ImportDeclaration,
  dropped: (name: string) => boolean,
): string | undefined {
  const clause = node.importClause;
  const from = node.moduleSpecifier.getText();
  if (!clause) return `import ${from};`;
  const typeOnly = clause.isTypeOnly ? 'type ' : '';
  const parts: string[] = [];
  if (clause.name && !dropped(clause.name.text)) parts.push(clause.name.text);
  const bindings = clause.namedBindings;
  if (bindings && ts.isNamespaceImport(bindings) && !dropped(bindings.name.text)) {
    parts.push(`* as ${bindings.name.text}`);
  }
  if (bindings && ts.isNamedImports(bindings)) {
    const named = bindings.elements.filter((e) => !dropped(e.name.text)).map((e) => e.getText());
    if (named.length > 0) parts.push(`{ ${named.join(', ')} }`);
  }
  return parts.length > 0 ? `import ${typeOnly}${parts.join(', ')} from ${from};` : undefined;
}

/** The names a top-level statement declares (variables, functions, classes, types, imports). */
export function declaredNames(statement: ts.Statement): string[] {
  if (ts.isVariableStatement(statement)) {
    return statement.declarationList.declarations.flatMap((d) => bindingNames(d.name));
  }
  if (ts.isImportDeclaration(statement)) {
    const clause = statement.importClause;
    const bindings = clause?.namedBindings;
    return [
      ...(clause?.name ? [clause.name.text] : []),
      ...(bindings && ts.isNamespaceImport(bindings) ? [bindings.name.text] : []),
      ...(bindings && ts.isNamedImports(bindings) ? bindings.elements.map((e) => e.name.text) : []),
    ];
  }
  if (
    (ts.isFunctionDeclaration(statement) ||
      ts.isClassDeclaration(statement) ||
      ts.isInterfaceDeclaration(statement) ||
      ts.isTypeAliasDeclaration(statement) ||
      ts.isEnumDeclaration(statement) ||
      ts.isImportEqualsDeclaration(statement)) &&
    statement.name
  ) {
    return [statement.name.text];
  }
  return [];
}

function bindingNames(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  return name.elements.flatMap((e) => (ts.isOmittedExpression(e) ? [] : bindingNames(e.name)));
}
