/**
 * The values of one header in a Node `rawHeaders` list (name, value, name, value, …), its name
 * compared without regard to case: the string itself for one line, an array for several (in
 * order), `undefined` for none. Adapters on Node read headers here because `IncomingMessage`'s
 * `headers` object keeps only the first of two `Authorization` lines, and RFC 6750 §2 wants the
 * second credential refused. Entries that are not strings are skipped. No `node:*` import: it
 * only walks an array.
 *
 * @example
 * rawHeaderValues(req.rawHeaders, 'authorization'); // "Bearer eyJ…", or ["Bearer a", "Bearer b"]
 */
export function rawHeaderValues(
  raw: readonly unknown[],
  name: string,
): string | string[] | undefined {
  const wanted = name.toLowerCase();
  let first: string | undefined;
  let values: string[] | undefined;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const key = raw[i];
    const value = raw[i + 1];
    // Lengths first: most lines are skipped without a lowercase copy.
    if (typeof key !== 'string' || typeof value !== 'string' || key.length !== wanted.length)
      continue;
    if (key !== wanted && key.toLowerCase() !== wanted) continue;
    if (first === undefined) first = value;
    else if (values === undefined) values = [first, value];
    else values.push(value);
  }
  return values ?? first;
}
