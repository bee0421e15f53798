import { startDemoIssuer } from '@tokengate-examples/shared';
import { describeExampleApi } from '@tokengate-examples/shared/suite';
import { describe, expect, it } from 'vitest';
import { createApp, createEdgeApp, edgeVerifierOptions, start } from './index.js';

describeExampleApi('hono', (deps) => start(deps, { port: 0 }));

describe('the Hono example in-process', () => {
  it('answers app.request() without a server', async () => {
    const issuer = await startDemoIssuer();
    try {
      const res = await createApp(issuer.deps).request('/health');
      expect(await res.json()).toEqual({ status: 'ok', framework: 'hono' });
    } finally {
      await issuer.close();
    }
  });
});

describe('the edge (Workers) app', () => {
  it('verifies tokens of the issuer named in its bindings', async () => {
    const issuer = await startDemoIssuer();
    try {
      const pair = (await issuer.service.login({ username: 'ada', password: 'analytical-engine' }))
        .body as { access_token: string };
      const env = { ISSUER: issuer.url, JWKS_URI: `${issuer.url}/.well-known/jwks.json` };
      const headers = { authorization: `Bearer ${pair.access_token}` };
      const res = await createEdgeApp().request('/admin', { headers }, env);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ message: 'Welcome to the admin area', sub: 'ada' });
    } finally {
      await issuer.close();
    }
  });

  it('reads defaults when no binding is set', () => {
    expect(edgeVerifierOptions()).toMatchObject({
      issuer: 'http://127.0.0.1:3000',
      jwksUri: 'http://127.0.0.1:3000/.well-known/jwks.json',
      audience: 'tokengate-demo',
      algorithms: ['ES256'],
    });
    expect(edgeVerifierOptions({ ALGORITHMS: 'ES256, EdDSA' }).algorithms).toEqual([
      'ES256',
      'EdDSA',
    ]);
  });
});
