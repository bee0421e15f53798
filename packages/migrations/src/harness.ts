// Runs the code blocks of a migration guide (docs/migrations/<guide>.md) as they are written:
// the block is written to .guides/ with only its JWKS URL pointed at a test issuer on
// 127.0.0.1 and its listen line moved to a free port on 127.0.0.1, then imported.
import { once } from 'node:events';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import {
  type CodeBlock,
  DOCS_AUDIENCE,
  DOCS_ISSUER,
  extractBlocks,
  toRunnable,
} from '@tokengate/readme-check';
import { createTestIssuer, type TestIssuer } from '@tokengate/testing';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const outDir = fileURLToPath(new URL('../.guides/', import.meta.url));
const DOCS_JWKS_URI = 'https://id.example.com/.well-known/jwks.json';

/**
 * The ts blocks of `docs/migrations/<guide>.md`, in order.
 *
 * @example
 * const [before, after] = guideBlocks('express-jwt');
 */
export function guideBlocks(guide: string): CodeBlock[] {
  const path = `docs/migrations/${guide}.md`;
  return extractBlocks(readFileSync(`${root}${path}`, 'utf8'), path);
}

/** A guide's app listening on 127.0.0.1. */
export interface RunningApp {
  /** `http://127.0.0.1:<port>` */
  base: string;
  close(): Promise<void>;
}

/**
 * Writes a block to `.guides/` with its JWKS URL and listen line replaced (readme-check's
 * `toRunnable`, as for every docs block), imports it and returns where it listens. Throws when
 * the block starts no server on 3000 or takes its keys from elsewhere: the guide changed and
 * the test must follow.
 *
 * @example
 * const app = await startBlock(guideBlocks('express-jwt')[0], issuer.jwksUri);
 */
export async function startBlock(block: CodeBlock, jwksUri: string): Promise<RunningApp> {
  const where = `${block.readme}:${block.line}`;
  if (!block.code.includes(DOCS_JWKS_URI) && !block.code.includes('process.env.JWT_SECRET'))
    throw new Error(
      `${where}: the block takes its keys neither from ${DOCS_JWKS_URI} nor JWT_SECRET`,
    );
  const { code, listens } = toRunnable(block.code, jwksUri);
  if (!listens) throw new Error(`${where}: no line of the block starts the server on 3000`);
  mkdirSync(outDir, { recursive: true });
  // esbuild compiles the Nest blocks' decorators as TypeScript's experimentalDecorators.
  writeFileSync(
    `${outDir}tsconfig.json`,
    JSON.stringify({ compilerOptions: { experimentalDecorators: true, target: 'ES2022' } }),
  );
  const file = `${outDir}${block.readme.replace(/^.*\//, '').replace(/\.md$/, '')}-${block.index}.ts`;
  writeFileSync(file, code);
  const { server } = (await import(/* @vite-ignore */ file)) as { server: Server };
  if (!server.listening) await once(server, 'listening');
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error(`${where}: not listening`);
  return {
    base: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The requests every guide's before and after apps are given. */
export type Case =
  | 'valid'
  | 'expired'
  | 'wrong audience'
  | 'wrong issuer'
  | 'bad signature'
  | 'missing token'
  | 'no exp'
  | 'missing scope'
  | 'with scope';

/**
 * A test issuer with the guides' `iss` and `aud` (RS256 by default, or HS256 with a secret),
 * and the token each case sends (`undefined` for no token).
 *
 * @example
 * const { issuer, tokens } = await guideIssuer({ scope: 'write:things' });
 */
export async function guideIssuer(
  options: { secret?: string; scope?: string } = {},
): Promise<{ issuer: TestIssuer; tokens: Record<Case, string | undefined> }> {
  const issuer = await createTestIssuer({
    issuer: DOCS_ISSUER,
    audience: DOCS_AUDIENCE,
    algorithms: ['RS256'],
    ...(options.secret ? { secret: options.secret } : {}),
  });
  const alg = options.secret ? ({ alg: 'HS256' } as const) : {};
  const scope = options.scope ?? 'read:things';
  const tokens: Record<Case, string | undefined> = {
    valid: await issuer.mint({}, alg),
    expired: await issuer.mint({}, { ...alg, expiresIn: -120 }),
    'wrong audience': await issuer.mint({ aud: 'https://other-api.example.com' }, alg),
    'wrong issuer': await issuer.mint({ iss: 'https://other-id.example.com/' }, alg),
    'bad signature': await issuer.mint({}, { ...alg, key: 'stranger' }),
    'missing token': undefined,
    'no exp': await issuer.mint({ exp: undefined }, alg),
    'missing scope': await issuer.mint({ scope: 'read:things' }, alg),
    'with scope': await issuer.mint({ scope: `read:things ${scope}` }, alg),
  };
  return { issuer, tokens };
}

/** What an app answered: status and the `WWW-Authenticate` header (`null` when absent). */
export interface Answer {
  status: number;
  challenge: string | null;
}

/**
 * Sends `GET base + path` with the token as a Bearer credential.
 *
 * @example
 * const { status } = await ask(app, '/api/me', tokens.valid);
 */
export async function ask(
  app: RunningApp,
  path: string,
  token: string | undefined,
  method = 'GET',
): Promise<Answer> {
  const response = await fetch(`${app.base}${path}`, {
    method,
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  await response.arrayBuffer();
  return { status: response.status, challenge: response.headers.get('www-authenticate') };
}
