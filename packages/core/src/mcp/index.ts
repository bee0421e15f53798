// MCP servers (Model Context Protocol authorization spec) as OAuth protected resources: the
// verifier preset, scopes per tool and the SDK's view of the verified token. No SDK import.
export { type McpAuthInfo, toMcpAuthInfo } from './auth-info.js';
export { type McpResourceOptions, mcpResource } from './preset.js';
export { requiredToolScopes, type ToolScopes, toolCallNames } from './tools.js';
