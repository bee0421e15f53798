// `pnpm start`: MCP_AUTHORIZATION_SERVER (the issuer clients get tokens from; required),
// PORT (default 3005), MCP_PUBLIC_URL (the origin clients reach this server at; default
// http://127.0.0.1:<PORT>).
import { start } from './start.js';

try {
  const issuer = process.env.MCP_AUTHORIZATION_SERVER;
  if (!issuer) throw new Error('set MCP_AUTHORIZATION_SERVER to the issuer of your tokens');
  const mcp = await start({
    port: Number(process.env.PORT ?? 3005),
    publicUrl: process.env.MCP_PUBLIC_URL,
    authorizationServers: [issuer],
  });
  console.log(`tokengate MCP example on ${mcp.url} (authorization server ${issuer})`);
} catch (error) {
  console.error(`tokengate MCP example: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
