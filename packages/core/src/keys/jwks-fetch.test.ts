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
  });
}

describe('fetchJson', () => {
  it('returns the JSON object and its Cache-Control max-age', async () => {
    const result = await get(() =>
      Response.json({ keys: [] }, { headers: { 'cache-control': 'max-age=60' } }),
    );
    expect(result).toEqual({ body: { keys: [] }, maxAgeMs: 60_000 });
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
    ['a non-200 status', () => new Response('x', { status: 404 }), /HTTP status 404/],
    ['a redirect', () => new Response(null, { status: 302, headers: { location: '/x' } }), /302/],
    ['a JSON array', () => Response.json([1]), /not a JSON object/],
    ['invalid UTF-8', () => new Response(new Uint8Array([0xff, 0xfe])), /not valid UTF-8/],
    [
      'a network failure',
      () => {
        throw new TypeError('fetch failed');
      },
      /request failed/,
    ],
  ])('refuses %s with a RemoteFetchError', async (_, response, message) => {
    await expect(get(response as () => Response)).rejects.toThrow(message);
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
        }),
      ).rejects.toThrow(/HTTP status 302/);
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
    });
    await expect(result).rejects.toThrow(/timed out/);
  });
});
