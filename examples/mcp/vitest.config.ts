import { project } from '../../vitest.shared';

export default project('example-mcp', {
  test: { setupFiles: ['./src/test-support/quiet-oidc-provider.ts'] },
});
