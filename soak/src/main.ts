// `pnpm soak [--minutes 10] [--rps 30] [--out DIR]`: the four example APIs as two instances
// each (separate processes) on one real redis-server, under steady mixed traffic, while the
// JWK Set rotates its key every minute and flaps (up 40 s, down 20 s) and Redis is restarted
// once. Prints a per-instance summary, writes an SVG chart and the samples (JSON), and exits 1
// when a pass criterion fails (they are printed with the summary).
import { type ChildProcess, fork } from 'node:child_process';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { closeSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { createDpopKey } from '@tokengate/testing';
import { createAuthService, DEMO_PASSWORDS } from '@tokengate-examples/shared';
import { base64url, generateKeyPair, type JWK, SignJWT } from 'jose';
import { type JwksSource, startJwksSource } from './jwks.js';
import type { InstanceMessage } from './protocol.js';
import { startRedis } from './redis.js';
import { type Band, renderChart } from './svg.js';

// ---------------------------------------------------------------------------------------------
// Settings

function parseArgs(argv: readonly string[]) {
  const args = { minutes: 10, rps: 30, out: resolve(import.meta.dirname, '..', 'results') };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[++i];
    if (flag === '--') {
      i--;
      continue;
    }
    if (value === undefined) throw new TypeError(`${flag} needs a value`);
    if (flag === '--out') args.out = resolve(value);
    else if (flag === '--minutes' || flag === '--rps') {
      const n = Number(value);
      if (!Number.isFinite(n) || n <= 0) throw new TypeError(`${flag} must be a positive number`);
      args[flag === '--minutes' ? 'minutes' : 'rps'] = n;
    } else throw new TypeError(`Unknown option ${flag} (--minutes, --rps, --out)`);
  }
  return args;
}

const FRAMEWORKS = ['express', 'fastify', 'hono', 'nestjs'];
const AUDIENCE = 'tokengate-demo';
const DPOP_ORIGIN = 'https://api.soak.test';
/** The verifier's defaults (RemoteJwksOptions): a 30 s cooldown window, 2 extra fetches. */
const COOLDOWN_MS = 30_000;
const ROTATION_BUDGET = 2;
const WINDOW_SLACK_MS = 20;
/** The JWK Set is up 40 s, then down 20 s, every minute; the key rotates 25 s into each. */
const FLAP_PERIOD = 60;
const FLAP_UP = 40;
const ROTATE_AT = 25;
const REDIS_DOWN_MS = 5_000;
/** RSS may grow after warm-up by at most this much (MiB) or this share, whichever is larger. */
const RSS_BOUND_MIB = 32;
const RSS_BOUND_SHARE = 0.2;
const FAMILIES = 16;
const MAX_IN_FLIGHT = 64;

// ---------------------------------------------------------------------------------------------
// Instances

interface Sample {
  t: number;
  rss: number;
  /**
   * V8 heap in use and reserved, and external memory (Buffers, ArrayBuffers): they tell live
   * JavaScript objects, a heap V8 keeps grown, and memory outside JavaScript apart.
   */
  heapUsed: number;
  heapTotal: number;
  external: number;
  loopDelayP99: number;
  jwksFetches: number;
  jwksFailures: number;
}

interface Instance {
  name: string;
  framework: string;
  child: ChildProcess;
  url: string;
  jwksPath: string;
  samples: Sample[];
  /** JWK Set requests as the verifier started them (epoch ms), and whether answered 2xx. */
  jwksRequests: { at: number; ok: boolean }[];
  crashed?: string;
  statuses: Map<string, number>;
  latencies: number[];
  /** Latencies by 10-second bucket, for the p99 line. */
  buckets: Map<number, number[]>;
}

/** Time zero of the run: set when the traffic starts (the instances take a while to start). */
let started = Date.now();
const now = () => (Date.now() - started) / 1000;
let stopping = false;

