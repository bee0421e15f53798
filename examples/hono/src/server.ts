// Node entry: `pnpm start` (JWKS_URI, ISSUER, AUDIENCE, ALGORITHMS, PORT from the environment).
import { loadConfig } from './config.js';
import { start } from './node.js';

const { url } = await start(loadConfig(process.env));
console.log(`tokengate hono example listening on ${url}`);
