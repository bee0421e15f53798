// Vitest setup: drop oidc-provider's development notices (the in-memory adapter, an
// unsupported Node.js version). They are about running it in production, which these tests
// do not, and would bury the test output; everything else is printed as usual.
for (const level of ['info', 'warn'] as const) {
  const print = console[level].bind(console);
  console[level] = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && args[0].startsWith('oidc-provider ')) return;
    print(...args);
  };
}
