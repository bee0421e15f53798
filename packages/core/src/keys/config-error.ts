/**
 * A configured key that cannot be used: the server's mistake, never the client's. It is a
 * `TypeError`, thrown at construction when the shape is wrong and by every verification when
 * only the (asynchronous) import finds the key broken. It is never turned into a 401: adapters
 * pass it to their framework's error path (a 500), so a broken deployment is loud.
 *
 * @example
 * try { await verifier.verify(token) } catch (e) {
 *   if (e instanceof KeyConfigurationError) logger.error(e); // fix "keys", not the client
 * }
 */
export class KeyConfigurationError extends TypeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KeyConfigurationError';
  }
}
