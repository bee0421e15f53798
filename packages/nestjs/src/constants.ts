/**
 * Injection token of the application's one {@link Verifier} (and so its one JWKS cache).
 * A string, not a symbol, so the ESM and CommonJS builds agree on it.
 *
 * @example
 * constructor(@Inject(TOKENGATE_VERIFIER) private readonly verifier: Verifier) {}
 */
export const TOKENGATE_VERIFIER = 'TOKENGATE_VERIFIER';

/**
 * Route metadata keys written by the decorators, for guards of your own: `true`/`false` under
 * `PUBLIC_KEY`, core's compiled `RouteRules` under the others.
 *
 * @example
 * const isPublic = reflector.getAllAndOverride<boolean>(PUBLIC_KEY, [context.getHandler(), context.getClass()]);
 */
export const PUBLIC_KEY = 'tokengate:public';
/**
 * Metadata key written by `@OptionalAuth()`.
 *
 * @example
 * const rules = reflector.get(OPTIONAL_KEY, context.getHandler()); // RouteRules | undefined
 */
export const OPTIONAL_KEY = 'tokengate:optional';
/**
 * Metadata key written by `@Scopes()` (all of them required).
 *
 * @example
 * const rules = reflector.get(SCOPES_KEY, context.getHandler()); // RouteRules | undefined
 */
export const SCOPES_KEY = 'tokengate:scopes';
/**
 * Metadata key written by `@AnyScope()` (any one of them suffices).
 *
 * @example
 * const rules = reflector.get(ANY_SCOPE_KEY, context.getHandler()); // RouteRules | undefined
 */
export const ANY_SCOPE_KEY = 'tokengate:any-scope';
/**
 * Metadata key written by `@RequireClaims()`.
 *
 * @example
 * const rules = reflector.get(CLAIMS_KEY, context.getHandler()); // RouteRules | undefined
 */
export const CLAIMS_KEY = 'tokengate:claims';
