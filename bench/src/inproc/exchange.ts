import type { Exchange } from '@tokengate/core/adapter';

/**
 * A request carrying `token` whose answers hand back the verified token or throw the refusal,
 * so a forged token fails a timed run as `verify` would. Core contenders are timed through
 * the request protocol with it, as the adapters run core.
 *
 * @example
 * const auth = await gate.authenticate(benchExchange(token));
 */
export function benchExchange(token: string): Exchange<unknown> {
  const authorization = `Bearer ${token}`;
  return {
    method: 'GET',
    url: '/',
    header: (name) => (name === 'authorization' ? authorization : undefined),
    pass: (auth) => auth,
    refuse: (refusal) => {
      throw refusal.error;
    },
    fail: (error) => {
      throw error;
    },
  };
}
