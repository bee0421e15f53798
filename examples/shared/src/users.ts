import { verifyPassword } from './passwords.js';

/** A demo account: the password is stored only as an scrypt hash. */
export interface DemoUser {
  /** Login name, also the token's `sub`. */
  username: string;
  /** `scrypt$N$r$p$salt$hash` from {@link hashPassword}. */
  passwordHash: string;
  /** Space-separated scopes put in the access token's `scope` claim. */
  scope: string;
  /** Display name, a harmless extra claim. */
  name: string;
}

/**
 * The demo accounts. Passwords (for the README and the demo client only): `alice` /
 * `wonderland` (scope `profile`), `ada` / `analytical-engine` (scopes `profile admin`).
 *
 * @example
 * const alice = DEMO_USERS.find((u) => u.username === 'alice');
 */
export const DEMO_USERS: readonly DemoUser[] = Object.freeze([
  {
    username: 'alice',
    passwordHash:
      'scrypt$16384$8$1$fbWfOUDMCr1EWGcI1JI2Ig$w_H-lu-BHvNHVxnQ1vz6b0BHKgxLqHzb6Gqr5vhgn0U',
    scope: 'profile',
    name: 'Alice Liddell',
  },
  {
    username: 'ada',
    passwordHash:
      'scrypt$16384$8$1$i-12VpvZ7JvaoqR5S5XdCA$QQ0Bbj1c0gzmJe_qbbQYsGsp4SwiGo57LjH_49Ij7k4',
    scope: 'profile admin',
    name: 'Ada Lovelace',
  },
]);

/**
 * The demo passwords, for scripted clients and docs. Never do this with real accounts.
 *
 * @example
 * await service.login({ username: 'ada', password: DEMO_PASSWORDS.ada });
 */
export const DEMO_PASSWORDS: Readonly<Record<string, string>> = Object.freeze({
  alice: 'wonderland',
  ada: 'analytical-engine',
});

// Checked for unknown usernames, so a wrong name costs as much as a wrong password and
// response times do not reveal which accounts exist.
const DUMMY_HASH =
  'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

/**
 * Find the user whose username and password match, or `undefined`.
 *
 * @example
 * const user = await authenticateUser(DEMO_USERS, 'alice', 'wonderland');
 */
export async function authenticateUser(
  users: readonly DemoUser[],
  username: string,
  password: string,
): Promise<DemoUser | undefined> {
  const user = users.find((u) => u.username === username);
  const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
  return ok && user ? user : undefined;
}
