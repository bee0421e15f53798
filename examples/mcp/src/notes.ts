// The MCP server itself: a note book with three tools. Which scope each tool needs is one map,
// given both to the verifier preset (the metadata's `scopes_supported`) and to the route's
// `requireToolScopes()` (the check).
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ToolScopes } from '@tokengate/express';
import { z } from 'zod';

/** The scope each tool needs; `whoami` is listed nowhere, so any token for this server may call it. */
export const TOOL_SCOPES = {
  list_notes: 'notes:read',
  add_note: 'notes:write',
} as const satisfies ToolScopes;

/** One note, and who wrote it (the client and subject of the token that added it). */
export interface Note {
  readonly text: string;
  readonly clientId: string;
  readonly sub: string | undefined;
}

const text = (value: unknown) => ({
  content: [{ type: 'text' as const, text: JSON.stringify(value) }],
});

/**
 * A new MCP server over `notes` (shared by every request: the transport is stateless, one
 * server per request). Each tool reads the caller from `extra.authInfo`, the SDK's view of the
 * token that tokengate verified.
 *
 * @example
 * const server = createNotesServer([]);
 * await server.connect(transport);
 */
export function createNotesServer(notes: Note[]): McpServer {
  const server = new McpServer({ name: 'tokengate-notes', version: '1.0.0' });
  server.registerTool(
    'whoami',
    { description: 'The caller as the server sees it: client, subject, scopes, resource' },
    (extra) => {
      const auth = extra.authInfo;
      return text({
        clientId: auth?.clientId,
        sub: auth?.extra?.sub,
        scopes: auth?.scopes,
        resource: auth?.resource?.href,
        expiresAt: auth?.expiresAt,
      });
    },
  );
  server.registerTool('list_notes', { description: 'Every note (scope notes:read)' }, () =>
    text(notes),
  );
  server.registerTool(
    'add_note',
    { description: 'Add a note (scope notes:write)', inputSchema: { text: z.string().max(500) } },
    (args, extra) => {
      const auth = extra.authInfo;
      const note: Note = {
        text: args.text,
        clientId: auth?.clientId ?? '',
        sub: typeof auth?.extra?.sub === 'string' ? auth.extra.sub : undefined,
      };
      notes.push(note);
      return text(note);
    },
  );
  return server;
}
