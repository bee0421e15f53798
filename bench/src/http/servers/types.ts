/** What every benchmark server is told through its environment. */
export interface ServerConfig {
  jwksUri: string;
  issuer: string;
  audience: string;
}

/** Start one server on 127.0.0.1 (ephemeral port); resolves to the port. */
export type ServerFactory = (config: ServerConfig) => Promise<number>;

/** The body every protected route answers: the verified subject (or "anonymous" when bare). */
export const reply = (sub: unknown) => ({ sub: typeof sub === 'string' ? sub : 'anonymous' });
