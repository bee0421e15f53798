import { project } from '../vitest.shared';

// The smoke test starts real server processes (tsx compiles them on start): give it time.
export default project('bench', { test: { testTimeout: 120_000, typecheck: { enabled: false } } });
