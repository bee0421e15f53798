import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// Core runs on Workers, Deno, Bun and browsers: its shipped sources import no Node built-in.
const shipped = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    // src/node is the `node` export condition; src/node/entries.test.ts covers it.
    if (entry.isDirectory())
      return entry.name === 'test-support' || entry.name === 'fuzz' || entry.name === 'node'
        ? []
        : shipped(path);
    return /\.ts$/.test(entry.name) && !/\.test(-d)?\.ts$/.test(entry.name) ? [path] : [];
  });

describe('default entry', () => {
  it('imports no node:* module and no bare Node built-in', () => {
    const files = shipped(join(import.meta.dirname));
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      expect(text, file).not.toMatch(/from\s+['"]node:|import\(\s*['"]node:|require\(\s*['"]node:/);
      expect(text, file).not.toMatch(
        /from\s+['"](fs|path|crypto|http|https|buffer|url|util|stream)['"]/,
      );
    }
  });
});
