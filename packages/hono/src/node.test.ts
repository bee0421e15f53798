import { connect } from 'node:net';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jwtAuth } from './index.js';
import { listen } from './test-support/node-server.js';
import { mint, options } from './test-support/tokens.js';

// Raw HTTP/1.1 so two `Authorization` lines really reach Node's parser.
function rawGet(baseUrl: string, path: string, headerLines: string[]): Promise<string> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.end(
        [
          `GET ${path} HTTP/1.1`,
          `Host: ${hostname}`,
          'Connection: close',
          ...headerLines,
          '',
          '',
        ].join('\r\n'),
      );
    });
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => {
      data += chunk;
    });
    socket.on('end', () => resolve(data));
    socket.on('error', reject);
  });
}

describe('jwtAuth under @hono/node-server', () => {
  let server: Awaited<ReturnType<typeof listen>>;
  beforeAll(async () => {
    const app = new Hono();
    app.get('/p', jwtAuth(options), (c) => c.json({ sub: c.var.auth.claims.sub }));
    server = await listen(app);
  });
  afterAll(() => server?.close());

  it('verifies a token over a real loopback connection', async () => {
    const res = await fetch(`${server.baseUrl}/p`, {
      headers: { Authorization: `Bearer ${await mint()}` },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ sub: 'user-1' });
  });

  it('refuses two raw Authorization header lines with 400 invalid_request', async () => {
    const token = await mint();
    const text = await rawGet(server.baseUrl, '/p', [
      `Authorization: Bearer ${token}`,
      `Authorization: Bearer ${token}`,
    ]);
    expect(text).toMatch(/^HTTP\/1\.1 400 /);
    expect(text).toMatch(/www-authenticate: Bearer realm="api", error="invalid_request"/i);
  });
});
