// `pnpm start`: configuration from the environment (see the README); its own issuer by default.
import { curlCommands, depsFromConfig, loadConfig, runMain } from '@tokengate-examples/shared';
import { start } from './start.js';

await runMain('tokengate Fastify example', async () => {
  const config = loadConfig(process.env, { port: 3002 });
  const api = await start(await depsFromConfig(config), config, { logger: true });
  console.log(`tokengate Fastify example on ${api.url} (issuer ${config.issuer})\n`);
  console.log(curlCommands(config.publicUrl));
});
