import { start as startExpress } from '@tokengate-examples/express';
import { start as startFastify } from '@tokengate-examples/fastify';
import { start as startHono } from '@tokengate-examples/hono';
import { start as startNest } from '@tokengate-examples/nestjs';
import type { ExampleDeps, ListenOptions, RunningApi } from '@tokengate-examples/shared';

/** An example API the demo starts. */
export interface Framework {
  name: string;
  /** Port in `--serve` mode (the walk uses free ports). */
  port: number;
  start(deps: ExampleDeps, listen: ListenOptions): Promise<RunningApi>;
}

/**
 * The example APIs, in table order.
 *
 * @example
 * for (const f of FRAMEWORKS) await f.start(issuer.deps, { port: 0 });
 */
export const FRAMEWORKS: readonly Framework[] = [
  { name: 'express', port: 3001, start: startExpress },
  { name: 'fastify', port: 3002, start: startFastify },
  { name: 'hono', port: 3003, start: startHono },
  { name: 'nestjs', port: 3004, start: (deps, listen) => startNest(deps, listen) },
];
