/** Framework → variant → the module (in this folder) that starts it; bare first. */
export const SERVER_MODULES: Record<string, Record<string, string>> = {
  express: {
    bare: 'express',
    noop: 'express',
    tokengate: 'express',
    'tokengate-nocache': 'express',
    'tokengate-promise': 'express',
    'express-jwt': 'express-jwt',
    'express-oauth2-jwt-bearer': 'express-oauth2',
  },
  fastify: {
    bare: 'fastify',
    noop: 'fastify',
    tokengate: 'fastify',
    'tokengate-nocache': 'fastify',
    'tokengate-promise': 'fastify',
    'fastify-jwt': 'fastify-jwt',
  },
  hono: {
    bare: 'hono',
    noop: 'hono',
    tokengate: 'hono',
    'tokengate-nocache': 'hono',
    'tokengate-promise': 'hono',
    'hono-jwk': 'hono-jwk',
  },
  nest: {
    bare: 'nest',
    noop: 'nest',
    tokengate: 'nest',
    'tokengate-nocache': 'nest',
    'tokengate-promise': 'nest',
    'passport-jwt': 'nest-passport',
  },
};
