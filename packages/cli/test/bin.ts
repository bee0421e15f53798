// Run the built `tokengate` bin as a user does: a real Node process, argv, stdin, exit status.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const cliDir = fileURLToPath(new URL('..', import.meta.url));
export const esmBin = join(cliDir, 'dist/bin.js');
export const cjsBin = join(cliDir, 'dist/bin.cjs');

/** What one run of the command gave back. */
export interface Outcome {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Throws unless `dist` exists and is newer than every source file, and the packages the bin
 * imports (core, issuer) have a `dist` too.
 */
export function assertBuilt(): void {
  for (const pkg of ['core', 'issuer'])
    if (!existsSync(join(cliDir, '..', pkg, 'dist')))
      throw new Error(
        `packages/${pkg} has no dist, which the tokengate bin imports: run \`pnpm --filter @tokengate/${pkg} build\` first`,
      );
  const rebuild = 'run `pnpm --filter @tokengate/cli build` first';
  if (!existsSync(esmBin) || !existsSync(cjsBin))
    throw new Error(`packages/cli has no dist: ${rebuild}`);
  const built = Math.min(statSync(esmBin).mtimeMs, statSync(cjsBin).mtimeMs);
  const newest = (readdirSync(join(cliDir, 'src'), { recursive: true }) as string[])
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .reduce((max, f) => Math.max(max, statSync(join(cliDir, 'src', f)).mtimeMs), 0);
  if (newest > built) throw new Error(`packages/cli/dist is stale: ${rebuild}`);
}

/**
 * Run `tokengate args…` with `stdin` and only the given environment (plus PATH), so the
 * developer's own TOKENGATE_* or NO_COLOR variables never change a test.
 */
export function tokengate(
  args: readonly string[],
  options: { stdin?: string; env?: Record<string, string>; bin?: string } = {},
): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [options.bin ?? esmBin, ...args], {
      env: { PATH: process.env.PATH ?? '', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}
