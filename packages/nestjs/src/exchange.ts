import type { ExecutionContext } from '@nestjs/common';
import type { AuthInfo } from '@tokengate/core';
import type { Exchange, Refusal, RequestView } from '@tokengate/core/adapter';
import type { AuthenticatedRequest } from './decorators.js';

type HeaderMap = Readonly<Record<string, string>>;

interface HeaderTarget {
  headersSent?: boolean;
  sent?: boolean;
  header?(name: string, value: string): unknown;
  setHeader?(name: string, value: string): unknown;
}

/** Set headers on an HTTP response: Express `setHeader`, Fastify reply `header`. */
export function setHeaders(context: ExecutionContext, headers: HeaderMap): void {
  if (context.getType() !== 'http') return;
  const response = context.switchToHttp().getResponse<HeaderTarget | undefined>();
  if (!response || response.headersSent || response.sent) return;
  for (const [name, value] of Object.entries(headers)) {
    if (typeof response.setHeader === 'function') response.setHeader(name, value);
    else response.header?.(name, value);
  }
}

/**
 * One request in the request protocol: the guard's view of it (whatever `toTokenRequest`
 * built), and the guard's answers: `true` with `request.auth` set, or a thrown refusal.
 */
export class NestExchange implements Exchange<true> {
  constructor(
    private readonly view: RequestView,
    private readonly request: AuthenticatedRequest,
    private readonly context: ExecutionContext,
    private readonly refuseWith: (refusal: Refusal, context: ExecutionContext) => never,
  ) {}
  get method(): string {
    return this.view.method;
  }
  get url(): string {
    return this.view.url;
  }
  header(name: string): string | readonly string[] | undefined {
    return this.view.header(name);
  }
  cookie(name: string): string | undefined {
    return this.view.cookie?.(name);
  }
  query(name: string): string | readonly string[] | undefined {
    return this.view.query?.(name);
  }
  peerCertificate(): Uint8Array | undefined {
    return this.view.peerCertificate?.();
  }
  remoteAddress(): string | undefined {
    return this.view.remoteAddress?.();
  }
  pass(auth: AuthInfo | undefined, headers: HeaderMap | undefined): true {
    this.request.auth = auth;
    if (headers !== undefined) setHeaders(this.context, headers);
    return true;
  }
  refuse(refusal: Refusal): never {
    return this.refuseWith(refusal, this.context);
  }
  // Not the client's fault (a broken key configuration, a bug): Nest answers 500.
  fail(error: unknown): never {
    throw error;
  }
}
