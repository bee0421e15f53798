// The test server helper itself: without a redis-server, the Redis tests fail and say how to
// install one; they are never skipped.
import { afterEach, describe, expect, it } from 'vitest';
import { startRedisServer } from './test-support/redis-server.js';

describe('startRedisServer', () => {
  const saved = process.env.REDIS_SERVER;
  afterEach(() => {
    if (saved === undefined) delete process.env.REDIS_SERVER;
    else process.env.REDIS_SERVER = saved;
  });

  it('fails with how to install redis-server when there is none', async () => {
    process.env.REDIS_SERVER = '/nonexistent/redis-server';
    await expect(startRedisServer()).rejects.toThrow(/apt-get install redis-server/);
  });

  it('starts one that answers, and restarts it on the same port', async () => {
    const server = await startRedisServer();
    try {
      await server.restart();
      expect(server.url).toBe(`redis://127.0.0.1:${server.port}`);
    } finally {
      await server.close();
    }
  });
});
