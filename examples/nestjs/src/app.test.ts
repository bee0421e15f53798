import 'reflect-metadata';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeExampleApi } from '@tokengate-examples/shared/suite';
import { afterAll, describe, expect, it } from 'vitest';
import { loadNestConfig } from './config.js';
import { start } from './main.js';

for (const platform of ['express', 'fastify'] as const) {
  describeExampleApi(
    'nestjs',
    (deps) => start(deps, { port: 0 }, { platform }),
    `the nestjs example API on ${platform}`,
  );
}

describe('loadNestConfig', () => {
  it('defaults to port 3004 on the Express platform', () => {
    expect(loadNestConfig({})).toMatchObject({ port: 3004, platform: 'express' });
  });

  it('refuses an unknown PLATFORM with a TypeError', () => {
    expect(() => loadNestConfig({ PLATFORM: 'koa' })).toThrow(TypeError);
  });
});

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

describe('the start script', () => {
  let child: ChildProcess | undefined;
  afterAll(() => {
    child?.kill();
  });

  it('runs as its own issuer: login, then /me over HTTP', async () => {
    const dir = join(dirname(fileURLToPath(import.meta.url)), '..');
    const port = String(await freePort());
    child = spawn(
      join(dir, 'node_modules/.bin/tsx'),
      ['--conditions=@tokengate/source', 'src/main.ts'],
      {
        cwd: dir,
        env: { PATH: process.env.PATH, PORT: port, PLATFORM: 'fastify' },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      out += chunk;
    });
    const exited = once(child, 'exit').then(() => {
      throw new Error(`the app exited: ${out}`);
    });
    exited.catch(() => {});
    while (!out.includes('listening on')) {
      await Promise.race([once(child.stdout!, 'data'), exited]);
    }
    const base = `http://127.0.0.1:${port}`;
    const login = await fetch(`${base}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'alice', password: 'wonderland' }),
    });
    const { access_token } = (await login.json()) as { access_token: string };
    const res = await fetch(`${base}/me`, { headers: { authorization: `Bearer ${access_token}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ sub: 'alice', iss: base });
  });

  it('prints one line naming a misconfigured variable and exits 1, without a stack', async () => {
    const dir = join(dirname(fileURLToPath(import.meta.url)), '..');
    const bad = spawn(
      join(dir, 'node_modules/.bin/tsx'),
      ['--conditions=@tokengate/source', 'src/main.ts'],
      {
        cwd: dir,
        env: { PATH: process.env.PATH, ACCESS_TOKEN_TTL: 'soon' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let err = '';
    bad.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      err += chunk;
    });
    const [code] = await once(bad, 'exit');
    expect(code).toBe(1);
    expect(err.trim()).toBe(
      `tokengate Nest example: ACCESS_TOKEN_TTL must be a positive whole number of seconds or a duration such as '15m', got "soon"`,
    );
  });
});
