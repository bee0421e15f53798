// The DPoP part of the walk (RFC 9449): the client logs in with a proof of its own key, and
// the API takes the bound token only with a fresh proof by that key.
import { DEMO_PASSWORDS, ROUTES } from '@tokengate-examples/shared';
import { base64url, type CryptoKey, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { call, check, failed, type StepResult } from './steps.js';

/**
 * The public origin the APIs are configured with (`dpop.origin`), as if a TLS proxy served
 * them there: the client's proofs name it (`htu`), whatever local port it connects to.
 *
 * @example
 * jwtAuth({ ...options, dpop: { mode: 'allowed', origin: DEMO_API_ORIGIN } });
 */
export const DEMO_API_ORIGIN = 'https://api.tokengate-demo.test';

/** A client's DPoP key: signs one proof per request (RFC 9449 §4.2). */
interface ClientKey {
  proof(method: string, url: string, accessToken?: string): Promise<string>;
}

async function clientKey(): Promise<ClientKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk: JWK = await exportJWK(publicKey);
  const sign = (claims: Record<string, unknown>, key: CryptoKey) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk }).sign(key);
  return {
    async proof(method, url, accessToken) {
      const claims: Record<string, unknown> = {
        htm: method,
        htu: url,
        jti: crypto.randomUUID(),
        iat: Math.floor(Date.now() / 1000),
      };
      if (accessToken !== undefined) {
        const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(accessToken));
        claims.ath = base64url.encode(new Uint8Array(digest));
      }
      return sign(claims, privateKey);
    },
  };
}

function tokenType(answer: Awaited<ReturnType<typeof call>>): StepResult {
  const type = String(answer.body.token_type ?? answer.code ?? answer.error ?? '');
  return {
    step: 'POST /token with a DPoP proof',
    expected: '200 DPoP',
    actual: `${answer.status} ${type}`,
    ok: answer.status === 200 && type === 'DPoP',
  };
}

/**
 * Log in at the DPoP token endpoint with a proof, then call the API's `/me` with the bound
 * token: as Bearer (refused), as DPoP without a proof (refused), with a proof (200), with the
 * same proof again (refused), sent to `replayTo` (another instance of the API). Never throws.
 *
 * @example
 * const results = await dpopSteps(api.url, dpopIssuer.tokenUrl);
 */
export async function dpopSteps(
  base: string,
  tokenUrl: string,
  replayTo = base,
): Promise<StepResult[]> {
  const results: StepResult[] = [];
  try {
    const key = await clientKey();
    const credentials = { username: 'alice', password: DEMO_PASSWORDS.alice };
    const proof = await key.proof('POST', tokenUrl);
    const login = await call(tokenUrl, '', { body: credentials, proof });
    results.push(tokenType(login));
    if (login.status !== 200) return results;
    const token = String(login.body.access_token);
    const bearer = await call(base, ROUTES.me, { token });
    results.push(check('GET /me, DPoP token as Bearer', 401, bearer, 'ERR_TOKEN_BINDING'));
    const bare = await call(base, ROUTES.me, { token, scheme: 'DPoP' });
    results.push(check('GET /me, DPoP token, no proof', 401, bare, 'invalid_dpop_proof'));
    const meProof = await key.proof('GET', `${DEMO_API_ORIGIN}${ROUTES.me}`, token);
    const proven = await call(base, ROUTES.me, { token, scheme: 'DPoP', proof: meProof });
    results.push(check('GET /me, DPoP token + proof', 200, proven));
    const replay = await call(replayTo, ROUTES.me, { token, scheme: 'DPoP', proof: meProof });
    results.push(check('GET /me, same proof again', 401, replay, 'ERR_DPOP_PROOF_REPLAYED'));
  } catch (error) {
    results.push(failed('(DPoP request failed)', '', error));
  }
  return results;
}
