// The explanations of refusals before and after the claims policy: syntax, algorithm, key
// and signature, sender binding.
import { type BindingInfo, bindingNeeds, bindingOf } from '../decode.js';
import { utc } from '../format.js';
import { kids } from '../jwk-list.js';
import { header, quoted, type Rule } from './explain-context.js';

/** `ERR_TOKEN_MALFORMED`, and a JWE the verifier has no key for. */
export const malformed: Rule = (error, ctx) => {
  if (ctx.decoded?.kind === 'JWE' && ctx.options.decryption === undefined)
    return {
      step: 'syntax (before any key is used)',
      found: `the token is a JWE (encrypted, alg ${quoted(header(ctx).alg)}, enc ${quoted(header(ctx).enc)})`,
      expected:
        "the verifier has no decryption key: give the recipient's private key with --decryption-key FILE (the API's `decryption` option)",
    };
  return {
    step: 'syntax (before any key is used)',
    found: ctx.decodeProblem ? `${error.message}: ${ctx.decodeProblem}` : error.message,
    expected:
      'a compact JWS (three base64url segments: header.payload.signature) whose header and payload are JSON objects',
  };
};

/** `ERR_ALGORITHM_UNSUPPORTED`: the JWS `alg`, or a JWE's `alg` / `enc`. */
export const algorithm: Rule = (error, ctx) => {
  const h = header(ctx);
  const jwe = error.message.includes('("enc")')
    ? 'enc'
    : error.message.includes('("alg")') && ctx.decoded?.kind === 'JWE'
      ? 'alg'
      : undefined;
  if (jwe)
    return {
      step: 'JWE algorithm allow-list (before decryption)',
      found: `${jwe} is ${quoted(h[jwe])}`,
      expected: `the verifier's decryption allow-list does not hold it (${error.message})`,
    };
  if (h.alg === 'none')
    return {
      step: 'algorithm allow-list',
      found: 'alg is none: the token is not signed',
      expected: 'a signed token: alg none is never accepted',
    };
  return {
    step: 'algorithm allow-list (before any key is fetched)',
    found: `alg is ${quoted(h.alg)}`,
    expected: ctx.options.algorithms
      ? `the verifier accepts ${ctx.options.algorithms.join(', ')}`
      : "it is not on the verifier's default list for this key source (--algorithms sets the list)",
  };
};

/** `ERR_SIGNATURE_INVALID`: no key for the `kid`, or a signature that does not verify. */
export const signature: Rule = (error, ctx) => {
  const kid = header(ctx).kid;
  const set = ctx.recorder.lastJwks();
  const lookup = /no (matching|trusted) key/i.test(error.message);
  if (set) {
    const names = kids(set.body);
    const where = `the JWK Set at ${set.url} (keys: ${names.join(', ') || 'none'}); fetched now, ${utc(set.at / 1000)}`;
    if (typeof kid === 'string' && !names.includes(kid))
      return {
        step: 'key lookup (before the signature check)',
        found: `kid ${kid} not in ${where}`,
        expected:
          'a token signed by one of those keys; or the issuer has not published its new key yet, or the token comes from another issuer or environment',
      };
    return {
      step: 'signature',
      found:
        typeof kid === 'string'
          ? `the signature does not verify with key ${kid} of ${where}`
          : `the token has no kid and no key of ${where} verifies its signature`,
      expected:
        'a token signed by that key and not altered since (a token edited by hand, or signed by another key under the same kid, fails here)',
    };
  }
  const staticKids =
    typeof ctx.keyFile === 'object' && 'keys' in ctx.keyFile ? kids(ctx.keyFile) : undefined;
  const source =
    ctx.options.secret !== undefined
      ? 'the secret'
      : staticKids
        ? `the key file (keys: ${staticKids.join(', ')})`
        : 'the configured key';
  return {
    step: lookup ? 'key lookup (before the signature check)' : 'signature',
    found: `${typeof kid === 'string' ? `kid ${kid}: ` : ''}${lookup ? `no key of ${source} matches the token` : `the signature does not verify with ${source}`}`,
    expected:
      ctx.options.secret !== undefined
        ? 'the secret the issuer signs with'
        : "a token signed by the issuer's private key and not altered since",
  };
};

/** `ERR_TOKEN_BINDING`: a DPoP- or certificate-bound token, with no request to prove it. */
export const bound: Rule = (error, ctx) => {
  const binding: BindingInfo | undefined =
    ctx.decoded?.kind === 'JWS' ? bindingOf(ctx.decoded.claims) : undefined;
  const pasted =
    ctx.scheme === 'Bearer' && binding?.kind === 'dpop'
      ? ' It was pasted as a Bearer token: a DPoP-bound token is never accepted as one.'
      : '';
  return {
    step: 'sender binding (the signature and the claims passed)',
    found: binding
      ? `the token is bound to a ${binding.kind === 'dpop' ? 'DPoP key' : 'client certificate'}: cnf.${binding.member} = ${binding.thumbprint}`
      : error.message,
    expected: `${binding ? `It is ${bindingNeeds(binding)}` : error.message}. \`tokengate verify\` checks the token alone, with no request to prove the binding.${pasted}`,
  };
};
