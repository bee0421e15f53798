// Vitest setup: drop oidc-provider's development notices (the in-memory adapter, the Node.js
// version); they are about running it in production, which this test does not.
for (const level of ['info', 'warn'] as const) {
  const print = console[level].bind(console);
  console[level] = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && args[0].startsWith('oidc-provider ')) return;
    print(...args);
  };
}
