import 'reflect-metadata';
import { createRequire } from 'node:module';
import { HttpException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import {
  createVerifier,
  JwtAuthGuard,
  MissingTokenError,
  TokengateHttpException,
} from '@tokengate/nestjs';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { startNest } from '../../../packages/nestjs/src/test-support/conformance-app.js';

const secret = 'a-nest-11-test-secret-at-least-32-bytes-long';
// The test token carries no `iss` or `aud`: this file is about the Nest version.
const options = {
  secret,
  algorithms: ['HS256'],
  realm: 'api',
  issuer: false as const,
  audience: false as const,
};

describe.each([
  ['express', () => new ExpressAdapter()],
  ['fastify', () => new FastifyAdapter()],
] as const)('@tokengate/nestjs inside a Nest 11 app on %s', (_name, adapter) => {
  it('runs on Nest 11, and the library uses the same Nest as the app', () => {
    const require = createRequire(import.meta.url);
    expect(require('@nestjs/core/package.json').version).toMatch(/^11\./);
    expect(new TokengateHttpException(new MissingTokenError())).toBeInstanceOf(HttpException);
    const paramtypes = Reflect.getMetadata('self:paramtypes', JwtAuthGuard) as { param: unknown }[];
    expect(paramtypes.map((p) => p.param)).toContain(Reflector);
  });

  it('guards a route: 200 with a valid token, 401 with the challenge without one', async () => {
    const hits: string[] = [];
    const app = {
      verifier: createVerifier(options),
      downOptions: options,
      defaultOptions: options,
      hit: (route: string, auth: unknown) => {
        hits.push(route);
        return { route, sub: (auth as { claims: { sub: string } } | undefined)?.claims.sub };
      },
    };
    const server = await startNest(app, adapter);
    try {
      const token = await new SignJWT({ sub: 'u1' })
        .setProtectedHeader({ alg: 'HS256' })
        .setExpirationTime('5m')
        .sign(new TextEncoder().encode(secret));
      const ok = await fetch(`${server.baseUrl}/protected`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual({ route: '/protected', sub: 'u1' });
      const missing = await fetch(`${server.baseUrl}/protected`);
      expect(missing.status).toBe(401);
      expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="api"');
      expect(hits).toEqual(['/protected']);
    } finally {
      await server.close();
    }
  });
});
