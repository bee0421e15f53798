// Entry of one benchmark server process: BENCH_SERVER=<framework>/<variant>, prints
// "READY <port>" once listening. Started fresh for every case by ../spawn.ts.
import { SERVER_MODULES } from './catalog.js';
import type { ServerFactory } from './types.js';

// Each process loads only its own module: peers that augment the same request type never meet
// (the type checker sees them in a separate program too, see tsconfig.peers.json).
async function loadServer(name: string): Promise<ServerFactory | undefined> {
  const [framework = '', variant = ''] = name.split('/');
  const file = SERVER_MODULES[framework]?.[variant];
  if (!file) return undefined;
  const module = (await import(`./${file}.ts`)) as { servers: Record<string, ServerFactory> };
  return module.servers[variant];
}

const name = process.env.BENCH_SERVER ?? '';
const factory = await loadServer(name);
if (!factory) {
  process.stderr.write(`unknown BENCH_SERVER "${name}"\n`);
  process.exit(2);
}
const port = await factory({
  jwksUri: process.env.BENCH_JWKS_URI ?? '',
  issuer: process.env.BENCH_ISSUER ?? '',
  audience: process.env.BENCH_AUDIENCE ?? '',
});
process.stdout.write(`READY ${port}\n`);
