import { describeExampleApi } from '@tokengate-examples/shared/suite';
import { start } from './index.js';

describeExampleApi('fastify', (deps) => start(deps, { port: 0 }));
