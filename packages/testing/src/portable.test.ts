import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { createTokenMinter } from './portable.js';

const here = dirname(fileURLToPath(import.meta.url));

function importGraph(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const source = readFileSync(join(here, file), 'utf8');
  for (const [, spec] of source.matchAll(/from '([^']+)'/g)) {
    if (spec?.startsWith('./')) importGraph(spec.slice(2).replace(/\.js$/, '.ts'), seen);
    else seen.add(spec ?? '');
  }
  return seen;
}

describe('@tokengate/testing/mint', () => {
  it('imports no node:* module, so it runs on any runtime', () => {
    const graph = [...importGraph('portable.ts')];
    expect(graph).toContain('jose');
    expect(graph.filter((m) => m.startsWith('node:'))).toEqual([]);
  });

  it('mints without a server', async () => {
    const minter = await createTokenMinter({
      issuer: 'https://id.example.test',
      algorithms: ['ES256'],
    });
    const claims = decodeJwt(await minter.mint({ org: 'acme' }));
    expect(claims).toMatchObject({
      iss: 'https://id.example.test',
      aud: 'tokengate-test',
      org: 'acme',
    });
  });
});
