import { createVerifier as createNodeVerifier } from '@tokengate/core/node';
import { createFloorVerifier } from '../inproc/native.js';
import type { Fixture } from '../tokens.js';
import { type SuiteContender, tokengateContender } from './suite.js';
import { decodeBase64url } from './web-floor.js';

/**
 * The verifiers that need `node:*` modules: core's Node build (what Node, and the Node
 * compatibility of Bun and Deno, resolve `@tokengate/core` to) and the node:crypto floor.
 * Not in the workerd bundle.
 */
export const NODE_CONTENDERS: readonly SuiteContender[] = [
  tokengateContender('node', 'Node build', createNodeVerifier, false),
  tokengateContender('node', 'Node build', createNodeVerifier, true),
  {
    id: 'node-floor',
    label: 'floor: base64url+JSON+node:crypto+claims',
    async build(wire, claims) {
      const { secret, publicJwk: _jwk, ...rest } = wire;
      const fixture: Fixture = { ...rest, ...(secret ? { secret: decodeBase64url(secret) } : {}) };
      const verify = createFloorVerifier(fixture, claims);
      return { prepare: (token) => token, run: (token) => verify(token as string) };
    },
  },
];
