// `verifier.options` is readable by anything holding the verifier (logs, error reporters,
// `console.log(verifier)`), so it must never carry the shared secret or decryption keys.
import type { VerifierOptions } from './options.js';

/**
 * The options as `verifier.options` exposes them: frozen, without `secret`, `decryption`,
 * `dpop.nonce` or any `issuers[i].secret`.
 *
 * @example
 * publicOptions({ secret: 's3cret', audience: 'api' }); // { audience: 'api' }
 */
export function publicOptions(options: VerifierOptions): Readonly<VerifierOptions> {
  const { secret: _secret, decryption: _decryption, issuers, ...rest } = options;
  const copy: VerifierOptions = { ...rest };
  // The nonce secret is a key like the others.
  if (typeof rest.dpop === 'object' && rest.dpop?.nonce !== undefined)
    copy.dpop = Object.freeze({ ...rest.dpop, nonce: undefined });
  if (Array.isArray(issuers))
    copy.issuers = Object.freeze(
      issuers.map(({ secret: _s, ...config }) => Object.freeze(config)),
    ) as VerifierOptions['issuers'];
  else if (issuers !== undefined) copy.issuers = issuers;
  return Object.freeze(copy);
}
