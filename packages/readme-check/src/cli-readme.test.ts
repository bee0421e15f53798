// The "Debugging a token" section (the root README's, else the CLI README's, where it is
// written first) runs as written: each `tokengate` command of its sh block with a valid token,
// and the refusal its text block shows, output compared line by line. The built bin runs in a
// real process against a test issuer on 127.0.0.1 with the README's `iss` and `aud`, its JWK
// Set URL put in place of the README's. The other `tokengate` commands of the CLI README's sh
// blocks run too, and must exit 0.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createTestIssuer, type TestIssuer } from '@tokengate/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const bin = `${root}packages/cli/dist/bin.js`;
const HEADING = '## Debugging a token';
const ISSUER = 'https://id.example.com/';
const JWKS_URI = 'https://id.example.com/.well-known/jwks.json';

/** The section's text and the README it was found in. */
function debuggingSection(): { readme: string; text: string } {
  for (const readme of ['README.md', 'packages/cli/README.md']) {
    const markdown = readFileSync(`${root}${readme}`, 'utf8');
    const start = markdown.indexOf(`\n${HEADING}\n`);
    if (start === -1) continue;
    return { readme, text: markdown.slice(start, sectionEnd(markdown, start)) };
  }
  throw new Error(`No README has a "${HEADING}" section`);
}

/** Where the section starting at `start` ends: the next heading of its level, or a rule. */
function sectionEnd(markdown: string, start: number): number {
  const ends = ['\n## ', '\n---\n']
    .map((marker) => markdown.indexOf(marker, start + HEADING.length + 2))
    .filter((at) => at !== -1);
  return ends.length > 0 ? Math.min(...ends) : markdown.length;
}

/** The bodies of the fences of `language` in `text`. */
function fences(text: string, language: string): string[] {
  const pattern = new RegExp(`^\`\`\`${language}\\n([\\s\\S]*?)^\`\`\`$`, 'gm');
  return [...text.matchAll(pattern)].map((m) => m[1] ?? '');
}

/** The `tokengate` command lines of a shell block, continuation lines joined, comments dropped. */
function commands(block: string): string[] {
  return block
    .replace(/\\\n\s*/g, '')
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => /^(echo .*\| )?npx tokengate /.test(line));
}

function runnable(command: string, jwksUri: string): string {
  const urls = command.match(/https:\/\/id\.example\.com\/\.well-known\/\S+/g) ?? [];
  if (urls.some((url) => url !== JWKS_URI))
    throw new Error(`${command}: a URL the test does not serve`);
  return command
    .replaceAll(JWKS_URI, jwksUri)
    .replace(/npx tokengate /g, `"${process.execPath}" "${bin}" `);
}

function sh(
  command: string,
  token: string,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['--norc', '--noprofile', '-o', 'pipefail', '-c', command], {
      env: { PATH: process.env.PATH ?? '', TOKEN: token },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      stderr += c;
    });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('the "Debugging a token" commands, run', () => {
  const { readme, text } = debuggingSection();
  let issuer: TestIssuer;

  beforeAll(async () => {
    if (!existsSync(bin))
      throw new Error('packages/cli has no dist: run `pnpm --filter @tokengate/cli build` first');
    issuer = await createTestIssuer({ issuer: ISSUER, audience: 'api' });
  });

  afterAll(async () => {
    await issuer?.close();
  });

  const block = fences(text, 'sh')[0] ?? '';
  const lines = commands(block);

  it(`finds inspect, verify and jwks commands in ${readme}`, () => {
    expect(lines.map((line) => /npx tokengate (\w+)/.exec(line)?.[1])).toEqual([
      'inspect',
      'verify',
      'jwks',
    ]);
  });

  it.each(lines.map((line) => [line] as const))('exits 0 for a valid token: %s', async (line) => {
    const out = await sh(runnable(line, issuer.jwksUri), await issuer.mint());
    expect(out.stderr).toBe('');
    expect(out.status).toBe(0);
    expect(out.stdout).not.toBe('');
  });

  it('prints the refusal the README shows, line by line', async () => {
    const sample = fences(text, 'text').find((body) => body.startsWith('$ '));
    if (!sample) throw new Error(`${readme}: no text block starting with "$ <command>"`);
    const [first = '', ...expected] = sample.trimEnd().split('\n');
    const aud = /audience is \[(.*)\]/.exec(sample)?.[1]?.split(', ') ?? [];
    const out = await sh(runnable(first.slice(2), issuer.jwksUri), await issuer.mint({ aud }));
    expect(out.status).toBe(1);
    expect(out.stdout.trimEnd().split('\n')).toEqual(expected);
  });
});

describe('the other commands of the CLI README, run', () => {
  const markdown = readFileSync(`${root}packages/cli/README.md`, 'utf8');
  const start = markdown.indexOf(`\n${HEADING}\n`);
  const rest = start === -1 ? markdown : markdown.slice(sectionEnd(markdown, start));
  const lines = fences(rest, 'sh').flatMap(commands);
  let issuer: TestIssuer;

  beforeAll(async () => {
    issuer = await createTestIssuer({ issuer: ISSUER, audience: 'api' });
  });

  afterAll(async () => {
    await issuer?.close();
  });

  it('finds the help and mint examples', () => {
    expect(lines.map((line) => /npx tokengate (\S+)/.exec(line)?.[1])).toEqual(['--help', 'mint']);
  });

  it.each(lines.map((line) => [line] as const))('exits 0: %s', async (line) => {
    const out = await sh(runnable(line, issuer.jwksUri), await issuer.mint());
    expect(out.stderr).toBe('');
    expect(out.status).toBe(0);
  });
});
