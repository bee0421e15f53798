/**
 * Issue tokens: signing keys and a rotating key ring, access and refresh tokens, the public JWK Set, nested JWE.
 *
 * @module @tokengate/issuer
 */
export * from '../../issuer/src/index.js';
