import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { AuthInfo, VerifierOptions } from '@tokengate/core';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';

let bundle: Promise<string> | undefined;

/** The conformance worker (worker.ts) bundled for workerd, built once per test file. */
export function workerBundle(entry = fileURLToPath(new URL('./worker.ts', import.meta.url))) {
  bundle ??= build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['@tokengate/source', 'workerd', 'worker', 'browser'],
    logLevel: 'silent',
  }).then((r) => r.outputFiles[0]?.text ?? '');
  return bundle;
}

// Bindings are text: only plain JSON options (jwksUri, issuer, secret strings, ...) can reach
// the worker, so refuse anything JSON.stringify would silently drop or mangle.
function json(name: string, options: VerifierOptions): string {
  return JSON.stringify(options, (_key, value: unknown) => {
    const plain =
      value === null ||
      typeof value !== 'object' ||
      Array.isArray(value) ||
      Object.getPrototypeOf(value) === Object.prototype;
    if (typeof value === 'function' || !plain) {
      throw new TypeError(`${name} must be plain JSON to reach the worker`);
    }
    return value;
  });
}

/** The options of the conformance worker's routes: main routes, `/down`, `/defaults`, DPoP, mTLS. */
export interface WorkerOptions {
  options: VerifierOptions;
  downOptions: VerifierOptions;
  defaultOptions: VerifierOptions;
  /** By route; none when the worker serves no DPoP route. */
  dpopRoutes?: Readonly<Record<string, VerifierOptions>>;
  /** By route; none when the worker serves no mTLS route. */
  mtlsRoutes?: Readonly<Record<string, VerifierOptions>>;
  /** The protected resource's options; none when the worker serves no resource route. */
  resourceOptions?: VerifierOptions;
  /** `/resource-dpop`'s options, with `resourceOptions`. */
  resourceDpopOptions?: VerifierOptions;
}

/** Start the conformance worker in workerd with its options as JSON bindings. */
export async function startWorker({
  options,
  downOptions,
  defaultOptions,
  dpopRoutes = {},
  mtlsRoutes = {},
  resourceOptions,
  resourceDpopOptions,
}: WorkerOptions) {
  const mf = new Miniflare({
    modules: true,
    script: await workerBundle(),
    compatibilityDate: '2025-09-01',
    compatibilityFlags: ['nodejs_compat'],
    bindings: {
      OPTIONS: json('options', options),
      DOWN_OPTIONS: json('downOptions', downOptions),
      DEFAULT_OPTIONS: json('defaultOptions', defaultOptions),
      SENDER_ROUTES: json('senderRoutes', { ...dpopRoutes, ...mtlsRoutes } as VerifierOptions),
      ...(resourceOptions === undefined
        ? {}
        : {
            RESOURCE_OPTIONS: json('resourceOptions', resourceOptions),
            RESOURCE_DPOP_OPTIONS: json('resourceDpopOptions', resourceDpopOptions ?? {}),
          }),
    },
  });
  return { url: await mf.ready, dispose: () => mf.dispose() };
}

type Hit = (route: string, auth: AuthInfo | null | undefined) => unknown;
type SentAuth = (AuthInfo & { scopes: string[] }) | null | undefined;

async function forward(target: URL, req: IncomingMessage, res: ServerResponse, hit: Hit) {
  const headers = new Headers();
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i] as string;
    if (!/^(host|connection|content-length|transfer-encoding)$/i.test(name)) {
      headers.append(name, req.rawHeaders[i + 1] as string);
    }
  }
  const upstream = await fetch(new URL(req.url ?? '/', target), {
    method: req.method,
    headers,
    redirect: 'manual',
  });
  // The worker's headers reach the client as they are (a `DPoP-Nonce` on a 200 included).
  const out: Record<string, string> = {};
  upstream.headers.forEach((v, k) => {
    if (!/^(content-length|content-encoding|x-tokengate-hit)$/.test(k)) out[k] = v;
  });
  const route = upstream.headers.get('x-tokengate-hit');
  if (route !== null) {
    // `auth` is absent for `undefined` and `null` for `null`: the handler's value reaches `hit`.
    const { auth } = (await upstream.json()) as { auth?: SentAuth };
    const body = hit(route, auth && { ...auth, scopes: new Set(auth.scopes) });
    res.writeHead(200, { ...out, 'content-type': 'application/json' }).end(JSON.stringify(body));
    return;
  }
  res.writeHead(upstream.status, out).end(Buffer.from(await upstream.arrayBuffer()));
}

/**
 * A loopback proxy in front of workerd: requests go to the worker unchanged; when the
 * worker's handler ran, the proxy calls `hit` in Node (the suite's recorder) and answers
 * with its result, exactly like an in-process adapter would.
 */
export async function startWorkerProxy(
  routes: WorkerOptions,
  hit: Hit,
): Promise<{ baseUrl: string; close(): Promise<void> }> {
  const worker = await startWorker(routes);
  const server = createServer((req, res) => {
    forward(worker.url, req, res, hit).catch((error: unknown) => {
      res.writeHead(502, { 'content-type': 'text/plain' }).end(`proxy: ${String(error)}`);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
      await worker.dispose();
    },
  };
}
