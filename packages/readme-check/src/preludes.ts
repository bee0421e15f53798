/**
 * Preludes: declarations put in front of a README block so that a fragment compiles. A
 * README at `packages/<name>/README.md` gets the prelude `<name>` (the root README gets
 * `root`); `<!-- readme-check: prelude NAME -->` picks another one for a block. A prelude
 * declaration is dropped when the block declares or imports the same name itself, so a
 * block's own `import` or `const app = ...` always wins.
 *
 * Only the declarations a block uses are put in front of it; each is self-contained (types
 * as \`import('…').Name\`), so keeping one never needs another.
 *
 * Preludes import only names that exist: a block that uses a misspelled export still fails
 * with "Cannot find name", and a block's own wrong import fails as usual.
 */
const common = `declare const token: string;
declare const url: string;`;

const express = `import express from 'express';
import { createVerifier, jwtAuth, requireClaims, requireScopes, TokengateError } from '@tokengate/express';
declare const app: import('express').Express;
declare const jwksUri: string;
declare const issuer: string;
declare const audience: string;
declare const feedHandler: import('express').RequestHandler;`;

const fastify = `import Fastify from 'fastify';
import { createVerifier, tokengate, TokengateError } from '@tokengate/fastify';
declare const app: import('fastify').FastifyInstance;
declare const verifierOptions: import('@tokengate/fastify').VerifierOptions;`;

const hono = `import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { isTokengateError, jwtAuth, requireClaims, requireScopes, type TokengateEnv } from '@tokengate/hono';
declare const app: import('hono').Hono;
declare const options: import('@tokengate/hono').VerifierOptions;
declare const log: { warn(...data: unknown[]): void };`;

const nestjs = `import { Catch, Controller, createParamDecorator, Delete, Get, Inject, Injectable, Module, UseGuards } from '@nestjs/common';
import type { ArgumentsHost, ExceptionFilter, ExecutionContext } from '@nestjs/common';
import { APP_GUARD, HttpAdapterHost, Reflector } from '@nestjs/core';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { AnyScope, Auth, JwtAuthGuard, OptionalAuth, Public, RequireClaims, Scopes, TOKENGATE_VERIFIER, TokengateHttpException, TokengateModule } from '@tokengate/nestjs';
import type { AuthClaim, AuthInfo, Verifier } from '@tokengate/nestjs';
// @nestjs/graphql is not installed here; this is the one member the README uses.
declare const GqlExecutionContext: {
  create(context: import('@nestjs/common').ExecutionContext): { getContext<T = any>(): T };
};`;

const issuer = `import express from 'express';
import { createKeyRing, createTokenIssuer, generateSigningKey, importSigningKey, IssuerError } from '@tokengate/issuer';
declare const app: import('express').Express;
declare function checkPassword(body: unknown): Promise<{ id: string }>;
declare const oldKid: string;`;

// The docs' pages: blocks are whole modules; a fragment may use a token and the identity
// provider every page trusts. When a docs block runs, these names are globals of the test
// (a valid token of a test issuer with this `iss` and `aud`, and its JWKS URL).
const docs = `declare const token: string;
declare const jwksUri: string;
declare const issuer: string;
declare const audience: string;`;

const core = `declare const auth: import('@tokengate/core').AuthInfo;`;

/** The preludes by name; each also gets the common declarations (`token`). */
export const preludes: Readonly<Record<string, string>> = {
  root: common,
  common,
  core: `${core}\n${common}`,
  testing: common,
  express: `${express}\n${common}`,
  fastify: `${fastify}\n${common}`,
  hono: `${hono}\n${common}`,
  nestjs: `${nestjs}\n${common}`,
  issuer: `${issuer}\n${common}`,
  redis: common,
  conformance: common,
  'readme-check': common,
  docs,
};

/**
 * The prelude name for a README path: `packages/<name>/README.md` → `<name>`, a page under
 * `docs/` → `docs`, else `root`.
 *
 * @example
 * preludeNameFor('packages/hono/README.md'); // 'hono'
 */
export function preludeNameFor(readme: string): string {
  if (readme.startsWith('docs/')) return 'docs';
  const match = /^packages\/([^/]+)\/README\.md$/.exec(readme);
  return match?.[1] && match[1] in preludes ? match[1] : 'root';
}
