import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadJwksUri } from './net.js';
import { rawRequest } from './raw-request.js';

const server = createServer((req, res) => {
  if (req.url === '/hang') return;
  res.setHeader('x-dup', ['one', 'two']);
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ method: req.method, raw: req.rawHeaders }));
});
let base = '';
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('rawRequest', () => {
  it('sends a repeated header as separate lines, in order, with Host', async () => {
    const res = await rawRequest(`${base}/x`, [
      ['Authorization', 'Bearer a'],
      ['X-Other', '1'],
      ['authorization', 'Bearer b'],
    ]);
    const raw = (JSON.parse(res.text) as { raw: string[] }).raw;
    const pairs = raw.flatMap((v, i) => (i % 2 === 0 ? [[v.toLowerCase(), raw[i + 1]]] : []));
    expect(pairs.filter(([n]) => n === 'authorization')).toEqual([
      ['authorization', 'Bearer a'],
      ['authorization', 'Bearer b'],
    ]);
    expect(pairs.some(([n]) => n === 'host')).toBe(true);
  });

  it('keeps every value of a repeated response header', async () => {
    const res = await rawRequest(`${base}/x`, [], { method: 'DELETE' });
    expect(res.status).toBe(200);
    expect(res.headers['x-dup']).toEqual(['one', 'two']);
    expect(() => res.header('X-Dup')).toThrow(/2 "X-Dup" headers/);
    expect(res.header('content-type')).toBe('application/json');
    expect(res.header('absent')).toBeUndefined();
    expect(JSON.parse(res.text).method).toBe('DELETE');
  });

  it('gives up on a server that never answers', async () => {
    await expect(rawRequest(`${base}/hang`, [], { timeoutMs: 100 })).rejects.toThrow(
      /within 100 ms/,
    );
  });

  it('rejects when nothing listens', async () => {
    await expect(rawRequest(await deadJwksUri())).rejects.toThrow(/ECONNREFUSED/);
  });
});
