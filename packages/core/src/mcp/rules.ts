// Scopes per MCP tool as route rules, for the adapters' `requireToolScopes()`: compiled once
// when the route is declared, chosen per request from the tools its body calls.
import { compileRouteRules, NO_RULES, type RouteRules } from '../protocol/rules.js';
import { compileToolScopes, type ToolScopes, toolCallNames } from './tools.js';

/**
 * Check a {@link ToolScopes} map once (a `TypeError` naming `where` on misuse) and return the
 * function an adapter runs per request: the rules of a parsed MCP POST body. One tool: its
 * scopes. A batch: one requirement naming the scopes of every tool it calls, so that a 403
 * tells the client everything the request needs, not its first gap. No scoped tool: no rules.
 * A malformed body throws an `InvalidRequestError` (400), as {@link toolCallNames} does.
 *
 * @example
 * const rulesOf = toolScopeRules({ add_note: 'notes:write' }, 'requireToolScopes()');
 * gate.authorize(exchange, auth, rulesOf(body));
 */
export function toolScopeRules(
  toolScopes: ToolScopes,
  where: string,
): (body: unknown) => RouteRules {
  const scopesOf = compileToolScopes(toolScopes, where);
  const rulesOf = new Map<string, RouteRules>();
  for (const [tool, scopes] of scopesOf)
    rulesOf.set(tool, compileRouteRules({ scopes }, `${where}: tool "${tool}"`));
  return (body) => {
    const tools = toolCallNames(body);
    if (tools.length === 1) return rulesOf.get(tools[0] as string) ?? NO_RULES;
    const scopes = new Set(tools.flatMap((tool) => scopesOf.get(tool) ?? []));
    return scopes.size === 0 ? NO_RULES : compileRouteRules({ scopes: [...scopes] }, where);
  };
}
