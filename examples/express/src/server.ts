import { createApp } from './app.js';
import { configFromEnv } from './config.js';
import { demoToken } from './demo-token.js';

const config = configFromEnv();
const app = createApp({ auth: config.auth });
const server = app.listen(config.port, async () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const base = `http://localhost:${port}`;
  console.log(`tokengate Express example on ${base}  (GET /public, /me, /things)`);
  if (config.demoSecret) {
    const token = await demoToken(
      { issuer: String(config.auth.issuer), audience: String(config.auth.audience) },
      config.demoSecret,
      'read:things',
    );
    console.log(
      `Demo secret in use. Try:\n  curl -H "Authorization: Bearer ${token}" ${base}/things`,
    );
  }
});
