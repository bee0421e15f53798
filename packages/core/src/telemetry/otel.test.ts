// `otelTelemetry()` through the OpenTelemetry SDK's in-memory exporters: one span per
// verification with its outcome and error code, counters by outcome and code.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { SpanStatusCode } from '@opentelemetry/api';
import {
  AggregationTemporality,
  type DataPoint,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { SignJWT } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createVerifier } from '../verifier.js';
import { otelTelemetry } from './otel.js';

const SECRET = new TextEncoder().encode('a-shared-secret-of-at-least-32-bytes!');
const ISSUER = 'https://id.example/';

let spans: InMemorySpanExporter;
let tracerProvider: BasicTracerProvider;
let metricExporter: InMemoryMetricExporter;
let reader: PeriodicExportingMetricReader;
let meterProvider: MeterProvider;

function token(claims: { exp?: number; iss?: string } = {}): Promise<string> {
  return new SignJWT({ sub: 'u1' })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(claims.iss ?? ISSUER)
    .setAudience('api')
    .setExpirationTime(claims.exp ?? '1h')
    .sign(SECRET);
}

async function counted(name: string) {
  await reader.forceFlush();
  const points = metricExporter
    .getMetrics()
    .flatMap((m) => m.scopeMetrics)
    .flatMap((s) => s.metrics)
    .filter((m) => m.descriptor.name === name)
    .flatMap((m) => m.dataPoints as DataPoint<number>[]);
  return points.map((p) => ({ attributes: p.attributes, value: p.value }));
}

beforeEach(() => {
  spans = new InMemorySpanExporter();
  tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
  metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  reader = new PeriodicExportingMetricReader({
    exporter: metricExporter,
    exportIntervalMillis: 3_600_000,
  });
  meterProvider = new MeterProvider({ readers: [reader] });
});

afterEach(async () => {
  await tracerProvider.shutdown();
  await meterProvider.shutdown();
});

describe('otelTelemetry', () => {
  it('records one span per verification with its outcome and error code', async () => {
    const verifier = createVerifier({
      secret: SECRET,
      issuer: ISSUER,
      audience: 'api',
      telemetry: otelTelemetry({ tracerProvider, meterProvider }),
    });
    await verifier.verify(await token());
    await expect(verifier.verify(await token({ exp: 1_000 }))).rejects.toThrow();
    await expect(verifier.verify('a.b')).rejects.toThrow();
    const finished = spans.getFinishedSpans();
    expect(finished.map((s) => s.name)).toEqual([
      'tokengate.verify',
      'tokengate.verify',
      'tokengate.verify',
    ]);
    expect(finished.map((s) => s.attributes)).toEqual([
      { 'tokengate.outcome': 'success', 'tokengate.issuer': ISSUER },
      { 'tokengate.outcome': 'failure', 'error.type': 'ERR_TOKEN_EXPIRED' },
      { 'tokengate.outcome': 'failure', 'error.type': 'ERR_TOKEN_MALFORMED' },
    ]);
    // A refused token is an outcome, not an error of the service.
    expect(finished.map((s) => s.status.code)).toEqual([
      SpanStatusCode.UNSET,
      SpanStatusCode.UNSET,
      SpanStatusCode.UNSET,
    ]);
  });

  it('counts verifications by outcome and error code', async () => {
    const verifier = createVerifier({
      secret: SECRET,
      issuer: ISSUER,
      audience: 'api',
      telemetry: otelTelemetry({ tracerProvider, meterProvider }),
    });
    const good = await token();
    await verifier.verify(good);
    await verifier.verify(good);
    await expect(verifier.verify(await token({ iss: 'https://evil.example/' }))).rejects.toThrow();
    expect(await counted('tokengate.verifications')).toEqual(
      expect.arrayContaining([
        { attributes: { 'tokengate.outcome': 'success' }, value: 2 },
        {
          attributes: { 'tokengate.outcome': 'failure', 'error.type': 'ERR_CLAIM_INVALID' },
          value: 1,
        },
      ]),
    );
  });

  it('marks a key set that cannot be fetched as a span error and counts the failed fetch', async () => {
    const verifier = createVerifier({
      jwksUri: 'http://127.0.0.1:9/jwks.json', // the discard port: nothing listens
      issuer: ISSUER,
      audience: 'api',
      logger: false,
      algorithms: ['ES256'],
      telemetry: otelTelemetry({ tracerProvider, meterProvider }),
    });
    const { generateKeyPair } = await import('jose');
    const { privateKey } = await generateKeyPair('ES256');
    const jwt = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: 'k' })
      .setIssuer(ISSUER)
      .setAudience('api')
      .setExpirationTime('1h')
      .sign(privateKey);
    await expect(verifier.verify(jwt)).rejects.toMatchObject({ status: 503 });
    const [span] = spans.getFinishedSpans();
    expect(span?.attributes['error.type']).toBe('ERR_KEY_SET_UNAVAILABLE');
    expect(span?.status).toEqual({
      code: SpanStatusCode.ERROR,
      message: 'ERR_KEY_SET_UNAVAILABLE',
    });
    expect(await counted('tokengate.jwks.fetches')).toEqual([
      {
        attributes: {
          'tokengate.outcome': 'failure',
          'url.full': 'http://127.0.0.1:9/jwks.json',
          'error.type': 'network',
        },
        value: 1,
      },
    ]);
  });
});

// Only the `otel` subpath may load the API: the entries an application imports must load on
// Node, Bun, Deno and Workers with it absent.
describe('the optional peer dependency', () => {
  const src = resolve(import.meta.dirname, '..');
  const importsOf = (file: string): string[] =>
    [...readFileSync(file, 'utf8').matchAll(/(?:from|import\()\s*['"]([^'"]+)['"]/g)].map(
      (m) => m[1] as string,
    );

  it.each(['index.ts', 'node/index.ts', 'adapter.ts'])('is never imported from %s', (entry) => {
    const seen = new Set<string>();
    const walk = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const spec of importsOf(file)) {
        expect(spec, file).not.toMatch(/^@opentelemetry\//);
        if (spec.startsWith('.')) walk(join(dirname(file), spec.replace(/\.js$/, '.ts')));
      }
    };
    walk(join(src, entry));
    expect(seen.size).toBeGreaterThan(10);
    expect(seen).not.toContain(join(src, 'telemetry/otel.ts'));
  });
});
