import { request as httpRequest, type Server } from 'node:http';
import { createServer as createHttpsServer, type ServerOptions } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import express from 'express';
import express4 from 'express4';

/** Both Express majors, for `describe.each`. */
export const expressVersions = [
  { major: 5, express },
  { major: 4, express: express4 },
] as const;

/** Listen on 127.0.0.1:0 (HTTPS with `tls`) and return the base URL and a closer. */
export async function listen(
  app: Express,
  tls?: ServerOptions,
): Promise<{ baseUrl: string; close(): Promise<void> }> {
  const server = await new Promise<Server>((resolve, reject) => {
    const s: Server = tls ? createHttpsServer(tls, app) : app.listen(0, '127.0.0.1');
    if (tls) s.listen(0, '127.0.0.1');
    s.once('listening', () => resolve(s));
    s.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/** A response read in full. */
export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * Send a GET with repeated header lines, which `fetch` cannot do (it joins them with a comma).
 */
export function rawGet(url: string, headers: Record<string, string[]>): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    for (const [name, values] of Object.entries(headers)) req.setHeader(name, values);
    req.on('error', reject);
    req.end();
  });
}
