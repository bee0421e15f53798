import { project } from '../../vitest.shared';

export default project('package-check');
