import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { fetchJson, RemoteFetchError } from './jwks-fetch.js';

const url = new URL('https://id.example.com/jwks.json');

function fakeFetch(response: () => Response): typeof fetch {
  return (async () => response()) as unknown as typeof fetch;
}

function get(response: () => Response, maxResponseSize = 1024) {
  return fetchJson(url, {
    fetch: fakeFetch(response),
    signal: AbortSignal.timeout(1000),
    maxResponseSize,
    timeoutMs: 1000,
  });
}

describe('fetchJson', () => {
  it('returns the JSON object and its Cache-Control max-age', async () => {
    const result = await get(() =>
      Response.json({ keys: [] }, { headers: { 'cache-control': 'max-age=60' } }),
    );
    expect(result).toEqual({ url: url.href, body: { keys: [] }, maxAgeMs: 60_000 });
  });

  it('refuses a body whose declared length is over the cap before reading it', async () => {
    const response = () => new Response('{}', { headers: { 'content-length': '999999' } });
    await expect(get(response)).rejects.toThrow(/larger than 1024 bytes/);
  });

  it('stops reading a streamed body once it passes the cap', async () => {
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(512).fill(0x20));
      },
    });
    await expect(get(() => new Response(stream))).rejects.toBeInstanceOf(RemoteFetchError);
    expect(pulled).toBeLessThan(10);
  });

  it.each([
    [
      'a non-200 status',
      () => new Response('x', { status: 404 }),
      { kind: 'http-status', status: 404 },
    ],
    [
      'a redirect',
      () => new Response(null, { status: 302, headers: { location: '/x' } }),
      { kind: 'redirect', status: 302, location: '/x' },
    ],
    ['a JSON array', () => Response.json([1]), { kind: 'not-json' }],
    ['invalid JSON', () => new Response('{"keys": ['), { kind: 'not-json' }],
    ['invalid UTF-8', () => new Response(new Uint8Array([0xff, 0xfe])), { kind: 'not-json' }],
    [
      'a network failure',
      () => {
        throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
      },
      { kind: 'network', code: 'ECONNREFUSED', message: 'fetch failed' },
    ],
  ])('refuses %s with a RemoteFetchError naming the URL and the cause', async (_, response, failure) => {
    const error = await get(response as () => Response).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemoteFetchError);
    expect(error).toMatchObject({ url: url.href, failure });
    expect((error as Error).message).toContain(url.href);
  });

  it('never follows a real redirect, with a value of `redirect` that workerd accepts', async () => {
    const paths: string[] = [];
    const server = createServer((req, res) => {
      paths.push(req.url ?? '');
      if (req.url === '/jwks') res.writeHead(302, { location: '/elsewhere' }).end();
      else res.writeHead(200, { 'content-type': 'application/json' }).end('{"keys":[]}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const seen: RequestInit[] = [];
    const spy = ((input: string, init: RequestInit) => {
      seen.push(init);
      return fetch(input, init);
    }) as typeof fetch;
    try {
      await expect(
        fetchJson(new URL(`http://127.0.0.1:${port}/jwks`), {
          fetch: spy,
          signal: AbortSignal.timeout(2000),
          maxResponseSize: 1024,
          timeoutMs: 2000,
        }),
      ).rejects.toThrow(/redirect refused \(HTTP 302 to \/elsewhere/);
      expect(paths).toEqual(['/jwks']);
      expect(seen[0]?.redirect).toBe('manual');
    } finally {
      server.close();
    }
  });

  it('reports a timeout as such', async () => {
    const hanging = ((_: string, init: RequestInit) =>
      new Promise((_resolve, reject) => {
        init.signal?.addEventListener('abort', () => reject(init.signal?.reason));
      })) as unknown as typeof fetch;
    const result = fetchJson(url, {
      fetch: hanging,
      signal: AbortSignal.timeout(20),
      maxResponseSize: 10,
      timeoutMs: 20,
    });
    await expect(result).rejects.toMatchObject({ failure: { kind: 'timeout', timeoutMs: 20 } });
    await expect(result).rejects.toThrow(/timed out after 20 ms/);
  });
});
