#!/usr/bin/env node
// The `tokengate` executable: the process's streams and environment, and its exit status.
import { run } from './program.js';

run(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
}).then((status) => {
  process.exitCode = status;
});
