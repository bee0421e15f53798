// One process, two copies of core: the ESM build (import) and the CommonJS build (require),
// as an application gets when an ESM adapter and a CommonJS one (or its own `require`) load
// core side by side. Errors thrown by one copy must pass the other's `instanceof` and
// `isTokengateError`, as the adapter READMEs promise.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const core = fileURLToPath(new URL('..', import.meta.url));

// Run in a plain Node process: vitest's own module loading must not stand between the builds.
const script = `
import { createRequire } from 'node:module';
const esm = await import(${JSON.stringify(join(core, 'dist/index.js'))});
const cjs = createRequire(import.meta.url)(${JSON.stringify(join(core, 'dist/index.cjs'))});

class TokenExpiredError extends Error {
  code = 'ERR_TOKEN_EXPIRED';
  status = 401;
}
const checks = (made, by) => {
  const expired = new made.TokenExpiredError();
  const claim = new made.InvalidClaimError('org');
  const scope = new made.InsufficientScopeError(['read']);
  return {
    expired: {
      isTokengateError: by.isTokengateError(expired),
      TokengateError: expired instanceof by.TokengateError,
      InvalidTokenError: expired instanceof by.InvalidTokenError,
      TokenExpiredError: expired instanceof by.TokenExpiredError,
      InvalidSignatureError: expired instanceof by.InvalidSignatureError,
      InsufficientScopeError: expired instanceof by.InsufficientScopeError,
    },
    claim: {
      InvalidClaimError: claim instanceof by.InvalidClaimError,
      InvalidTokenError: claim instanceof by.InvalidTokenError,
      TokenExpiredError: claim instanceof by.TokenExpiredError,
    },
    scope: {
      InsufficientScopeError: scope instanceof by.InsufficientScopeError,
      InvalidTokenError: scope instanceof by.InvalidTokenError,
    },
    strangers: {
      plainError: by.isTokengateError(new Error('expired')),
      sameName: by.isTokengateError(new TokenExpiredError()),
      sameNameAsClass: new TokenExpiredError() instanceof by.TokenExpiredError,
      lookalikeObject: by.isTokengateError({ code: 'ERR_TOKEN_EXPIRED', status: 401 }),
    },
  };
};
console.log(JSON.stringify({
  twoCopies: esm.TokengateError !== cjs.TokengateError,
  cjsByEsm: checks(cjs, esm),
  esmByCjs: checks(esm, cjs),
}));
`;

function assertBuilt(): void {
  const built = join(core, 'dist/index.cjs');
  const rebuild = 'run `pnpm --filter @tokengate/core build` first';
  if (!existsSync(built)) throw new Error(`packages/core has no dist: ${rebuild}`);
  const newest = (readdirSync(join(core, 'src'), { recursive: true }) as string[])
    .filter((f) => f.endsWith('.ts') && !/\.test(-d)?\.ts$/.test(f))
    .reduce((max, f) => Math.max(max, statSync(join(core, 'src', f)).mtimeMs), 0);
  if (newest > statSync(built).mtimeMs) throw new Error(`packages/core/dist is stale: ${rebuild}`);
}

describe('errors across the ESM and the CommonJS build in one process', () => {
  let result: Record<string, unknown>;

  beforeAll(async () => {
    assertBuilt();
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--input-type=module', '--eval', script],
      { cwd: core },
    );
    result = JSON.parse(stdout);
  });

  it('loads two distinct copies of the classes', () => {
    expect(result.twoCopies).toBe(true);
  });

  const expected = {
    expired: {
      isTokengateError: true,
      TokengateError: true,
      InvalidTokenError: true,
      TokenExpiredError: true,
      InvalidSignatureError: false,
      InsufficientScopeError: false,
    },
    claim: { InvalidClaimError: true, InvalidTokenError: true, TokenExpiredError: false },
    scope: { InsufficientScopeError: true, InvalidTokenError: false },
    strangers: {
      plainError: false,
      sameName: false,
      sameNameAsClass: false,
      lookalikeObject: false,
    },
  };

  it("recognises the CommonJS build's errors with the ESM build's classes", () => {
    expect(result.cjsByEsm).toEqual(expected);
  });

  it("recognises the ESM build's errors with the CommonJS build's classes", () => {
    expect(result.esmByCjs).toEqual(expected);
  });
});
