import 'reflect-metadata';
import { type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { createVerifier, type TokengateError } from '@tokengate/core';
import type { Refusal, RequestView } from '@tokengate/core/adapter';
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
      { ...createVerifier(options), authenticate: () => Promise.reject(new RangeError('bug')) },
      new Reflector(),
    );
    const { req, context } = gqlContext({});
    await expect(failing.canActivate(context)).rejects.toThrow(RangeError);
    expect(req.auth).toBeUndefined();
  });
});

/** How an RPC app subclasses the guard: the token sits in the message's metadata. */
@Injectable()
class RpcAuthGuard extends JwtAuthGuard {
  protected override getRequest(context: ExecutionContext) {
    return context.switchToRpc().getData<{ meta: { jwt?: string } } & AuthenticatedRequest>();
  }
  protected override toTokenRequest(message: HttpRequestLike): RequestView {
    const { jwt } = (message as { meta: { jwt?: string } }).meta;
    return {
      method: 'RPC',
      url: 'things.list',
      header: (name) =>
        jwt && name.toLowerCase() === 'authorization' ? `Bearer ${jwt}` : undefined,
    };
  }
  protected override refuse(refusal: Refusal): never {
    throw new RpcError(refusal.status, refusal.error.code);
  }
}

class RpcError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
  ) {
    super(code);
  }
}

function rpcContext(meta: { jwt?: string }) {
  const message: { meta: { jwt?: string } } & AuthenticatedRequest = { meta };
  const context = {
    getType: () => 'rpc',
    getHandler: () => Resolver.prototype.things,
    getClass: () => Resolver,
    switchToRpc: () => ({ getData: () => message }),
  } as unknown as ExecutionContext;
  return { message, context };
}

describe('a JwtAuthGuard subclass for RPC', () => {
  const guard = new RpcAuthGuard(createVerifier(options), new Reflector());

  it('authenticates the view its toTokenRequest builds and sets auth on the message', async () => {
    const { message, context } = rpcContext({ jwt: await mint({ scope: 'read:things' }) });
    expect(guard.canActivate(context)).toBe(true);
    expect(message.auth?.claims.sub).toBe('user-1');
  });

  it('throws what its refuse throws, for a missing token and a missing scope', async () => {
    const thrownBy = (context: ExecutionContext): unknown => {
      try {
        guard.canActivate(context);
      } catch (error) {
        return error;
      }
      return expect.fail('expected a refusal');
    };
    const missing = thrownBy(rpcContext({}).context);
    expect(missing).toBeInstanceOf(RpcError);
    expect(missing).toMatchObject({ status: 401, code: 'ERR_TOKEN_MISSING' });
    const scoped = rpcContext({ jwt: await mint({ scope: 'other' }) });
    expect(thrownBy(scoped.context)).toMatchObject({ status: 403, code: 'ERR_INSUFFICIENT_SCOPE' });
    expect(scoped.message.auth).toBeUndefined();
  });
});
