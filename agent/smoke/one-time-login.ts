import { randomBytes } from "node:crypto";
import { AgentError } from "../errors.ts";
import { guardNonProduction } from "../guard.ts";
import { odooPasswordHash } from "../mask/run-context.ts";
import { type DatabaseUrl, withClient } from "../pg/connection.ts";

/**
 * Runs `work` with a password that logs `login` in to a copy of production, and only for as long as
 * `work` runs. A masked staging copy has no password anyone knows (masking clears them), so the smoke
 * tests of a build cannot log in otherwise; giving the smoke user a standing password would leave a
 * credential on every staging database. The password is random, never leaves this process, is stored
 * the way Odoo stores its own (passlib pbkdf2_sha512, which res_users._check_credentials verifies), and
 * the user's previous hash is put back afterwards, whatever `work` did. Production is refused by the
 * same guard as neutralize and mask: a login there is never created behind Odoo's back.
 */
export async function withOneTimeLogin<T>(
  db: DatabaseUrl,
  login: string,
  work: (password: string) => Promise<T>,
): Promise<T> {
  const password = randomBytes(24).toString("base64url");
  const { id, previous } = await withClient(db.url, async (client) => {
    await client.query("begin");
    try {
      await guardNonProduction(client, db, "smoke (one-time login)", undefined);
      const { rows } = await client.query<{ id: number; password: string | null }>(
        "select id, password from res_users where login = $1 and active for update",
        [login],
      );
      const user = rows[0];
      if (!user)
        throw new AgentError(
          `no active user "${login}" in ${db.id.database}: the smoke tests' login.user must name one`,
          1,
        );
      await client.query("update res_users set password = $2 where id = $1", [
        user.id,
        odooPasswordHash(password),
      ]);
      await client.query("commit");
      return { id: user.id, previous: user.password };
    } catch (error) {
      await client.query("rollback");
      throw error;
    }
  });
  try {
    return await work(password);
  } finally {
    await withClient(db.url, (client) =>
      client.query("update res_users set password = $2 where id = $1", [id, previous]),
    );
  }
}
