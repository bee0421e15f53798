// `onRequest: app.authenticate` read where the plugin is not registered is `undefined`, which
// Fastify takes for no hook: the route would be served without authentication. An app that
// uses the plugin refuses to start instead, for the routes declared after its first
// registration (Fastify lists no routes, so earlier ones cannot be seen).
import { bearer, createSecretMinter } from '@tokengate/testing/mint';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { tokengate } from './index.js';

const minter = createSecretMinter({ subject: 'user-1' });
const options = minter.verifierOptions();

describe('a route whose auth hook is undefined', () => {
  it('stops the app when the plugin is registered only in a sibling context', async () => {
    const app = Fastify();
    await app.register(async (api) => {
      await api.register(tokengate, options);
      api.get('/api/me', { onRequest: api.authenticate }, async () => 'fine');
    });
    // The root never sees the decorator: `app.authenticate` is undefined here.
    app.get('/admin', { onRequest: app.authenticate }, async () => 'secret');
    await expect(app.ready()).rejects.toThrow(
      /GET \/admin(, HEAD \/admin)? declares? onRequest: undefined.*app\.authenticate/,
    );
  });

  it('stops the app when a parent context declares the route after the registration', async () => {
    const app = Fastify();
    await app.register(async (v1) => {
      await v1.register(async (api) => {
        await api.register(tokengate, options);
      });
      // v1 existed before the registration and never gets the decorator.
      v1.get('/v1/admin', { preHandler: v1.authenticate }, async () => 'secret');
    });
    await expect(app.inject({ url: '/v1/admin' })).rejects.toThrow(
      /GET \/v1\/admin(, HEAD \/v1\/admin)? declares? preHandler: undefined/,
    );
  });

  it('stops the app when a later sibling reads the decorator before its own registration', async () => {
    const app = Fastify();
    await app.register(async (api) => {
      await api.register(tokengate, options);
    });
    await app.register(async (admin) => {
      admin.get('/admin', { preValidation: admin.authenticate }, async () => 'secret');
      await admin.register(tokengate, options);
    });
    await expect(app.ready()).rejects.toThrow(
      /GET \/admin(, HEAD \/admin)? declares? preValidation: undefined/,
    );
  });

  it('leaves apps that do not use the plugin, and routes without the key, alone', async () => {
    const plain = Fastify();
    plain.get('/x', { onRequest: undefined }, async () => 'open by choice');
    expect((await plain.inject({ url: '/x' })).body).toBe('open by choice');

    const app = Fastify();
    await app.register(tokengate, options);
    app.get('/me', { onRequest: app.authenticate }, async (request) => request.auth?.claims.sub);
    app.get('/health', async () => 'ok');
    expect((await app.inject({ url: '/health' })).body).toBe('ok');
    expect((await app.inject({ url: '/me' })).statusCode).toBe(401);
    const me = await app.inject({ url: '/me', headers: bearer(await minter.mint()) });
    expect(me.body).toBe('user-1');
  });
});
