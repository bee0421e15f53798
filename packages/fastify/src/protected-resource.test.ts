import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { createVerifier, protectedResourceRoute } from './index.js';

const resource = {
  resource: 'https://api.example/mcp',
  authorizationServers: ['https://id.example/'],
};
const base = {
  secret: 'a-test-secret-that-is-at-least-32-bytes-long!',
  issuer: 'https://id.example/',
  audience: 'api',
};
const options = { ...base, resource };

describe('protectedResourceRoute (Fastify plugin)', () => {
  it('serves the document on an app without the tokengate plugin, from options or a verifier', async () => {
    for (const registration of [options, { verifier: createVerifier(options) }]) {
      const app = Fastify();
      await app.register(protectedResourceRoute, registration);
      const res = await app.inject('/.well-known/oauth-protected-resource/mcp');
      expect(res.statusCode).toBe(200);
      expect(res.headers['access-control-allow-origin']).toBe('*');
      expect(res.json()).toEqual({
        resource: resource.resource,
        authorization_servers: resource.authorizationServers,
        bearer_methods_supported: ['header'],
      });
      const post = await app.inject({
        method: 'POST',
        url: '/.well-known/oauth-protected-resource/mcp',
      });
      expect(post.statusCode).toBe(405);
      expect(post.headers.allow).toBe('GET, HEAD, OPTIONS');
      await app.close();
    }
  });

  it('fails the registration on options without a valid `resource`', async () => {
    for (const bad of [base, { ...base, resource: { resource: 'http://api.example/' } }]) {
      const app = Fastify();
      await expect(app.register(protectedResourceRoute, bad).ready()).rejects.toThrow(TypeError);
      await app.close();
    }
  });
});
