import 'reflect-metadata';
import { type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { createVerifier, type TokengateError } from '@tokengate/core';
import { describe, expect, it } from 'vitest';
import { type AuthenticatedRequest, Scopes } from './decorators.js';
import { TokengateHttpException } from './exception.js';
import { JwtAuthGuard } from './jwt-auth.guard.js';
import type { HttpRequestLike } from './request.js';
import { mint, options } from './test-support/tokens.js';

/** How a GraphQL app subclasses the guard: the request sits in the resolver context. */
@Injectable()
class GqlAuthGuard extends JwtAuthGuard {
  protected override getRequest(context: ExecutionContext) {
    return context.getArgByIndex<{ req: HttpRequestLike & AuthenticatedRequest }>(2).req;
  }
}

class Resolver {
  @Scopes('read:things')
  things() {}
}

/** A GraphQL-shaped execution context: (root, args, context, info). */
function gqlContext(headers: Record<string, string>) {
  const req: HttpRequestLike & AuthenticatedRequest = { headers };
  const args = [undefined, {}, { req }, {}];
  const context = {
    getType: () => 'graphql',
    getHandler: () => Resolver.prototype.things,
    getClass: () => Resolver,
    getArgs: () => args,
    getArgByIndex: (i: number) => args[i],
    switchToHttp: () => {
      throw new Error('not an HTTP context');
    },
  } as unknown as ExecutionContext;
  return { req, context };
}

describe('a JwtAuthGuard subclass for GraphQL', () => {
  const guard = new GqlAuthGuard(createVerifier(options), new Reflector());

  it('authenticates the request it finds in the GraphQL context and sets request.auth', async () => {
    const { req, context } = gqlContext({
      authorization: `Bearer ${await mint({ scope: 'read:things' })}`,
    });
    expect(await guard.canActivate(context)).toBe(true);
    expect(req.auth?.claims.sub).toBe('user-1');
  });

  it('throws a TokengateHttpException carrying the core error and its headers, touching no HTTP response', async () => {
    const { context } = gqlContext({ authorization: `Bearer ${await mint({ scope: 'other' })}` });
    // Thrown synchronously or rejected: either way Nest's GuardsConsumer turns it into a rejection.
    const error: TokengateHttpException = await (async () => guard.canActivate(context))().then(
      () => expect.fail('expected a refusal'),
      (e: TokengateHttpException) => e,
    );
    expect(error).toBeInstanceOf(TokengateHttpException);
    expect(error.getStatus()).toBe(403);
    expect(error.message).toBe('The token lacks the required scope');
    expect((error.cause as TokengateError).code).toBe('ERR_INSUFFICIENT_SCOPE');
    expect(error.headers['WWW-Authenticate']).toContain('scope="read:things"');
    expect(error.getResponse()).toMatchObject({ error: 'insufficient_scope' });
  });

  it('rethrows an error that is not a tokengate error unchanged', async () => {
    const failing = new GqlAuthGuard(
      { ...createVerifier(options), authenticateNow: () => Promise.reject(new RangeError('bug')) },
      new Reflector(),
    );
    const { context } = gqlContext({});
    await expect(failing.canActivate(context)).rejects.toThrow(RangeError);
  });
});