function spawnInstance(
  framework: string,
  index: number,
  env: Record<string, string>,
  log: number,
): Promise<Instance> {
  const name = `${framework}-${index}`;
  const jwksPath = `/jwks/${name}.json`;
  const soakDir = resolve(import.meta.dirname, '..');
  const child = fork(join(import.meta.dirname, 'instance.ts'), [], {
    cwd: soakDir,
    execArgv: ['--import', 'tsx', '--conditions=@tokengate/source'],
    env: {
      ...process.env,
      ...env,
      TSX_TSCONFIG_PATH: join(soakDir, 'tsconfig.json'),
      // glibc keeps memory a process freed, in two ways that read as RSS climbing in steps for
      // many minutes while the V8 heap stays flat: every thread that allocates gets its own
      // malloc arena (up to 8 per core), and once a large block served by mmap is freed, blocks
      // of up to that size come from the arenas instead and stay there. Two arenas and a fixed
      // mmap threshold (128 KiB, glibc's default before it adapts) return that memory, so a leak
      // would show. Either variable set in the environment wins.
      MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2',
      MALLOC_MMAP_THRESHOLD_: process.env.MALLOC_MMAP_THRESHOLD_ ?? '131072',
      SOAK_FRAMEWORK: framework,
      SOAK_JWKS_URI: `${env.SOAK_ISSUER}${jwksPath}`,
    },
    stdio: ['ignore', log, log, 'ipc'],
  });
  const instance: Instance = {
    name,
    framework,
    child,
    url: '',
    jwksPath,
    samples: [],
    jwksRequests: [],
    statuses: new Map(),
    latencies: [],
    buckets: new Map(),
  };
  return new Promise((resolveReady, reject) => {
    child.on('message', (message: InstanceMessage) => {
      if (message.type === 'ready') {
        instance.url = message.url;
        resolveReady(instance);
      } else {
        const { jwksRequests, ...sample } = message;
        instance.samples.push({ ...sample, t: now() });
        instance.jwksRequests.push(...jwksRequests);
      }
    });
    child.once('exit', (code, signal) => {
      if (!instance.url) reject(new Error(`${name} exited before listening (${code ?? signal})`));
      else if (!stopping)
        instance.crashed = `exited with ${code ?? signal} at ${now().toFixed(0)} s`;
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Traffic

interface Counters {
  requests: number;
  shed: number;
  forgeryAccepted: number;
  bad5xx: number;
  transportErrors: number;
  validRefused: number;
  /** Valid tokens of a just-rotated key refused while the rotation budget was spent. */
  rotatedKeyRefused: number;
  dependencyDown: number;
  lostFamilies: number;
  refreshes: number;
  logins: number;
  reuseChecks: number;
}

const counters: Counters = {
  requests: 0,
  shed: 0,
  forgeryAccepted: 0,
  bad5xx: 0,
  transportErrors: 0,
  validRefused: 0,
  rotatedKeyRefused: 0,
  dependencyDown: 0,
  lostFamilies: 0,
  refreshes: 0,
  logins: 0,
  reuseChecks: 0,
};
const byKind = new Map<string, Map<string, number>>();
const incidents: string[] = [];
function incident(text: string) {
  if (incidents.length < 40) incidents.push(`${now().toFixed(1)} s  ${text}`);
}

interface Answer {
  status: number;
  retryAfter: string | null;
  body: unknown;
}

let inFlight = 0;

function listIn<K, V>(map: Map<K, V[]>, key: K): V[] {
  const list = map.get(key) ?? [];
  map.set(key, list);
  return list;
}

/** One request to an instance, counted per instance and per kind. */
async function call(
  instance: Instance,
  kind: string,
  path: string,
  init: { method?: string; headers?: Record<string, string>; json?: unknown } = {},
): Promise<Answer | undefined> {
  counters.requests++;
  inFlight++;
  const began = performance.now();
  let label = 'error';
  try {
    const response = await fetch(`${instance.url}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        ...init.headers,
        ...(init.json === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(init.json === undefined ? {} : { body: JSON.stringify(init.json) }),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await response.text();
    const ms = performance.now() - began;
    instance.latencies.push(ms);
    const bucket = Math.floor(now() / 10);
    listIn(instance.buckets, bucket).push(ms);
    label = String(response.status);
    const answer: Answer = {
      status: response.status,
      retryAfter: response.headers.get('retry-after'),
      body: text.startsWith('{') ? JSON.parse(text) : text,
    };
    if (answer.status >= 500) {
      if (answer.status === 503 && answer.retryAfter) counters.dependencyDown++;
      else {
        counters.bad5xx++;
        incident(
          `${instance.name} ${kind}: ${answer.status} without Retry-After: ${text.slice(0, 200)}`,
        );
      }
    }
    return answer;
  } catch (error) {
    counters.transportErrors++;
    incident(`${instance.name} ${kind}: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  } finally {
    inFlight--;
    instance.statuses.set(label, (instance.statuses.get(label) ?? 0) + 1);
    const kinds = byKind.get(kind) ?? new Map<string, number>();
    byKind.set(kind, kinds);
    kinds.set(label, (kinds.get(label) ?? 0) + 1);
  }
}

const isDown = (a: Answer) => a.status === 503 && a.retryAfter !== null;

/** A request that must be refused: a 2xx is an accepted forgery. */
function mustRefuse(instance: Instance, kind: string, answer: Answer | undefined) {
  if (answer && answer.status >= 200 && answer.status < 300) {
    counters.forgeryAccepted++;
    incident(`${instance.name} ACCEPTED ${kind}`);
  }
}

/** When the signing key last rotated (seconds since start). */
let lastRotationAt = Number.NEGATIVE_INFINITY;

/**
 * A request that must pass, unless a dependency is down (503 with Retry-After). One exception,
 * documented in the verifier's refetch policy: when forged `kid`s have spent the rotation
 * budget, a freshly rotated key is refused until the cooldown window ends.
 */
function mustPass(instance: Instance, kind: string, answer: Answer | undefined) {
  if (answer && answer.status !== 200 && !isDown(answer) && answer.status < 500) {
    const code = (answer.body as { code?: unknown } | undefined)?.code;
    if (code === 'ERR_SIGNATURE_INVALID' && now() - lastRotationAt <= COOLDOWN_MS / 1000) {
      counters.rotatedKeyRefused++;
      return;
    }
    counters.validRefused++;
    incident(
      `${instance.name} refused ${kind}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 160)}`,
    );
  }
}

const pick = <T>(list: readonly T[]): T => list[Math.floor(Math.random() * list.length)] as T;
const seconds = () => Math.floor(Date.now() / 1000);
const seg = (value: unknown) => base64url.encode(new TextEncoder().encode(JSON.stringify(value)));

interface Family {
  id: number;
  refreshToken: string;
  busy: boolean;
}

async function traffic(
  instances: Instance[],
  jwks: JwksSource,
  issuer: string,
  rps: number,
  until: () => boolean,
) {
  const claims = (extra: Record<string, unknown> = {}) => ({
    iss: issuer,
    aud: AUDIENCE,
    sub: 'soak-user',
    client_id: 'soak-client',
    scope: 'profile',
    iat: seconds(),
    exp: seconds() + 120,
    jti: randomUUID(),
    ...extra,
  });
  // One valid token per key and second: minting is the client's cost, not the APIs'.
  let cached: { kid: string; at: number; token: string } | undefined;
  const validToken = async () => {
    const kid = jwks.current().kid;
    if (!cached || cached.kid !== kid || cached.at !== seconds())
      cached = { kid, at: seconds(), token: await jwks.sign(claims()) };
    return cached.token;
  };
  const foreign = await generateKeyPair('ES256');
  const client = await createDpopKey('ES256');
  const { jkt } = client;
  const proof = (method: string, path: string, token: string) =>
    client.proof(method, `${DPOP_ORIGIN}${path}`, { accessToken: token });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  const forgeries: [string, () => Promise<string>][] = [
    [
      'forged: signed by an unknown key under the current kid',
      () =>
        new SignJWT(claims())
          .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: jwks.current().kid })
          .sign(foreign.privateKey),
    ],
    [
      'forged: unknown kid',
      () =>
        new SignJWT(claims())
          .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: `forged-${randomUUID()}` })
          .sign(foreign.privateKey),
    ],
    [
      'forged: alg none',
      async () =>
        `${seg({ alg: 'none', typ: 'at+jwt' })}.${seg(claims({ scope: 'profile admin' }))}.`,
    ],
    [
      'forged: claims changed, signature kept',
      async () => {
        const [h, , s] = (await validToken()).split('.');
        return `${h}.${seg(claims({ sub: 'admin', scope: 'profile admin' }))}.${s}`;
      },
    ],
    [
      'forged: HS256 with the public key as secret',
      () =>
        new SignJWT(claims())
          .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: jwks.current().kid })
          .sign(new TextEncoder().encode(JSON.stringify(jwks.current().jwk))),
    ],
  ];

  const families: Family[] = [];
  let familyIds = 0;
  let loggingIn = 0;
  const login = async (
    instance: Instance,
  ): Promise<{ refresh: string; access: string } | undefined> => {
    counters.logins++;
    const answer = await call(instance, 'login', '/login', {
      method: 'POST',
      json: { username: 'alice', password: DEMO_PASSWORDS.alice },
    });
    if (answer?.status !== 200) {
      if (answer && !isDown(answer)) mustPass(instance, 'login', answer);
      return undefined;
    }
    const body = answer.body as { refresh_token: string; access_token: string };
    return { refresh: body.refresh_token, access: body.access_token };
  };
  const refresh = (instance: Instance, token: string, kind = 'refresh') =>
    call(instance, kind, '/refresh', { method: 'POST', json: { refresh_token: token } });

  const refreshFamily = async (family: Family) => {
    family.busy = true;
    const instance = pick(instances);
    const answer = await refresh(instance, family.refreshToken);
    counters.refreshes++;
    family.busy = false;
    if (!answer) {
      // Unknown whether it rotated: the family leaves the pool (counted as a transport error).
      families.splice(families.indexOf(family), 1);
      return;
    }
    if (answer.status === 200) {
      const body = answer.body as { refresh_token: string; access_token: string };
      family.refreshToken = body.refresh_token;
      // The new access token works on another instance.
      const other = pick(instances.filter((i) => i !== instance));
      mustPass(
        other,
        'access token from /refresh',
        await call(other, 'refreshed access', '/me', { headers: bearer(body.access_token) }),
      );
    } else if (!isDown(answer)) {
      counters.lostFamilies++;
      families.splice(families.indexOf(family), 1);
      incident(
        `${instance.name} LOST refresh family ${family.id}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 160)}`,
      );
    }
  };

  // RFC 6819 §5.2.2.3: a rotated-out refresh token, replayed, must fail and end its family.
  const reuseCheck = async () => {
    const [a, b, c] = [pick(instances), pick(instances), pick(instances)];
    const first = await login(a);
    if (!first) return;
    const rotated = await refresh(b, first.refresh, 'reuse: first refresh');
    if (rotated?.status !== 200) return;
    const second = (rotated.body as { refresh_token: string }).refresh_token;
    const replay = await refresh(c, first.refresh, 'reuse: replayed refresh token');
    if (!replay || isDown(replay)) return;
    counters.reuseChecks++;
    mustRefuse(c, 'a replayed refresh token', replay);
    const after = await refresh(a, second, 'reuse: family after reuse');
    if (after && !isDown(after))
      mustRefuse(a, 'the refresh token of a family ended by reuse', after);
  };

  const kinds: [number, () => Promise<unknown>][] = [
    [
      35,
      async () => {
        const i = pick(instances);
        mustPass(
          i,
          'valid token',
          await call(i, 'valid', '/me', { headers: bearer(await validToken()) }),
        );
      },
    ],
    [
      10,
      async () => {
        const i = pick(instances);
        const token = await jwks.sign(claims({ iat: seconds() - 600, exp: seconds() - 60 }));
        mustRefuse(i, 'expired token', await call(i, 'expired', '/me', { headers: bearer(token) }));
      },
    ],
    [
      20,
      async () => {
        const i = pick(instances);
        const [label, make] = pick(forgeries);
        mustRefuse(i, label, await call(i, label, '/me', { headers: bearer(await make()) }));
      },
    ],
    [
      15,
      async () => {
        // A DPoP-bound token with its proof; then the same proof replayed on another instance,
        // and the bound token sent as a Bearer token (RFC 9449 §7.2).
        const [a, b] = [pick(instances), pick(instances)];
        const token = await jwks.sign(claims({ cnf: { jkt } }));
        const headers = { authorization: `DPoP ${token}`, dpop: await proof('GET', '/me', token) };
        const first = await call(a, 'dpop', '/me', { headers });
        mustPass(a, 'DPoP', first);
        // A proof is burned only by a request it got through; after a refusal it is unused.
        const replay = await call(b, 'dpop: replayed proof', '/me', { headers });
        if (first?.status === 200) mustRefuse(b, 'replayed DPoP proof', replay);
        mustRefuse(
          b,
          'DPoP-bound token as Bearer',
          await call(b, 'dpop: bound token as Bearer', '/me', { headers: bearer(token) }),
        );
      },
    ],
    [
      15,
      async () => {
        const idle = families.filter((f) => !f.busy);
        if (idle.length > 0) await refreshFamily(pick(idle));
      },
    ],
  ];
  const total = kinds.reduce((n, [w]) => n + w, 0);
  const chooseKind = () => {
    let r = Math.random() * total;
    for (const [weight, run] of kinds) {
      r -= weight;
      if (r < 0) return run;
    }
    return (kinds[0] as [number, () => Promise<unknown>])[1];
  };

  const pending = new Set<Promise<unknown>>();
  const launch = (run: () => Promise<unknown>) => {
    if (inFlight >= MAX_IN_FLIGHT) {
      counters.shed++;
      return;
    }
    const p = run().catch((error: unknown) => incident(`driver: ${String(error)}`));
    pending.add(p);
    void p.finally(() => pending.delete(p));
  };

  let credit = 0;
  let lastStorm = 0;
  let lastReuse = 0;
  const tickMs = 50;
  while (!until()) {
    credit += (rps * tickMs) / 1000;
    while (credit >= 1) {
      credit--;
      launch(chooseKind());
    }
    if (families.length + loggingIn < FAMILIES) {
      loggingIn++;
      launch(async () => {
        const pair = await login(pick(instances));
        loggingIn--;
        if (pair) families.push({ id: ++familyIds, refreshToken: pair.refresh, busy: false });
      });
    }
    // A refresh storm every 30 s: every idle family at once, spread over the instances.
    if (now() - lastStorm >= 30) {
      lastStorm = now();
      for (const family of families.filter((f) => !f.busy)) launch(() => refreshFamily(family));
    }
    if (now() - lastReuse >= 20) {
      lastReuse = now();
      launch(reuseCheck);
    }
    await new Promise((r) => setTimeout(r, tickMs));
  }
  await Promise.race([Promise.allSettled([...pending]), new Promise((r) => setTimeout(r, 20_000))]);
  return { families: families.length };
}

