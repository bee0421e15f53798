import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { protectedResourceRoute } from './index.js';

const resource = { resource: 'https://api.example/', resourceName: 'Example' };
const base = {
  secret: 'a-test-secret-that-is-at-least-32-bytes-long!',
  issuer: 'https://id.example/',
  audience: 'api',
};
const options = { ...base, resource };

describe('protectedResourceRoute (Hono)', () => {
  const app = new Hono().route('/', protectedResourceRoute(options));

  it('serves the document at the bare well-known path of a root resource', async () => {
    const res = await app.request('/.well-known/oauth-protected-resource');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({
      resource: resource.resource,
      bearer_methods_supported: ['header'],
      resource_name: 'Example',
    });
  });

  it('answers the preflight and refuses other methods', async () => {
    const preflight = await app.request('/.well-known/oauth-protected-resource', {
      method: 'OPTIONS',
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    const del = await app.request('/.well-known/oauth-protected-resource', { method: 'DELETE' });
    expect(del.status).toBe(405);
  });

  it('throws TypeError on options without a valid `resource`', () => {
    expect(() => protectedResourceRoute(base)).toThrow(TypeError);
    expect(() =>
      protectedResourceRoute({ ...options, resource: { resource: 'https://api.example/#top' } }),
    ).toThrow('"resource.resource" must be a URL without a fragment');
  });
});
