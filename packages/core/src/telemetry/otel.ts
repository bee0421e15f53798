// `@tokengate/core/otel`: verification spans and counters through the OpenTelemetry API.
// A subpath of its own, so that `@opentelemetry/api` (an optional peer dependency) is loaded
// only by applications that import it: the default entry never names it, and a bundle or
// runtime without it installed has nothing to resolve.
import {
  type Attributes,
  type Counter,
  type MeterProvider,
  metrics,
  SpanStatusCode,
  type TracerProvider,
  trace,
} from '@opentelemetry/api';
import type { KeySetFetchEvent, Telemetry, VerificationEvent } from './types.js';

/**
 * Options of {@link otelTelemetry}.
 *
 * @example
 * otelTelemetry({ tracerProvider: provider, meterProvider: meters });
 */
export interface OtelTelemetryOptions {
  /** Where spans go. Default: the global tracer provider (`trace.getTracerProvider()`). */
  tracerProvider?: TracerProvider;
  /**
   * Where the counters go. Default: the global meter provider, looked up at the first event
   * (start the SDK before the first verification).
   */
  meterProvider?: MeterProvider;
}

/** Instrumentation scope of the spans and metrics. */
const SCOPE = '@tokengate/core';

interface Counters {
  verifications: Counter;
  fetches: Counter;
}

function verificationAttributes(event: VerificationEvent): Attributes {
  const attributes: Attributes = { 'tokengate.outcome': event.outcome };
  if (event.code !== undefined) attributes['error.type'] = event.code;
  return attributes;
}

function fetchAttributes(event: KeySetFetchEvent): Attributes {
  const attributes: Attributes = { 'tokengate.outcome': event.outcome, 'url.full': event.url };
  if (event.cause !== undefined) attributes['error.type'] = event.cause.kind;
  return attributes;
}

/**
 * A {@link Telemetry} for OpenTelemetry: a `tokengate.verify` span per verification (child
 * of the active span) with `tokengate.outcome` and, on failure, `error.type` set to the error
 * code; the `tokengate.verifications` counter by outcome and code; the `tokengate.jwks.fetches`
 * counter by outcome, URL and failure kind. A refused token is an outcome, not a span error:
 * only failures answered with a 5xx (key set unavailable, broken configuration) set the
 * span's status to `ERROR`.
 *
 * @example
 * import { otelTelemetry } from '@tokengate/core/otel';
 * const verifier = createVerifier({ ...options, telemetry: otelTelemetry() });
 */
export function otelTelemetry(options: OtelTelemetryOptions = {}): Telemetry {
  const tracer = (options.tracerProvider ?? trace.getTracerProvider()).getTracer(SCOPE);
  let counters: Counters | undefined;
  const count = (): Counters => {
    if (counters) return counters;
    const meter = (options.meterProvider ?? metrics.getMeterProvider()).getMeter(SCOPE);
    counters = {
      verifications: meter.createCounter('tokengate.verifications', {
        description: 'Token verifications, by outcome and error code',
        unit: '{verification}',
      }),
      fetches: meter.createCounter('tokengate.jwks.fetches', {
        description: 'Fetches of remote key sets, by outcome and failure kind',
        unit: '{fetch}',
      }),
    };
    return counters;
  };
  return {
    startVerification() {
      const span = tracer.startSpan('tokengate.verify');
      return (event) => {
        const attributes = verificationAttributes(event);
        span.setAttributes(attributes);
        if (event.issuer !== undefined) span.setAttribute('tokengate.issuer', event.issuer);
        if (event.status !== undefined && event.status >= 500)
          span.setStatus({ code: SpanStatusCode.ERROR, message: event.code });
        span.end();
        count().verifications.add(1, attributes);
      };
    },
    keySetFetch(event) {
      count().fetches.add(1, fetchAttributes(event));
    },
  };
}

export type {
  KeySetFetchEvent,
  Telemetry,
  VerificationEvent,
} from './types.js';
