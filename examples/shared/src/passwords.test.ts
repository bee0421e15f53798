import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './passwords.js';
import { authenticateUser, DEMO_PASSWORDS, DEMO_USERS } from './users.js';

describe('password hashing', () => {
  it('accepts the right password and refuses a wrong one', async () => {
    const stored = await hashPassword('correct horse');
    expect(stored).toMatch(/^scrypt\$16384\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(await verifyPassword('correct horse', stored)).toBe(true);
    expect(await verifyPassword('correct horsE', stored)).toBe(false);
  });

  it('salts every hash, so equal passwords hash differently', async () => {
    expect(await hashPassword('same')).not.toBe(await hashPassword('same'));
  });

  it('treats a malformed hash, other parameters or an over-long password as a mismatch', async () => {
    const stored = await hashPassword('pw');
    expect(await verifyPassword('pw', 'not-a-hash')).toBe(false);
    expect(await verifyPassword('pw', stored.replace('$16384$', '$1024$'))).toBe(false);
    expect(await verifyPassword('pw', `${stored.slice(0, -4)}`)).toBe(false);
    expect(await verifyPassword('x'.repeat(257), stored)).toBe(false);
    expect(await verifyPassword(42 as never, stored)).toBe(false);
  });

  it('refuses to hash an empty or over-long password', async () => {
    await expect(hashPassword('')).rejects.toThrow(TypeError);
    await expect(hashPassword('x'.repeat(257))).rejects.toThrow(TypeError);
  });
});

describe('demo users', () => {
  it('authenticates each demo user with the documented password', async () => {
    for (const user of DEMO_USERS) {
      const password = DEMO_PASSWORDS[user.username]!;
      expect(await authenticateUser(DEMO_USERS, user.username, password)).toBe(user);
    }
  });

  it('refuses a wrong password and an unknown user', async () => {
    expect(await authenticateUser(DEMO_USERS, 'alice', 'analytical-engine')).toBeUndefined();
    expect(await authenticateUser(DEMO_USERS, 'mallory', 'wonderland')).toBeUndefined();
  });
});
