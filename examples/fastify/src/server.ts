import { buildApp } from './app.js';
import { configFromEnv } from './config.js';
import { demoToken } from './demo-token.js';

const config = configFromEnv();
const app = await buildApp({ auth: config.auth, fastify: { logger: true } });
const address = await app.listen({ port: config.port, host: config.host });
console.log(`tokengate Fastify example on ${address}  (GET /public, /me, /feed, /things)`);
if (config.demoSecret) {
  const { issuer, audience } = config.auth;
  const token = await demoToken(
    { issuer: String(issuer), audience: String(audience) },
    config.demoSecret,
    'read:things',
  );
  console.log(
    `Demo secret in use. Try:\n  curl -H "Authorization: Bearer ${token}" ${address}/things`,
  );
}
