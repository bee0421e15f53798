/**
 * Run a command-line entry: on failure (a misconfigured environment variable, a port in use)
 * print `<name>: <message>` — no stack trace — and exit with status 1.
 *
 * @example
 * await runMain('tokengate Express example', async () => {
 *   const config = loadConfig(process.env, { port: 3001 });
 *   await start(await depsFromConfig(config), config);
 * });
 */
export async function runMain(name: string, main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    console.error(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
