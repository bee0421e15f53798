import { createSecretMinter } from '@tokengate/testing/mint';

/** The HS256 issuer of these tests: `sub: 'user-1'`, a random secret. */
export const tokens = createSecretMinter({ subject: 'user-1' });
export const { mint } = tokens;
export const options = { ...tokens.verifierOptions(), realm: 'api' };
