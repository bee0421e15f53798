import { project } from '../../vitest.shared';

export default project('interop', { test: { setupFiles: ['./src/quiet-oidc-provider.ts'] } });
