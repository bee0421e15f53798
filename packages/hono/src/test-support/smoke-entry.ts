// Bundled and run on Bun and Deno by runtimes.test.ts: verifies the token from $TOKEN (and
// a forged one) through the adapter with app.request() and prints the outcome as JSON.
import { Hono } from 'hono';
import { jwtAuth } from '../index.js';
import { options } from './tokens.js';

declare const process: { env: Record<string, string | undefined> } | undefined;
declare const Deno: { env: { get(name: string): string | undefined } } | undefined;

const token = typeof Deno !== 'undefined' ? Deno.env.get('TOKEN') : process?.env.TOKEN;
const app = new Hono();
app.get('/me', jwtAuth(options), (c) => c.json({ sub: c.var.auth.claims.sub }));

const ok = await app.request('/me', { headers: { Authorization: `Bearer ${token}` } });
const forged = await app.request('/me', { headers: { Authorization: `Bearer ${token}x` } });
console.log(
  JSON.stringify({
    ok: { status: ok.status, body: await ok.json() },
    forged: { status: forged.status, challenge: forged.headers.get('www-authenticate') },
  }),
);
