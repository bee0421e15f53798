import fastifyJwt from '@fastify/jwt';
import Fastify, { type FastifyPluginAsync } from 'fastify';
import buildGetJwks from 'get-jwks';
import { listenFastify } from './listen.js';
import { reply, type ServerConfig, type ServerFactory } from './types.js';

interface DecodedToken {
  header: { kid: string; alg: string };
  payload: { iss: string };
}

// What @fastify/jwt adds to the request. Its own augmentation targets the `fastify` it resolves
// from its install location, which pnpm does not give it, so the types are spelled out here.
interface JwtRequest {
  jwtVerify(): Promise<unknown>;
  user: { sub?: string };
}

// @fastify/jwt's documented JWKS setup (README "Verifying with JWKS"): get-jwks finds the key
// from the token's `iss`, then fast-jwt checks issuer and audience.
async function fastifyJwtGetJwks(config: ServerConfig): Promise<number> {
  const app = Fastify();
  const getJwks = buildGetJwks();
  await app.register(fastifyJwt as unknown as FastifyPluginAsync<Record<string, unknown>>, {
    decode: { complete: true },
    secret: (_request: unknown, token: DecodedToken) =>
      getJwks.getPublicKey({
        kid: token.header.kid,
        alg: token.header.alg,
        domain: token.payload.iss,
      }),
    verify: { allowedIss: config.issuer, allowedAud: config.audience, algorithms: ['RS256'] },
  });
  app.addHook('onRequest', async (request, res) => {
    try {
      await (request as unknown as JwtRequest).jwtVerify();
    } catch (error) {
      res.send(error);
    }
  });
  app.get('/', async (request) => reply((request as unknown as JwtRequest).user.sub));
  return listenFastify(app);
}

/** Fastify 5 peer: @fastify/jwt + get-jwks. */
export const servers: Record<string, ServerFactory> = { 'fastify-jwt': fastifyJwtGetJwks };
