// Reading an HTTP response body from a server we do not control (a JWK Set, a discovery
// document, an introspection answer): never more than a cap, and only valid UTF-8.

/**
 * What {@link readCappedText} throws, built by the caller so each fetch keeps its own error type.
 *
 * @example
 * const errors: CappedBodyErrors = { tooLarge: () => new Error('too large'), notUtf8: (cause) => new Error('not UTF-8', { cause }) };
 */
export interface CappedBodyErrors {
  tooLarge(): Error;
  notUtf8(cause: unknown): Error;
}

/**
 * The body of `response` as text, of at most `maxBytes` bytes: a larger `Content-Length` is
 * refused before reading, and the cap is enforced while streaming (the rest is cancelled).
 * Invalid UTF-8 is refused too.
 *
 * @example
 * const text = await readCappedText(response, 512 * 1024, errors);
 */
export async function readCappedText(
  response: Response,
  maxBytes: number,
  errors: CappedBodyErrors,
): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw errors.tooLarge();
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let text = '';
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw errors.tooLarge();
    }
    text += decode(decoder, errors, value);
  }
  return text + decode(decoder, errors);
}

function decode(decoder: TextDecoder, errors: CappedBodyErrors, chunk?: Uint8Array): string {
  try {
    return chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
  } catch (cause) {
    throw errors.notUtf8(cause);
  }
}
