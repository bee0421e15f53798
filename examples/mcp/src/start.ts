import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, type McpAppOptions } from './app.js';

/**
 * Where to listen: `port` (0 for any free one) on `host` (default `127.0.0.1`). The MCP
 * endpoint is `/mcp` on `publicUrl` (default `http://<host>:<port>`), and that URL is the
 * resource identifier tokens must be issued for.
 *
 * @example
 * const options: StartOptions = { port: 0, authorizationServers: ['http://127.0.0.1:3000'] };
 */
export interface StartOptions extends Omit<McpAppOptions, 'resource'> {
  port: number;
  host?: string;
  publicUrl?: string;
}

/**
 * A running example: the MCP endpoint's URL (also its resource identifier) and `close()`.
 *
 * @example
 * const { url } = await start({ port: 0, authorizationServers: [issuer] });
 */
export interface RunningMcpServer {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Listen first, then build the app: with port 0 the resource identifier is only known once
 * the port is.
 *
 * @example
 * const mcp = await start({ port: 0, authorizationServers: [issuer] });
 * await mcp.close();
 */
export async function start({
  port,
  host = '127.0.0.1',
  publicUrl,
  ...options
}: StartOptions): Promise<RunningMcpServer> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const origin =
    publicUrl?.replace(/\/$/, '') ?? `http://${host}:${(server.address() as AddressInfo).port}`;
  const url = `${origin}/mcp`;
  const close = () =>
    new Promise<void>((done) => {
      server.close(() => done());
      server.closeAllConnections();
    });
  try {
    server.on('request', createApp({ ...options, resource: url }));
  } catch (error) {
    await close();
    throw error;
  }
  return { url, close };
}
