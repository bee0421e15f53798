// Messages an instance process sends the soak driver over IPC.

/** An instance process's report: once `ready`, then a `sample` every second. */
export type InstanceMessage =
  | { type: 'ready'; url: string; pid: number }
  | {
      type: 'sample';
      at: number;
      /** Resident set size, bytes. */
      rss: number;
      /** V8 heap in use, and reserved by V8 for its heap (in use or not). */
      heapUsed: number;
      heapTotal: number;
      /** Memory of objects outside the V8 heap that JavaScript holds (Buffers, ArrayBuffers). */
      external: number;
      /** Event-loop delay over the last second, ms. */
      loopDelayP99: number;
      loopDelayMax: number;
      /** Successful and failed JWK Set fetches of the verifier so far. */
      jwksFetches: number;
      jwksFailures: number;
      /** JWK Set requests started since the last sample (epoch ms), and whether answered 2xx. */
      jwksRequests: { at: number; ok: boolean }[];
    };
