import { describeExampleApi } from '@tokengate-examples/shared/suite';
import { start } from './index.js';

describeExampleApi('express', (deps) => start(deps, { port: 0 }));
