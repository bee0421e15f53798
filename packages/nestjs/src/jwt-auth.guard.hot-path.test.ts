// The guard reads a route's decorators once, and answers without a promise when nothing in
// the verification was asynchronous (keys in memory, a cached token).
import 'reflect-metadata';
import { type ExecutionContext, Injectable, type Type } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/internal';
import {
  type AuthInfo,
  createVerifier,
  MissingTokenError,
  type TokengateError,
  type Verifier,
} from '@tokengate/core';
import { compileRouteRules } from '@tokengate/core/adapter';
import { describe, expect, it, vi } from 'vitest';
import { OPTIONAL_KEY } from './constants.js';
import { type AuthenticatedRequest, OptionalAuth, Public, Scopes } from './decorators.js';
import { TokengateHttpException } from './exception.js';
import { JwtAuthGuard } from './jwt-auth.guard.js';
import type { HttpRequestLike } from './request.js';
import { mint, options } from './test-support/tokens.js';

class BaseController {
  list() {}

  @Public()
  health() {}

  @OptionalAuth()
  feed() {}
}

@Public()
class OpenController extends BaseController {}

@Scopes('admin')
class AdminController extends BaseController {}

type Request = HttpRequestLike & AuthenticatedRequest;
type Handler = (...args: never[]) => unknown;

/** A Nest HTTP execution context for `handler` of `cls`, as the router builds one. */
function http(cls: Type, handler: Handler, headers: Record<string, string> = {}) {
  const request: Request = { headers };
  const sent: Record<string, string> = {};
  const response = {
    header(name: string, value: string) {
      sent[name] = value;
    },
  };
  const context = new ExecutionContextHost([request, response, () => {}], cls, handler);
  return { request, sent, context: context as ExecutionContext };
}

const list = (cls: Type, headers?: Record<string, string>) =>
  http(cls, BaseController.prototype.list, headers);
const bearer = async (claims: Record<string, unknown> = {}) => ({
  authorization: `Bearer ${await mint(claims)}`,
});

/** What a call threw synchronously (`undefined` if it returned). */
function thrownBy(call: () => unknown): unknown {
  try {
    call();
  } catch (error) {
    return error;
  }
  return undefined;
}

/** The refusal of a call that throws or rejects. */
async function refusal(call: () => unknown): Promise<TokengateHttpException> {
  return (async () => call())().then(
    () => expect.fail('expected a refusal'),
    (error: TokengateHttpException) => error,
  );
}

function spiedReflector() {
  const reflector = new Reflector();
  const get = vi.spyOn(reflector, 'get');
  const getAllAndOverride = vi.spyOn(reflector, 'getAllAndOverride');
  const calls = () => get.mock.calls.length + getAllAndOverride.mock.calls.length;
  const clear = () => {
    get.mockClear();
    getAllAndOverride.mockClear();
  };
  return { reflector, calls, clear };
}

