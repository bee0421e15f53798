import { project } from '../../vitest.shared';

export default project('hono', { test: { restoreMocks: true } });
