// `pnpm demo` (walk through every example API, print the table, exit 1 on any unexpected
// step) or `pnpm demo --serve` (keep the APIs up and print curl commands). `--redis URL` (or
// DEMO_REDIS_URL) runs the same on Redis, each API as two instances sharing it.
const args = process.argv.slice(2);
const redisAt = args.indexOf('--redis');
const redisUrl = redisAt >= 0 ? args[redisAt + 1] : process.env.DEMO_REDIS_URL || undefined;
const unknown = args.filter(
  (a, i) => a !== '--serve' && (redisAt < 0 || (i !== redisAt && i !== redisAt + 1)),
);
if (unknown.length > 0 || (redisAt >= 0 && !redisUrl?.startsWith('redis'))) {
  console.error(
    `${unknown.length > 0 ? `Unknown argument ${unknown[0]}` : '--redis needs a redis:// URL'}. ` +
      'Usage: pnpm demo [--serve] [--redis redis://127.0.0.1:6379]',
  );
  process.exit(2);
}
const port = Number(process.env.DEMO_PORT ?? 3000);
if (!Number.isInteger(port) || port < 1 || port > 65_530) {
  console.error('DEMO_PORT must be a port number (the APIs take the next four ports)');
  process.exit(2);
}

// The demo's keys live under a prefix of their own, removed by expiry like every key.
async function connectRedis(url: string) {
  const { createClient } = await import('redis');
  const { createRedisStores } = await import('@tokengate/redis');
  // Reconnect after a drop, but give up at once if Redis is not there to begin with.
  let connected = false;
  const client = createClient({
    url,
    disableOfflineQueue: true,
    socket: {
      reconnectStrategy: (retries, cause) => (connected ? Math.min(50 * retries, 1000) : cause),
    },
  });
  client.on('error', () => {});
  await client.connect();
  connected = true;
  const stores = createRedisStores({ client, prefix: `tokengate-demo:${Date.now()}:` });
  return { shared: { where: `Redis at ${url}`, stores }, close: () => client.destroy() };
}

let redis: Awaited<ReturnType<typeof connectRedis>> | undefined;
try {
  // Loaded after the arguments are checked: the four frameworks take a moment to import.
  const { FRAMEWORKS } = await import('./frameworks.js');
  const { runDemo, serveDemo } = await import('./run.js');
  redis = redisUrl ? await connectRedis(redisUrl) : undefined;
  const options = { frameworks: FRAMEWORKS, ...(redis ? { shared: redis.shared } : {}) };
  if (args.includes('--serve')) {
    await serveDemo(port, options);
    redis?.close();
    // Stopped on purpose (Ctrl+C, SIGTERM): a clean exit, whatever the signal.
    process.exit(0);
  } else {
    process.exitCode = (await runDemo(options)) ? 0 : 1;
  }
} catch (error) {
  console.error(`The demo could not start: ${error instanceof Error ? error.message : error}`);
  process.exitCode = 2;
} finally {
  redis?.close();
}
export {};
