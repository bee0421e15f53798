import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { describe, expect, it } from 'vitest';
import { HonoExchange } from './exchange.js';
import { InsufficientScopeError, toHTTPException } from './index.js';

describe('HonoExchange', () => {
  it('adds the headers a pass carries to the response and continues the chain', async () => {
    const app = new Hono();
    app.get(
      '/p',
      (c, next) => new HonoExchange(c, next).pass(undefined, { 'X-Answer': 'yes' }),
      (c) => c.json({ auth: c.get('auth') ?? 'undefined' }),
    );
    const res = await app.request('/p');
    expect(res.headers.get('x-answer')).toBe('yes');
    expect(await res.json()).toEqual({ auth: 'undefined' });
  });
});

describe('toHTTPException', () => {
  it('carries the status, the challenge, the JSON body and the core error as cause', async () => {
    const error = new InsufficientScopeError(['admin']);
    const exception = toHTTPException(error);
    expect(exception).toBeInstanceOf(HTTPException);
    expect(exception.status).toBe(403);
    expect(exception.cause).toBe(error);
    const res = exception.getResponse();
    expect(res.headers.get('www-authenticate')).toBe(
      'Bearer error="insufficient_scope", error_description="The token lacks the required scope", scope="admin"',
    );
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await res.json()).toEqual({
      error: 'insufficient_scope',
      error_description: 'The token lacks the required scope',
      code: 'ERR_INSUFFICIENT_SCOPE',
    });
  });
});
