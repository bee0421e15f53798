export { createApp, type McpAppOptions } from './app.js';
export { createNotesServer, type Note, TOOL_SCOPES } from './notes.js';
export { type RunningMcpServer, type StartOptions, start } from './start.js';
