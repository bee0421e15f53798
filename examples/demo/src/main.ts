// `pnpm demo` (walk through every example API, print the table, exit 1 on any unexpected
// step) or `pnpm demo --serve` (keep the APIs up and print curl commands).
const args = process.argv.slice(2);
const unknown = args.filter((a) => a !== '--serve');
if (unknown.length > 0) {
  console.error(`Unknown argument ${unknown[0]}. Usage: pnpm demo [--serve]`);
  process.exit(2);
}
const port = Number(process.env.DEMO_PORT ?? 3000);
if (!Number.isInteger(port) || port < 1 || port > 65_530) {
  console.error('DEMO_PORT must be a port number (the APIs take the next four ports)');
  process.exit(2);
}

try {
  // Loaded after the arguments are checked: the four frameworks take a moment to import.
  const { FRAMEWORKS } = await import('./frameworks.js');
  const { runDemo, serveDemo } = await import('./run.js');
  if (args.includes('--serve')) {
    await serveDemo(port, { frameworks: FRAMEWORKS });
    // Stopped on purpose (Ctrl+C, SIGTERM): a clean exit, whatever the signal.
    process.exit(0);
  } else {
    process.exitCode = (await runDemo({ frameworks: FRAMEWORKS })) ? 0 : 1;
  }
} catch (error) {
  console.error(`The demo could not start: ${error instanceof Error ? error.message : error}`);
  process.exitCode = 2;
}
export {};
