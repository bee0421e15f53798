import { project } from '../../vitest.shared';

export default project('migrations', {
  // The guides' apps import the same frameworks and tokengate sources: one module graph for
  // every test file instead of one per file. Each file starts and closes its own servers.
  test: { isolate: false },
});
