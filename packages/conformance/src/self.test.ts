import { startReferenceAdapter } from './reference-adapter.js';
import { runConformance } from './run.js';

runConformance('node:http reference adapter', startReferenceAdapter);
