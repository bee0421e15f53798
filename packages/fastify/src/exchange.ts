import type { AuthInfo } from '@tokengate/core';
import type { Exchange, Refusal } from '@tokengate/core/adapter';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { FastifyRequestView } from './request.js';

/**
 * One Fastify request in the request protocol, inside a callback-style hook: its view, and
 * the answers. A refusal is sent as JSON without calling `done` (Fastify's way of answering
 * from a hook), or handed to Fastify's error handler when the app asked for that.
 *
 * @example
 * gate.authenticate(new FastifyExchange(request, reply, done, passErrors), rules);
 */
export class FastifyExchange extends FastifyRequestView implements Exchange<void> {
  private readonly reply: FastifyReply;
  private readonly done: HookHandlerDoneFunction;
  private readonly passErrors: boolean;
  constructor(
    request: FastifyRequest,
    reply: FastifyReply,
    done: HookHandlerDoneFunction,
    passErrors: boolean,
  ) {
    super(request);
    this.reply = reply;
    this.done = done;
    this.passErrors = passErrors;
  }
  pass(auth: AuthInfo | undefined, headers: Readonly<Record<string, string>> | undefined): void {
    this.request.auth = auth;
    if (headers !== undefined) this.reply.headers(headers);
    this.done();
  }
  refuse({ status, headers, body, error }: Refusal): void {
    if (this.passErrors) this.done(error);
    else this.reply.code(status).headers(headers).send(body);
  }
  fail(error: unknown): void {
    this.done(error as Error);
  }
}
