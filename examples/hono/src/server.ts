// Node entry, `pnpm start`: configuration from the environment (see the README).
import { curlCommands, depsFromConfig, loadConfig, runMain } from '@tokengate-examples/shared';
import { start } from './node.js';

await runMain('tokengate Hono example', async () => {
  const config = loadConfig(process.env, { port: 3003 });
  const api = await start(await depsFromConfig(config), config);
  console.log(`tokengate Hono example on ${api.url} (issuer ${config.issuer})\n`);
  console.log(curlCommands(config.publicUrl));
});
