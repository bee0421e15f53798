/**
 * The paths every example API serves, in one place so the apps and the demo agree.
 *
 * @example
 * app.get(ROUTES.me, auth, handler);
 */
export const ROUTES = Object.freeze({
  login: '/login',
  refresh: '/refresh',
  me: '/me',
  admin: '/admin',
  health: '/health',
  jwks: '/.well-known/jwks.json',
});

/**
 * The scope `GET /admin` requires.
 *
 * @example
 * app.get(ROUTES.admin, auth, requireScopes(ADMIN_SCOPE), handler);
 */
export const ADMIN_SCOPE = 'admin';

/**
 * Body of `GET /health` (public).
 *
 * @example
 * res.json(healthBody('express'));
 */
export function healthBody(framework: string): { status: 'ok'; framework: string } {
  return { status: 'ok', framework };
}

/**
 * Body of `GET /admin` for the verified caller.
 *
 * @example
 * res.json(adminBody(req.auth!.claims.sub));
 */
export function adminBody(subject: unknown): { message: string; sub: unknown } {
  return { message: 'Welcome to the admin area', sub: subject };
}

/** A started example API. */
export interface RunningApi {
  /** Base URL, e.g. `http://127.0.0.1:3001`. */
  url: string;
  /** Stop listening and release the port. */
  close(): Promise<void>;
}

/** Where to listen. */
export interface ListenOptions {
  /** TCP port; 0 picks a free one. */
  port: number;
  /** Interface. Default `127.0.0.1`. */
  host?: string;
}

/**
 * Ready-to-paste `curl` commands that walk through an example API.
 *
 * @example
 * console.log(curlCommands('http://127.0.0.1:3001'));
 */
export function curlCommands(url: string): string {
  const login = `curl -s -X POST ${url}${ROUTES.login} -H 'content-type: application/json' -d '{"username":"alice","password":"wonderland"}'`;
  return [
    `# log in as alice (scope "profile"; ada / analytical-engine also has "admin")`,
    `TOKENS=$(${login}); echo "$TOKENS"`,
    `ACCESS=$(echo "$TOKENS" | node -pe 'JSON.parse(require("fs").readFileSync(0)).access_token')`,
    `REFRESH=$(echo "$TOKENS" | node -pe 'JSON.parse(require("fs").readFileSync(0)).refresh_token')`,
    `curl -s ${url}${ROUTES.me} -H "authorization: Bearer $ACCESS"`,
    `curl -si ${url}${ROUTES.admin} -H "authorization: Bearer $ACCESS"   # 403 insufficient_scope`,
    `curl -s -X POST ${url}${ROUTES.refresh} -H 'content-type: application/json' -d "{\\"refresh_token\\":\\"$REFRESH\\"}"`,
    `curl -s ${url}${ROUTES.health}; curl -s ${url}${ROUTES.jwks}`,
  ].join('\n');
}