describe('JwtAuthGuard route metadata', () => {
  it('asks the Reflector about a route on its first request only', async () => {
    const { reflector, calls, clear } = spiedReflector();
    const guard = new JwtAuthGuard(createVerifier(options), reflector);
    const admin = await bearer({ scope: 'admin' });
    expect(guard.canActivate(list(AdminController, admin).context)).toBe(true);
    expect(calls()).toBeGreaterThan(0);
    clear();
    const again = list(AdminController, admin);
    expect(guard.canActivate(again.context)).toBe(true);
    expect(again.request.auth?.claims.sub).toBe('user-1');
    const refused = list(AdminController, await bearer({ scope: 'other' }));
    const error = thrownBy(() => guard.canActivate(refused.context));
    expect((error as TokengateHttpException).getStatus()).toBe(403);
    expect(calls()).toBe(0);
    // Another route is read once too.
    expect(guard.canActivate(list(OpenController).context)).toBe(true);
    expect(calls()).toBeGreaterThan(0);
    clear();
    expect(guard.canActivate(list(OpenController).context)).toBe(true);
    expect(calls()).toBe(0);
  });

  it("keeps each handler's and each class's own metadata", async () => {
    const guard = new JwtAuthGuard(createVerifier(options), new Reflector());
    const reader = await bearer({ scope: 'read' });
    for (let round = 0; round < 2; round++) {
      // One inherited handler, two controllers: public on one, `admin` scope on the other.
      const open = list(OpenController, reader);
      expect(guard.canActivate(open.context)).toBe(true);
      expect(open.request.auth).toBeUndefined();
      expect(
        (
          thrownBy(() => guard.canActivate(list(AdminController).context)) as TokengateHttpException
        ).getStatus(),
      ).toBe(401);
      const admin = list(AdminController, reader);
      expect(
        (thrownBy(() => guard.canActivate(admin.context)) as TokengateHttpException).getStatus(),
      ).toBe(403);
      // Other handlers of the same class: `@Public()` and `@OptionalAuth()` on the method.
      expect(
        guard.canActivate(http(AdminController, BaseController.prototype.health).context),
      ).toBe(true);
      const feed = http(OpenController, BaseController.prototype.feed);
      expect(guard.canActivate(feed.context)).toBe(true);
      expect(guard.canActivate(http(BaseController, BaseController.prototype.feed).context)).toBe(
        true,
      );
      expect(
        (
          thrownBy(() => guard.canActivate(list(BaseController).context)) as TokengateHttpException
        ).getStatus(),
      ).toBe(401);
    }
  });

  it('asks an overriding isPublic on every request', async () => {
    @Injectable()
    class InternalGuard extends JwtAuthGuard {
      readonly asked: boolean[] = [];
      protected override isPublic(context: ExecutionContext): boolean {
        const internal = this.getRequest(context).headers?.['x-internal'] === '1';
        this.asked.push(internal);
        return internal || super.isPublic(context);
      }
    }
    const guard = new InternalGuard(createVerifier(options), new Reflector());
    for (let round = 0; round < 2; round++) {
      expect(guard.canActivate(list(AdminController, { 'x-internal': '1' }).context)).toBe(true);
      const error = thrownBy(() => guard.canActivate(list(AdminController).context));
      expect((error as TokengateHttpException).getStatus()).toBe(401);
    }
    expect(guard.asked).toEqual([true, false, true, false]);
  });

  it('asks an overriding getMetadata on every request', async () => {
    const ALLOW_MISSING = compileRouteRules({ optional: 'allow-missing' }, 'preview');
    @Injectable()
    class PreviewGuard extends JwtAuthGuard {
      protected override getMetadata<T>(key: string, context: ExecutionContext): T | undefined {
        const preview = this.getRequest(context).headers?.['x-preview'] === '1';
        if (key === OPTIONAL_KEY && preview) return ALLOW_MISSING as T;
        return super.getMetadata<T>(key, context);
      }
    }
    const guard = new PreviewGuard(createVerifier(options), new Reflector());
    for (let round = 0; round < 2; round++) {
      expect(guard.canActivate(list(BaseController, { 'x-preview': '1' }).context)).toBe(true);
      const error = thrownBy(() => guard.canActivate(list(BaseController).context));
      expect((error as TokengateHttpException).getStatus()).toBe(401);
    }
  });
});

