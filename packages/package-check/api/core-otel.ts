/**
 * Verification spans and counters through the OpenTelemetry API.
 *
 * @module @tokengate/core/otel
 */
export * from '../../core/src/telemetry/otel.js';
