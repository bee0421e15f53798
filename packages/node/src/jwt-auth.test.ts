import type { RequestListener } from 'node:http';
import { bearer } from '@tokengate/testing/mint';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type AuthHandler,
  jwtAuth,
  type NodeAuthOptions,
  type Refusal,
  TokengateError,
  type Verifier,
} from './index.js';
import { json, listen } from './test-support/http.js';
import { mint, options } from './test-support/tokens.js';

let close: (() => Promise<void>) | undefined;
const ran: string[] = [];

afterEach(async () => {
  await close?.();
  close = undefined;
  ran.length = 0;
  vi.restoreAllMocks();
});

const me: AuthHandler = (_req, res, auth) => {
  ran.push('handler');
  json(res, { sub: auth?.claims.sub ?? null });
};

async function serve(listener: RequestListener): Promise<string> {
  const server = await listen(listener);
  close = server.close;
  return `${server.baseUrl}/me`;
}

/** A verifier whose authentication fails with something that is not the client's fault. */
function broken(failure: () => never): Verifier<unknown> {
  return { authenticate: failure } as unknown as Verifier<unknown>;
}

describe('jwtAuth() options', () => {
  it('throws TypeError for a source or options that are not objects', () => {
    expect(() => jwtAuth(null as never)).toThrow(TypeError);
    expect(() => jwtAuth('secret' as never)).toThrow(TypeError);
    expect(() => jwtAuth(options, 'strict' as never)).toThrow(TypeError);
  });

  it('throws TypeError naming a hook that is not a function', () => {
    expect(() => jwtAuth(options, { onError: 'log' as never })).toThrow('"onError"');
    expect(() => jwtAuth(options, { onRefusal: {} as never })).toThrow('"onRefusal"');
  });

  it('throws TypeError for an unknown option, a bad optional mode or scope mode', () => {
    const wrong = (value: object) => () => jwtAuth(options, value as NodeAuthOptions);
    expect(wrong({ passErrors: true })).toThrow('jwtAuth(): unknown option "passErrors"');
    expect(wrong({ optional: 'sometimes' })).toThrow(TypeError);
    expect(wrong({ scopes: 'read', scopeMode: 'most' })).toThrow(TypeError);
    expect(wrong({ scopeMode: 'any' })).toThrow(TypeError);
    expect(wrong({ scopes: [] })).toThrow(TypeError);
    expect(wrong({ claims: {} })).toThrow(TypeError);
  });

  it('throws TypeError for bad verifier options and for a handler that is not a function', () => {
    expect(() => jwtAuth({ ...options, algorithms: [] })).toThrow(TypeError);
    expect(() => jwtAuth(options)(undefined as never)).toThrow(
      'jwtAuth(): the handler must be a function',
    );
  });
});

describe('jwtAuth() on node:http', () => {
  it('runs the handler with the verified token', async () => {
    const url = await serve(jwtAuth(options)(me));
    const res = await fetch(url, { headers: bearer(await mint()) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ sub: 'user-1' });
    expect(ran).toEqual(['handler']);
  });

  it('answers a missing token with 401 before the listener returns, without the handler', async () => {
    const answered: boolean[] = [];
    const listener = jwtAuth(options)(me);
    const url = await serve((req, res) => {
      listener(req, res);
      answered.push(res.writableEnded);
    });
    const res = await fetch(url);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="api"');
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await res.json()).toEqual({
      error: 'unauthorized',
      error_description: 'Authentication required',
      code: 'ERR_TOKEN_MISSING',
    });
    expect(answered).toEqual([true]);
    expect(ran).toEqual([]);
  });

  it('runs the handler before the listener returns for a cached token', async () => {
    const returned: string[][] = [];
    const listener = jwtAuth({ ...options, cache: true })(me);
    const url = await serve((req, res) => {
      listener(req, res);
      returned.push([...ran]);
    });
    const headers = bearer(await mint());
    expect((await fetch(url, { headers })).status).toBe(200);
    expect((await fetch(url, { headers })).status).toBe(200);
    expect(returned.at(-1)).toEqual(['handler', 'handler']);
  });

  it('hands a refusal to onRefusal, which answers it its own way', async () => {
    const refusals: Refusal[] = [];
    const url = await serve(
      jwtAuth(options, {
        onRefusal: (refusal, _req, res) => {
          refusals.push(refusal);
          res.writeHead(refusal.status, refusal.headers).end(`denied: ${refusal.error.code}`);
        },
      })(me),
    );
    const res = await fetch(url, { headers: bearer(await mint({}, { key: 'stranger' })) });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(
      'Bearer realm="api", error="invalid_token", error_description="The token signature is invalid"',
    );
    expect(await res.text()).toBe('denied: ERR_SIGNATURE_INVALID');
    expect(refusals[0]?.error).toBeInstanceOf(TokengateError);
    expect(refusals[0]?.body).toMatchObject({ code: 'ERR_SIGNATURE_INVALID' });
    expect(ran).toEqual([]);
  });

  it.each([
    [
      'synchronously',
      () =>
        broken(() => {
          throw new RangeError('bad key');
        }),
    ],
    [
      'asynchronously',
      () =>
        ({
          authenticate: () => Promise.reject(new RangeError('bad key')),
        }) as unknown as Verifier<unknown>,
    ],
  ])('answers a verifier failing %s with a bare 500 and tells onError', async (_how, make) => {
    const onError = vi.fn();
    const url = await serve(jwtAuth(make(), { onError })(me));
    const res = await fetch(url, { headers: bearer(await mint()) });
    expect(res.status).toBe(500);
    expect(res.headers.get('www-authenticate')).toBeNull();
    expect(await res.json()).toEqual({ error: 'server_error' });
    expect(onError).toHaveBeenCalledTimes(1);
    expect(onError.mock.calls[0]?.[0]).toEqual(new RangeError('bad key'));
    expect(ran).toEqual([]);
  });

  it.each([
    [
      'throws',
      (): never => {
        throw new RangeError('handler bug');
      },
    ],
    ['rejects', () => Promise.reject(new RangeError('handler bug'))],
  ])('answers a handler that %s with 500 and tells onError', async (_how, handler) => {
    const onError = vi.fn();
    const url = await serve(jwtAuth(options, { onError })(handler));
    const res = await fetch(url, { headers: bearer(await mint()) });
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: 'server_error' });
    expect(onError.mock.calls).toEqual([[new RangeError('handler bug'), expect.anything()]]);
  });

  it('cuts the connection when the handler fails after it started answering', async () => {
    const onError = vi.fn();
    const url = await serve(
      jwtAuth(options, { onError })(async (_req, res) => {
        res.writeHead(200).write('partial');
        // Let Node send the head before the failure.
        await new Promise((resolve) => setImmediate(resolve));
        throw new RangeError('mid-answer');
      }),
    );
    const res = await fetch(url, { headers: bearer(await mint()) });
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
    expect(onError).toHaveBeenCalledWith(new RangeError('mid-answer'), expect.anything());
  });

  it('reports failures with console.error by default', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const bug = new RangeError('bad key');
    const url = await serve(
      jwtAuth(
        broken(() => {
          throw bug;
        }),
      )(me),
    );
    expect((await fetch(url)).status).toBe(500);
    expect(logged).toHaveBeenCalledWith(bug);
  });
});