describe('JwtAuthGuard on the synchronous path', () => {
  it('returns true itself, not a promise, for a valid token verified with a secret in memory', async () => {
    const guard = new JwtAuthGuard(createVerifier(options), new Reflector());
    const { request, context } = list(BaseController, await bearer({ scope: 'read' }));
    expect(guard.canActivate(context)).toBe(true);
    expect(request.auth?.claims.sub).toBe('user-1');
    expect([...(request.auth?.scopes ?? [])]).toEqual(['read']);
  });

  it('returns true itself for a token the verified-token cache holds', async () => {
    const verifier = createVerifier({ ...options, cache: true });
    const guard = new JwtAuthGuard(verifier, new Reflector());
    const headers = await bearer();
    const calls = [list(BaseController, headers), list(BaseController, headers)];
    for (const { request, context } of calls) {
      expect(guard.canActivate(context)).toBe(true);
      expect(request.auth?.claims.sub).toBe('user-1');
    }
    // The second request got the claims the first one stored: a cache hit, not a new verification.
    expect(calls[1]!.request.auth?.claims).toBe(calls[0]!.request.auth?.claims);
  });

  it('returns true itself on an optional route without a token, leaving request.auth undefined', () => {
    const guard = new JwtAuthGuard(createVerifier(options), new Reflector());
    const feed = http(BaseController, BaseController.prototype.feed);
    expect(guard.canActivate(feed.context)).toBe(true);
    expect(feed.request.auth).toBeUndefined();
    expect(feed.sent).toEqual({});
  });

  it('throws the same TokengateHttpException and headers as the awaited path, synchronously', async () => {
    const verifier = createVerifier(options);
    // A hand-made verifier is driven through its public `authenticate`: always a promise.
    const awaited = {
      authenticate: verifier.authenticate.bind(verifier),
      options: verifier.options,
    } as unknown as Verifier;
    const now = new JwtAuthGuard(verifier, new Reflector());
    const later = new JwtAuthGuard(awaited, new Reflector());
    const cases: [Type, Record<string, string>, number][] = [
      [BaseController, {}, 401],
      [
        BaseController,
        await bearer({}).then((h) => ({ authorization: `${h.authorization}x` })),
        401,
      ],
      [BaseController, { authorization: 'Basic dXNlcjpwYXNz' }, 401],
      [BaseController, { authorization: 'Bearer a b' }, 400],
      [AdminController, await bearer({ scope: 'read' }), 403],
    ];
    for (const [cls, headers, status] of cases) {
      const sync = list(cls, headers);
      const error = thrownBy(() => now.canActivate(sync.context)) as TokengateHttpException;
      expect(error).toBeInstanceOf(TokengateHttpException);
      const async = list(cls, headers);
      const pending = later.canActivate(async.context);
      expect(pending).toBeInstanceOf(Promise);
      const expected = await refusal(() => pending);
      expect(expected).toBeInstanceOf(TokengateHttpException);
      expect(error.getStatus()).toBe(status);
      expect(error.getStatus()).toBe(expected.getStatus());
      expect(error.getResponse()).toEqual(expected.getResponse());
      expect(error.headers).toEqual(expected.headers);
      expect(error.message).toBe(expected.message);
      expect((error.cause as TokengateError).code).toBe((expected.cause as TokengateError).code);
      expect(sync.sent).toEqual(async.sent);
      expect(sync.sent['WWW-Authenticate']).toMatch(/^Bearer realm="api"/);
      expect(sync.request.auth).toBeUndefined();
    }
  });

  it("rethrows a synchronous error that is not tokengate's unchanged, setting no header", () => {
    const bug = new RangeError('bug');
    const broken = {
      authenticate: () => {
        throw bug;
      },
    } as unknown as Verifier;
    const guard = new JwtAuthGuard(broken, new Reflector());
    const { sent, context } = list(BaseController, { authorization: 'Bearer x.y.z' });
    expect(thrownBy(() => guard.canActivate(context))).toBe(bug);
    expect(sent).toEqual({});
  });

  it("awaits a hand-made verifier's authenticate and passes it the route's optional mode", async () => {
    const auth = { claims: { sub: 'double' }, scopes: new Set(['admin']) } as unknown as AuthInfo;
    const authenticate = vi.fn(async () => auth);
    const guard = new JwtAuthGuard({ authenticate } as unknown as Verifier, new Reflector());
    const { request, context } = list(AdminController, { authorization: 'Bearer anything' });
    const result = guard.canActivate(context);
    expect(result).toBeInstanceOf(Promise);
    expect(await result).toBe(true);
    expect(request.auth).toBe(auth);
    const feed = http(BaseController, BaseController.prototype.feed);
    expect(await guard.canActivate(feed.context)).toBe(true);
    expect(authenticate).toHaveBeenLastCalledWith(expect.anything(), { optional: 'allow-missing' });

    authenticate.mockRejectedValueOnce(new MissingTokenError());
    const refused = list(BaseController);
    const error = await refusal(() => guard.canActivate(refused.context));
    expect(error).toBeInstanceOf(TokengateHttpException);
    expect(error.getStatus()).toBe(401);
    expect(refused.sent).toEqual({ 'WWW-Authenticate': 'Bearer realm="api"' });
  });

  it('throws a TypeError when built over something that is not a verifier', () => {
    expect(() => new JwtAuthGuard({} as Verifier, new Reflector())).toThrow(TypeError);
  });
});
