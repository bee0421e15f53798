// DPoP through Express beyond the conformance routes: `trustProxy: app.get('trust proxy fn')`
// (core's proxy trust reuses Express's own `trust proxy` setting, asked about the socket's
// address, never about `req.ip`), and a router mounted under a path.
import { createDpopClient, type DpopClient, rawRequest } from '@tokengate/conformance';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { jwtAuth } from './index.js';
import { expressVersions, listen } from './test-support/http.js';
import { mint, options } from './test-support/tokens.js';

const PUBLIC = 'https://api.example.test';
// What a TLS-terminating proxy in front of the app adds (and a client could forge).
const forwarded: [string, string][] = [
  ['X-Forwarded-Proto', 'https'],
  ['X-Forwarded-Host', new URL(PUBLIC).host],
  ['X-Forwarded-For', '10.0.0.1'],
];

describe.each(expressVersions)("Express $major: trustProxy: app.get('trust proxy fn')", ({
  express,
}) => {
  let client: DpopClient;
  let token: string;
  let close: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    client = await createDpopClient();
    token = await mint({ cnf: { jkt: client.jkt } });
  });

  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  async function serve(trust: string): Promise<string> {
    const app = express();
    app.set('trust proxy', trust);
    const auth = jwtAuth({ ...options, dpop: 'required', trustProxy: app.get('trust proxy fn') });
    app.get('/things', auth, (req, res) => {
      res.json({ jkt: req.auth?.binding?.jkt });
    });
    const server = await listen(app);
    close = server.close;
    return server.baseUrl;
  }

  it('believes X-Forwarded-Host and -Proto from a peer the setting trusts', async () => {
    const baseUrl = await serve('loopback');
    const { res } = await client.send(baseUrl, token, {
      url: `${PUBLIC}/things`,
      headers: forwarded,
    });
    expect(res.status, res.text).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ jkt: client.jkt });
  });

  it('ignores them from a peer the setting does not trust', async () => {
    const baseUrl = await serve('10.0.0.1');
    const { res } = await client.send(baseUrl, token, {
      url: `${PUBLIC}/things`,
      headers: forwarded,
    });
    expect(res.status).toBe(401);
    expect(JSON.parse(res.text)).toMatchObject({
      error: 'invalid_dpop_proof',
      error_description:
        'The request URI cannot be established: no "dpop.origin" is configured and the peer is not a trusted proxy',
    });
  });
});

describe.each(expressVersions)('Express $major: DPoP under a mounted router', ({ express }) => {
  it("checks the proof's htu against the full path, mount point included", async () => {
    const client = await createDpopClient();
    const token = await mint({ cnf: { jkt: client.jkt } });
    const app = express();
    const router = express.Router();
    router.get(
      '/things',
      jwtAuth({ ...options, dpop: { mode: 'required', origin: PUBLIC } }),
      (req, res) => {
        res.json({ jkt: req.auth?.binding?.jkt });
      },
    );
    app.use('/api', router);
    const server = await listen(app);
    try {
      const full = await client.send(server.baseUrl, token, { url: `${PUBLIC}/api/things?page=2` });
      expect(full.res.status, full.res.text).toBe(200);
      expect(JSON.parse(full.res.text)).toEqual({ jkt: client.jkt });
      // A proof for the path the router sees (`/things`) is for another URI.
      const lines = await client.prepare(token, { url: `${PUBLIC}/things` });
      const relative = await rawRequest(`${server.baseUrl}/api/things`, lines);
      expect(JSON.parse(relative.text)).toMatchObject({ error: 'invalid_dpop_proof' });
    } finally {
      await server.close();
    }
  });
});
