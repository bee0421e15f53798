import { project } from '../../vitest.shared';

// Core's test files share one module graph per worker instead of re-importing core for every
// file: no test depends on fresh module state (each builds its own verifier, and fake timers
// are restored after each test), and the import work was about half of the project's time.
export default project('core', { test: { isolate: false } });
