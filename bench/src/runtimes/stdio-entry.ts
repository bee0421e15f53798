// The runtime side on Node, Bun and Deno: one JSON request per stdin line, one JSON reply per
// stdout line, answered in order.
import { createInterface } from 'node:readline';
import { NODE_CONTENDERS } from './node-contenders.js';
import { createSuiteHandler, WEB_CONTENDERS } from './suite.js';
import type { SuiteRequest } from './wire.js';

const handle = createSuiteHandler([...WEB_CONTENDERS, ...NODE_CONTENDERS]);
const lines = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
for await (const line of lines) {
  if (!line.trim()) continue;
  const reply = await handle(JSON.parse(line) as SuiteRequest);
  process.stdout.write(`${JSON.stringify(reply)}\n`);
}
