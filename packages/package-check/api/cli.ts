/**
 * The `tokengate` command as a function, for programs that run it in process.
 *
 * @module @tokengate/cli
 */
export * from '../../cli/src/index.js';
