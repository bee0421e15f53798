/** Framework → variant → the module (in this folder) that starts it; bare first. */
export const SERVER_MODULES: Record<string, Record<string, string>> = {
  express: {
    bare: 'express',
    tokengate: 'express',
    'tokengate-nocache': 'express',
    'express-jwt': 'express-jwt',
    'express-oauth2-jwt-bearer': 'express-oauth2',
  },
  fastify: {
    bare: 'fastify',
    tokengate: 'fastify',
    'tokengate-nocache': 'fastify',
    'fastify-jwt': 'fastify-jwt',
  },
  hono: { bare: 'hono', tokengate: 'hono', 'tokengate-nocache': 'hono', 'hono-jwk': 'hono-jwk' },
  nest: {
    bare: 'nest',
    tokengate: 'nest',
    'tokengate-nocache': 'nest',
    'passport-jwt': 'nest-passport',
  },
};
