import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as issuer from './index.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const sources = readdirSync(here).filter((f) => f.endsWith('.ts') && !/\.test(-d)?\.ts$/.test(f));

describe('runtime', () => {
  it.each(
    sources,
  )('%s imports only jose, @tokengate/core and its own modules (no node:*)', (file) => {
    const text = readFileSync(`${here}/${file}`, 'utf8');
    const specifiers = [...text.matchAll(/from '([^']+)'/g)].map((m) => m[1]!);
    for (const s of specifiers) expect(s).toMatch(/^(jose|@tokengate\/core|\.\/[\w-]+\.js)$/);
  });

  it('exports the public API', () => {
    expect(Object.keys(issuer).sort()).toEqual([
      'ACCESS_TOKEN_TYP',
      'DpopNonceError',
      'DpopProofError',
      'InvalidRefreshTokenError',
      'IssuerError',
      'MemoryRefreshTokenStore',
      'RefreshTokenBindingError',
      'RefreshTokenReuseError',
      'SIGNING_ALGORITHMS',
      'createKeyRing',
      'createTokenIssuer',
      'encrypt',
      'generateSigningKey',
      'importSigningKey',
      'sign',
    ]);
  });
});
