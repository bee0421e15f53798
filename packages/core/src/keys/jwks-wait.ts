/**
 * Waiting for a fetch started by another request, safely on Cloudflare Workers.
 *
 * Workers cannot let one request await a promise created by another request: the runtime
 * ties I/O and promise settlement to the request that created them, and the waiter hangs or
 * fails once the creator's request ends (panva/jose#355; jose gives up single flight there).
 * We keep ONE fetch in flight and let every other caller poll shared state with timers it
 * creates itself, bounded by its own deadline. No promise crosses requests, on any runtime.
 */

/** Poll interval while waiting for another caller's fetch, ms. */
const POLL_MS = 5;

/**
 * Resolve once `done()` is true or after `timeoutMs`, whichever is first. Never rejects.
 *
 * @example
 * await waitUntil(() => inflight === undefined, 5000);
 */
export function waitUntil(done: () => boolean, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    let tick: ReturnType<typeof setTimeout> | undefined;
    const finish = () => {
      clearTimeout(deadline);
      clearTimeout(tick);
      resolve();
    };
    const deadline = setTimeout(finish, timeoutMs);
    const poll = () => {
      if (done()) finish();
      else tick = setTimeout(poll, POLL_MS);
    };
    poll();
  });
}
