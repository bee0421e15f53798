// The Node entry's events: two diagnostics_channel channels that APM agents and applications
// subscribe to by name, without any option. A channel without subscribers costs one property
// read per verification.
import { channel } from 'node:diagnostics_channel';
import type { KeySetFetchEvent, Telemetry, VerificationEvent } from '../telemetry/types.js';

/**
 * Name of the channel that receives a {@link VerificationEvent} after each verification.
 *
 * @example
 * diagnostics_channel.subscribe(VERIFY_CHANNEL, (event) => count(event.outcome, event.code));
 */
export const VERIFY_CHANNEL = 'tokengate:verify';

/**
 * Name of the channel that receives a {@link KeySetFetchEvent} after each key-set fetch.
 *
 * @example
 * diagnostics_channel.subscribe(JWKS_CHANNEL, (event) => event.cause && alert(event.url));
 */
export const JWKS_CHANNEL = 'tokengate:jwks';

const verifyChannel = channel(VERIFY_CHANNEL);
const jwksChannel = channel(JWKS_CHANNEL);

function publishVerification(event: VerificationEvent): void {
  verifyChannel.publish(event);
}

/**
 * The Node engine's {@link Telemetry}: publishes to {@link VERIFY_CHANNEL} and
 * {@link JWKS_CHANNEL} while they have subscribers.
 *
 * @example
 * const engine: VerifyEngine = { ...engine, telemetry: diagnosticsTelemetry };
 */
export const diagnosticsTelemetry: Telemetry = {
  startVerification: () => (verifyChannel.hasSubscribers ? publishVerification : undefined),
  keySetFetch(event: KeySetFetchEvent) {
    if (jwksChannel.hasSubscribers) jwksChannel.publish(event);
  },
};
