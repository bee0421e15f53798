// An application can hold two copies of the errors module (the ESM and the CommonJS build, or two
// versions side by side), and a class of one copy is not in the prototype chain of the
// other's errors. So `instanceof` does not rely on the chain alone: each class stamps its
// prototype with its lineage under a registry symbol (`Symbol.for` is shared by every copy
// and every realm), and `Symbol.hasInstance` accepts an error whose lineage holds the
// class's kind: its `code` for a concrete class, its name for an abstract one.
const BRAND = Symbol.for('tokengate.error');

type Branded = { readonly [BRAND]?: readonly string[] };

// The classes an error belongs to, from the base down, in every copy of this module.
function lineage(value: unknown): readonly string[] | undefined {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return;
  const kinds = (value as Branded)[BRAND];
  return Array.isArray(kinds) ? kinds : undefined;
}

/**
 * Stamps a class's prototype with its kind after its parent's lineage, so its instances (and
 * subclasses) carry it. Called once per class, in its static block, after its parent's.
 *
 * @example
 * class TokenExpiredError extends InvalidTokenError { static { brand(this, 'ERR_TOKEN_EXPIRED'); } }
 */
export function brand(cls: { prototype: object }, kind: string): void {
  const parent = lineage(Object.getPrototypeOf(cls.prototype)) ?? [];
  Object.defineProperty(cls.prototype, BRAND, { value: Object.freeze([...parent, kind]) });
}

/**
 * `instanceof` for a branded class: the prototype chain first (same copy), then the lineage,
 * for the class's own kind (the last of the lineage on its prototype). A class without a kind
 * of its own (an application's subclass) is checked by its prototype chain only.
 *
 * @example
 * isInstance(TokenExpiredError, errorFromTheCommonJsBuild); // true
 */
export function isInstance(cls: { prototype: object }, value: unknown): boolean {
  if (Function.prototype[Symbol.hasInstance].call(cls, value)) return true;
  const kind = Object.hasOwn(cls.prototype, BRAND) ? lineage(cls.prototype)?.at(-1) : undefined;
  return kind !== undefined && lineage(value)?.includes(kind) === true;
}
