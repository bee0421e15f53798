// The `tokengate` command as a function, for programs and tests that run it in process.
export { type CliIo, EXIT } from './io.js';
export { run } from './program.js';
