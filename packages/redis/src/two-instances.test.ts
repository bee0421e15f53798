// Two processes — two instances of one API and issuer, one on node-redis, one on ioredis —
// sharing one real redis-server, as behind a load balancer.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, type TestRedisServer } from './test-support/redis-server.js';

const INSTANCE = fileURLToPath(new URL('./test-support/instance.ts', import.meta.url));
const SECRET = randomBytes(32).toString('base64url');

let redis: TestRedisServer;
const children: ChildProcess[] = [];
let a: string;
let b: string;

function startInstance(client: 'node-redis' | 'ioredis'): Promise<string> {
  const child = spawn(
    process.execPath,
    ['--conditions=@tokengate/source', '--import', 'tsx', INSTANCE],
    {
      env: { ...process.env, REDIS_URL: redis.url, SECRET, CLIENT: client },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  children.push(child);
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the ${client} instance exited with ${code}`)));
    createInterface({ input: child.stdout! }).once('line', (line) => {
      resolve(`http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}`);
    });
  });
}

beforeAll(async () => {
  redis = await startRedisServer();
  [a, b] = await Promise.all([startInstance('node-redis'), startInstance('ioredis')]);
}, 60_000);
afterAll(async () => {
  for (const child of children) child.kill('SIGTERM');
  await redis?.close();
});

const post = (url: string, body: unknown, token?: string) =>
  fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
const me = (url: string, token: string) =>
  fetch(`${url}/me`, { headers: { authorization: `Bearer ${token}` } });

interface Pair {
  access_token: string;
  refresh_token: string;
}
const login = async (sub: string): Promise<Pair> =>
  (await post(`${a}/login`, { sub })).json() as Promise<Pair>;

// A real DPoP client (oauth4webapi): the request it would send to the public origin, as header
// lines, so the test can send it to either instance — and send it again.
async function dpopClient() {
  const keyPair = await oauth.generateKeyPair('ES256');
  const jkt = await oauth.DPoP({}, keyPair).calculateThumbprint();
  const request = async (token: string): Promise<Record<string, string>> => {
    const sent: Record<string, string> = {};
    await oauth.protectedResourceRequest(
      token,
      'GET',
      new URL('https://api.example/me'),
      new Headers(),
      null,
      {
        DPoP: oauth.DPoP({}, keyPair),
        [oauth.customFetch]: async (_url, init) => {
          new Headers(init.headers as HeadersInit).forEach((value, name) => {
            sent[name] = value;
          });
          return new Response(null, { status: 204 });
        },
      },
    );
    return sent;
  };
  return { jkt, request };
}

describe('two instances sharing one Redis', () => {
  it('give exactly one new pair for a refresh token presented to both at once; reuse then revokes the family on both', async () => {
    const pair = await login('user-1');
    const answers = await Promise.all(
      [a, b].map((url) => post(`${url}/refresh`, { refresh_token: pair.refresh_token })),
    );
    const statuses = answers.map((r) => r.status).sort();
    expect(
      statuses,
      JSON.stringify(await Promise.all(answers.map((r) => r.clone().text()))),
    ).toEqual([200, 400]);
    const winner = (await answers.find((r) => r.status === 200)!.json()) as Pair;
    const loser = await answers.find((r) => r.status === 400)!.json();
    expect(loser).toMatchObject({ error: 'invalid_grant', code: 'ERR_REFRESH_TOKEN_REUSED' });
    for (const url of [a, b]) {
      const again = await post(`${url}/refresh`, { refresh_token: winner.refresh_token });
      expect(again.status).toBe(400);
      expect(await again.json()).toMatchObject({
        error: 'invalid_grant',
        code: 'ERR_REFRESH_TOKEN_INVALID',
      });
    }
  });

  it('let exactly one of 1,000 concurrent refreshes of one token across both win', async () => {
    const pair = await login('user-2');
    const started = performance.now();
    const answers = await Promise.all(
      Array.from({ length: 1000 }, (_, i) =>
        post(`${i % 2 ? a : b}/refresh`, { refresh_token: pair.refresh_token }).then(async (r) => {
          await r.arrayBuffer();
          return r.status;
        }),
      ),
    );
    const elapsed = performance.now() - started;
    console.info(
      `[redis] 1,000 concurrent refreshes over HTTP across two instances: ${elapsed.toFixed(0)} ms`,
    );
    const count = (status: number) => answers.filter((s) => s === status).length;
    expect({ 200: count(200), 400: count(400) }).toEqual({ 200: 1, 400: 999 });
  });

  it('refuse on one instance an access token revoked through the other', async () => {
    const pair = await login('user-3');
    expect((await me(b, pair.access_token)).status).toBe(200);
    expect((await post(`${a}/revoke`, {}, pair.access_token)).status).toBe(204);
    const refused = await me(b, pair.access_token);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ code: 'ERR_TOKEN_REVOKED' });
    expect((await me(b, (await login('user-3')).access_token)).status).toBe(200);
  });

  it('refuse a DPoP proof replayed to the other instance', async () => {
    const client = await dpopClient();
    const { access_token: token } = (await (
      await post(`${a}/login`, { sub: 'user-5', jkt: client.jkt })
    ).json()) as Pair;
    const headers = await client.request(token);
    expect(headers.authorization).toBe(`DPoP ${token}`);
    expect((await fetch(`${a}/me`, { headers })).status).toBe(200);
    const replayed = await fetch(`${b}/me`, { headers });
    expect(replayed.status).toBe(401);
    expect(await replayed.json()).toMatchObject({
      error: 'invalid_dpop_proof',
      code: 'ERR_DPOP_PROOF_REPLAYED',
    });
    expect((await fetch(`${b}/me`, { headers: await client.request(token) })).status).toBe(200);
  });

  it('answer 503 with Retry-After while Redis is down (never 200, never 401), and resume once it is back', async () => {
    const pair = await login('user-4');
    const client = await dpopClient();
    const { access_token: bound } = (await (
      await post(`${a}/login`, { sub: 'user-4', jkt: client.jkt })
    ).json()) as Pair;
    await redis.kill();
    for (const url of [a, b]) {
      const refused = await me(url, pair.access_token);
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('5');
      expect(refused.headers.get('www-authenticate')).toBeNull();
      expect(await refused.json()).toMatchObject({
        error: 'temporarily_unavailable',
        code: 'ERR_REDIS_UNAVAILABLE',
      });
      // A DPoP proof cannot be checked against replay: refused the same way, never accepted.
      const proven = await fetch(`${url}/me`, { headers: await client.request(bound) });
      expect(proven.status).toBe(503);
      expect(proven.headers.get('retry-after')).toBe('5');
      const refresh = await post(`${url}/refresh`, { refresh_token: pair.refresh_token });
      expect(refresh.status).toBe(503);
      expect(await refresh.json()).toMatchObject({ error: 'temporarily_unavailable' });
    }
    await redis.restart();
    for (const url of [a, b]) {
      let status = 503;
      for (let attempt = 0; attempt < 200 && status === 503; attempt++) {
        status = (await me(url, pair.access_token)).status;
        if (status === 503) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(status).toBe(200);
    }
  });
});