// ---------------------------------------------------------------------------------------------
// Report

const quantile = (values: number[], q: number) => {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
};
const median = (values: number[]) => quantile(values, 0.5);
const MiB = 1024 * 1024;

/**
 * Most answered fetches inside one cooldown window, windows as the verifier's refetch policy
 * opens them: a window starts at the first fetch (answered or not) a whole window after the
 * previous one started. Fetches are dated to within a few ms of the policy's clock, so one
 * within WINDOW_SLACK_MS of a window's edge may fall on either side: of every way of drawing the
 * windows that allows, the one with the least busy busiest window is taken. Failed fetches are
 * not counted: while the source is down, the verifier's exponential backoff spaces them, and
 * they are reported apart.
 */
function maxPerWindow(requests: { at: number; ok: boolean }[], windowMs: number): number {
  const sorted = [...requests].sort((a, b) => a.at - b.at);
  const memo = new Map<string, number>();
  // The busiest window from fetch `i` on, the current window having started at `start` and
  // counted `count` so far.
  const busiest = (i: number, start: number, count: number): number => {
    const fetch = sorted[i];
    if (fetch === undefined) return count;
    const key = `${i} ${start} ${count}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    const own = fetch.ok ? 1 : 0;
    const opens = () => Math.max(count, busiest(i + 1, fetch.at, own));
    const stays = () => busiest(i + 1, start, count + own);
    const gap = fetch.at - start;
    const result =
      gap >= windowMs + WINDOW_SLACK_MS
        ? opens()
        : gap < windowMs - WINDOW_SLACK_MS
          ? stays()
          : Math.min(opens(), stays());
    memo.set(key, result);
    return result;
  };
  return busiest(0, Number.NEGATIVE_INFINITY, 0);
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const durationS = args.minutes * 60;
  const warmUpS = Math.min(120, durationS * 0.3);
  mkdirSync(args.out, { recursive: true });
  const log = openSync(join(args.out, 'instances.log'), 'w');
  console.log(
    `soak: ${args.minutes} min, ${args.rps} requests/s, 8 instances; output in ${relative(process.cwd(), args.out)}`,
  );

  const redis = await startRedis();
  // The example APIs' own issuing key (for /login and /refresh), shared by every instance.
  const signingKey = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString();
  const probe = await createAuthService({ issuer: 'http://probe', audience: AUDIENCE, signingKey });
  const serviceKeys = (probe.jwks().body as { keys: JWK[] }).keys;
  const jwks = await startJwksSource(serviceKeys);
  const env = {
    SOAK_REDIS_URL: redis.url,
    SOAK_REDIS_PREFIX: `tokengate-soak:${Date.now()}:`,
    SOAK_ISSUER: jwks.origin,
    SOAK_AUDIENCE: AUDIENCE,
    SOAK_SIGNING_KEY: signingKey,
    SOAK_DPOP_ORIGIN: DPOP_ORIGIN,
  };
  let instances: Instance[] = [];
  const bands: Band[] = [];
  const events: string[] = [];
  try {
    instances = await Promise.all(
      FRAMEWORKS.flatMap((framework) => [1, 2].map((n) => spawnInstance(framework, n, env, log))),
    );
    console.log(
      `soak: redis ${redis.url}, JWKS ${jwks.origin}, instances ${instances.map((i) => `${i.name} ${i.url}`).join(', ')}`,
    );
    started = Date.now();
    const elapsed = now;
    // The fault schedule, checked twice a second.
    let redisRestarted = false;
    let lastRotation = 0;
    const faults = setInterval(() => {
      const t = elapsed();
      const phase = t % FLAP_PERIOD;
      const up = phase < FLAP_UP;
      if (up !== jwks.isUp()) {
        jwks.setUp(up);
        if (!up)
          bands.push({
            from: now(),
            to: now() + (FLAP_PERIOD - FLAP_UP),
            label: 'JWKS down',
            color: '#ff7f0e',
          });
      }
      const cycle = Math.floor(t / FLAP_PERIOD);
      if (phase >= ROTATE_AT && cycle >= lastRotation) {
        lastRotation = cycle + 1;
        void jwks.rotate().then(() => {
          lastRotationAt = now();
        });
        events.push(`${now().toFixed(0)} s key rotated`);
        bands.push({ from: now(), to: now() + 1, label: 'key rotation', color: '#1f77b4' });
      }
      if (!redisRestarted && t >= durationS / 2) {
        redisRestarted = true;
        const from = now();
        events.push(`${from.toFixed(0)} s Redis restarted`);
        void redis.restart(REDIS_DOWN_MS).then(() => {
          bands.push({ from, to: now(), label: 'Redis down', color: '#d62728' });
        });
      }
    }, 500);
    await traffic(instances, jwks, jwks.origin, args.rps, () => elapsed() >= durationS);
    clearInterval(faults);
  } finally {
    stopping = true;
    await Promise.all(
      instances.map(
        (i) =>
          new Promise<void>((done) => {
            if (i.child.exitCode !== null || i.child.signalCode !== null) return done();
            const timer = setTimeout(() => i.child.kill('SIGKILL'), 5_000);
            i.child.once('exit', () => {
              clearTimeout(timer);
              done();
            });
            if (i.child.connected) i.child.disconnect();
            else i.child.kill('SIGTERM');
          }),
      ),
    );
    closeSync(log);
    await jwks.close();
    await redis.stop();
  }
  return report(instances, jwks, bands, events, args.out, durationS, warmUpS);
}

function report(
  instances: Instance[],
  jwks: JwksSource,
  bands: Band[],
  events: string[],
  out: string,
  durationS: number,
  warmUpS: number,
): boolean {
  const fetchLimit = 1 + ROTATION_BUDGET;
  const rows: string[] = [];
  const failures: string[] = [];
  const pad = (s: unknown, n: number) => String(s).padStart(n);
  rows.push(
    `${'instance'.padEnd(10)}${pad('requests', 9)}${pad('2xx', 7)}${pad('4xx', 7)}${pad('503', 6)}${pad('5xx', 5)}${pad('err', 5)}` +
      `${pad('p50 ms', 8)}${pad('p99 ms', 8)}${pad('loop p99', 9)}${pad('RSS MiB', 9)}${pad('growth', 8)}${pad('JWKS', 6)}${pad('down', 6)}${pad('max/30s', 8)}`,
  );
  const summary: Record<string, unknown>[] = [];
  for (const i of instances) {
    const count = (test: (status: number) => boolean) =>
      [...i.statuses]
        .filter(([s]) => s !== 'error' && test(Number(s)))
        .reduce((n, [, c]) => n + c, 0);
    i.samples = i.samples.filter((s) => s.t >= 0);
    const after = i.samples.filter((s) => s.t >= warmUpS);
    // The trend after warm-up: the median of its first third against that of its last third
    // (a median, so one garbage collection or one burst does not decide it).
    const third = Math.floor(after.length / 3);
    const baseline = median(after.slice(0, third).map((s) => s.rss));
    const final = median(after.slice(after.length - third).map((s) => s.rss));
    const growth = final - baseline;
    const growthOf = (part: (s: Sample) => number) =>
      median(after.slice(after.length - third).map(part)) - median(after.slice(0, third).map(part));
    const heapGrowth = growthOf((s) => s.heapUsed);
    const heapReservedGrowth = growthOf((s) => s.heapTotal);
    const externalGrowth = growthOf((s) => s.external);
    const bound = Math.max(RSS_BOUND_MIB * MiB, RSS_BOUND_SHARE * baseline);
    // Fetches the JWK Set answered; attempts while it was down are reported apart (the
    // verifier's exponential backoff spaces them).
    const fetches = jwks.requests.get(i.jwksPath) ?? [];
    const fetchTimes = fetches.filter((f) => f.up);
    const attemptsDown = fetches.length - fetchTimes.length;
    const maxWindow = maxPerWindow(i.jwksRequests, COOLDOWN_MS);
    const loopP99 = Math.max(0, ...i.samples.map((s) => s.loopDelayP99));
    const last = i.samples.at(-1);
    rows.push(
      `${i.name.padEnd(10)}${pad(i.latencies.length + (i.statuses.get('error') ?? 0), 9)}${pad(
        count((s) => s < 300),
        7,
      )}` +
        `${pad(
          count((s) => s >= 400 && s < 500),
          7,
        )}${pad(
          count((s) => s === 503),
          6,
        )}${pad(
          count((s) => s >= 500 && s !== 503),
          5,
        )}` +
        `${pad(i.statuses.get('error') ?? 0, 5)}${pad(median(i.latencies).toFixed(1), 8)}${pad(quantile(i.latencies, 0.99).toFixed(1), 8)}` +
        `${pad(loopP99.toFixed(0), 9)}${pad((final / MiB).toFixed(0), 9)}${pad(`${growth >= 0 ? '+' : ''}${(growth / MiB).toFixed(1)}`, 8)}` +
        `${pad(fetchTimes.length, 6)}${pad(attemptsDown, 6)}${pad(maxWindow, 8)}`,
    );
    if (i.crashed) failures.push(`${i.name} crashed: ${i.crashed}`);
    if (after.length === 0) failures.push(`${i.name}: no samples after warm-up`);
    else if (growth > bound)
      failures.push(
        `${i.name}: RSS grew ${(growth / MiB).toFixed(1)} MiB after warm-up (bound ${(bound / MiB).toFixed(0)} MiB; of it V8 heap in use ${(heapGrowth / MiB).toFixed(1)} MiB, V8 heap reserved ${(heapReservedGrowth / MiB).toFixed(1)} MiB, external ${(externalGrowth / MiB).toFixed(1)} MiB)`,
      );
    if (maxWindow > fetchLimit)
      failures.push(
        `${i.name}: ${maxWindow} JWKS fetches inside one ${COOLDOWN_MS / 1000} s window (limit ${fetchLimit})`,
      );
    summary.push({
      instance: i.name,
      statuses: Object.fromEntries(i.statuses),
      p50: median(i.latencies),
      p99: quantile(i.latencies, 0.99),
      rssBaseline: baseline,
      rssFinal: final,
      heapUsedGrowth: heapGrowth,
      heapTotalGrowth: heapReservedGrowth,
      externalGrowth,
      // Every fifth sample: [s, RSS MiB, V8 heap in use MiB, V8 heap reserved MiB, external MiB].
      memory: i.samples
        .filter((_, k) => k % 5 === 0)
        .map((m) =>
          [m.t, m.rss, m.heapUsed, m.heapTotal, m.external].map(
            (v, k) => +(k === 0 ? v : v / MiB).toFixed(1),
          ),
        ),
      jwksFetches: fetches.map(
        (f) => `${((f.at - started) / 1000).toFixed(1)}${f.up ? '' : ' (down)'}`,
      ),
      jwksMaxPerWindow: maxWindow,
      verifierRequests: [...i.jwksRequests]
        .sort((a, b) => a.at - b.at)
        .map((f) => `${((f.at - started) / 1000).toFixed(1)}${f.ok ? '' : ' (failed)'}`),
      verifierFetches: last?.jwksFetches ?? 0,
      verifierFetchFailures: last?.jwksFailures ?? 0,
      crashed: i.crashed ?? null,
    });
  }
  if (counters.forgeryAccepted > 0)
    failures.push(`${counters.forgeryAccepted} forged or replayed requests accepted`);
  if (counters.bad5xx > 0)
    failures.push(`${counters.bad5xx} 5xx answers other than a 503 with Retry-After`);
  if (counters.transportErrors > 0)
    failures.push(`${counters.transportErrors} requests without an answer`);
  if (counters.lostFamilies > 0) failures.push(`${counters.lostFamilies} refresh families lost`);
  if (counters.validRefused > 0) failures.push(`${counters.validRefused} valid requests refused`);

  console.log(`\n${rows.join('\n')}\n`);
  console.log(
    `requests ${counters.requests} (shed by the client: ${counters.shed}), 503 with Retry-After ${counters.dependencyDown}, ` +
      `logins ${counters.logins}, refreshes ${counters.refreshes}, reuse checks ${counters.reuseChecks}, ` +
      `rotated key refused while the budget was spent ${counters.rotatedKeyRefused}`,
  );
  console.log('by kind:');
  for (const [kind, statuses] of [...byKind].sort())
    console.log(`  ${kind.padEnd(58)} ${[...statuses].map(([s, n]) => `${s}×${n}`).join(' ')}`);
  console.log(
    `faults: ${events.join(', ')}; JWKS down ${FLAP_PERIOD - FLAP_UP} s of every ${FLAP_PERIOD} s`,
  );
  if (incidents.length > 0)
    console.log(`incidents (first ${incidents.length}):\n  ${incidents.join('\n  ')}`);

  const duration = Math.max(durationS, ...instances.flatMap((i) => i.samples.map((s) => s.t)));
  const every = (points: [number, number][], step: number) =>
    points.filter((_, k) => k % step === 0);
  const svg = renderChart(
    `tokengate soak: ${(durationS / 60).toFixed(0)} min, 8 instances, one Redis`,
    Math.ceil(duration),
    [
      {
        title: 'RSS per instance',
        unit: 'MiB',
        series: instances.map((i) => ({
          name: i.name,
          points: every(
            i.samples.map((s) => [s.t, s.rss / MiB]),
            5,
          ),
        })),
      },
      {
        title: 'latency p99 per instance, 10 s buckets',
        unit: 'ms',
        series: instances.map((i) => ({
          name: i.name,
          points: [...i.buckets]
            .sort(([a], [b]) => a - b)
            .map(([b, l]) => [b * 10 + 5, quantile(l, 0.99)]),
        })),
      },
      {
        title: 'event-loop delay p99 per instance',
        unit: 'ms',
        series: instances.map((i) => ({
          name: i.name,
          points: every(
            i.samples.map((s) => [s.t, s.loopDelayP99]),
            5,
          ),
        })),
      },
    ],
    bands,
  );
  writeFileSync(join(out, 'soak.svg'), svg);
  writeFileSync(
    join(out, 'soak.json'),
    `${JSON.stringify({ durationS, warmUpS, counters, summary, events, incidents, byKind: Object.fromEntries([...byKind].map(([k, v]) => [k, Object.fromEntries(v)])) }, null, 1)}\n`,
  );
  console.log(
    // Relative paths: the summary is kept in the repository, beside the chart.
    `chart: ${relative(process.cwd(), join(out, 'soak.svg'))}; samples: ${relative(process.cwd(), join(out, 'soak.json'))}; instance logs: ${relative(process.cwd(), join(out, 'instances.log'))}`,
  );
  console.log(
    `\npass criteria: no accepted forgery; no 5xx but 503 with Retry-After; every request answered; ` +
      `RSS growth after ${warmUpS.toFixed(0)} s warm-up (first vs last third) ≤ max(${RSS_BOUND_MIB} MiB, ${RSS_BOUND_SHARE * 100}%); no crash; ` +
      `no lost refresh family; no valid request refused; ≤ ${fetchLimit} JWKS fetches per ${COOLDOWN_MS / 1000} s per instance`,
  );
  if (failures.length === 0) console.log('PASS');
  else console.log(`FAIL\n  ${failures.join('\n  ')}`);
  return failures.length === 0;
}

main().then(
  (ok) => {
    process.exit(ok ? 0 : 1);
  },
  (error: unknown) => {
    console.error(
      `soak: ${error instanceof Error ? (error instanceof TypeError ? error.message : error.stack) : String(error)}`,
    );
    process.exit(2);
  },
);
