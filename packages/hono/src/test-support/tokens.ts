import { createSecretMinter } from '@tokengate/testing/mint';

// A fixed secret: runtimes.test.ts mints here and verifies in a Bun/Deno process that imports
// these options again. The audience is asserted by verifier-cache.test.ts.
const secret = 'a-test-secret-that-is-at-least-32-bytes-long';

/** The HS256 issuer of these tests: `sub: 'user-1'`, `aud: 'api'`, times from the faked clock. */
export const tokens = createSecretMinter({ subject: 'user-1', audience: 'api', secret });
export const { mint } = tokens;
export const options = { ...tokens.verifierOptions(), realm: 'api' };
