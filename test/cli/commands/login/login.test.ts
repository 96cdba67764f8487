import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SupabaseHarness, supabaseHarness } from "../../../controlplane/support/harness.ts";
import { anonKey } from "../../../controlplane/support/postgrest.ts";
import { type SupabaseServer, supabaseServer } from "../../../controlplane/support/supabase-server.ts";
import { runCli } from "../../../support/cli.ts";

/**
 * `odooops login | whoami | logout` against a local Supabase (real database, PostgREST stand-in, Auth's
 * PKCE endpoints). $BROWSER plays the browser: it opens the sign-in address and follows the redirects.
 */
describe("odooops login | whoami | logout", () => {
  let h: SupabaseHarness;
  let supabase: SupabaseServer;
  const dir = mkdtempSync(join(tmpdir(), "odooops-login-"));
  const file = join(dir, "config", "session.json");
  const saved = { ...process.env };
  const user = { id: "3f1c2b9a-0000-4000-8000-00000000b001", login: "rm-ben" };

  beforeAll(async () => {
    h = await supabaseHarness();
    // What Supabase Auth writes at a GitHub sign-in: the identity that links a user to a GitHub id.
    await h.db.sql(`create table auth.identities (user_id uuid not null, provider text not null, provider_id text not null);
      insert into auth.identities values ('${user.id}', 'github', '4242')`);
    await h.as("service").syncProjects({
      commit: "abcdef1",
      projects: [
        {
          name: "acme",
          repo: "acme/erp",
          requiredChecks: [],
          branchRules: [{ match: "main", stage: "production" }],
          members: [{ githubId: 4242, login: "rm-ben", role: "release_manager" }],
        },
      ],
    });
    supabase = await supabaseServer(h.standIn, user);
    const browser = join(dir, "browser.mjs");
    writeFileSync(browser, "await fetch(process.argv[2]);\n");
    for (const key of [
      "ODOOOPS_CONTROL_PLANE_URL",
      "SUPABASE_SERVICE_ROLE_KEY",
      "SUPABASE_ACCESS_TOKEN",
      "ODOOOPS_ACTOR",
    ])
      delete process.env[key];
    Object.assign(process.env, {
      SUPABASE_URL: supabase.url,
      SUPABASE_KEY: anonKey(),
      ODOOOPS_SESSION_FILE: file,
      BROWSER: `node ${browser}`,
    });
  });
  afterAll(async () => {
    process.env = saved;
    await supabase.close();
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("signs in with PKCE, links the GitHub identity to the member, keeps the session 0600", async () => {
    await h.db.sql("update ops.members set user_id = md5('github:4242')::uuid"); // synced before the first sign-in
    const login = await runCli("login");
    expect(login.stderr).toContain(
      `${supabase.url}/auth/v1/authorize?provider=github&redirect_to=http%3A%2F%2F127.0.0.1%3A`,
    );
    expect(login.stderr).toContain("code_challenge_method=s256");
    expect(login.code).toBe(0);
    expect(login.stdout).toContain(`signed in as rm-ben (user ${user.id})\n  acme: release_manager`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, "utf8")).not.toContain("code_verifier");
    expect((await runCli("whoami")).stdout).toContain("acme: release_manager");
    expect((await runCli("release", "status", "acme", "r-1")).stderr).toContain("no release r-1"); // acts as the member
  });

  it("refreshes an expiring session, and says so in one line when it cannot", async () => {
    const session = JSON.parse(readFileSync(file, "utf8"));
    writeFileSync(file, JSON.stringify({ ...session, expiresAt: 1 }), { mode: 0o600 });
    expect((await runCli("whoami")).code).toBe(0);
    const refreshed = JSON.parse(readFileSync(file, "utf8"));
    expect(refreshed.expiresAt).toBeGreaterThan(Date.now() / 1000);
    expect(refreshed.refreshToken).not.toBe(session.refreshToken);

    writeFileSync(file, JSON.stringify({ ...refreshed, expiresAt: 1, refreshToken: "stolen-or-revoked" }), {
      mode: 0o600,
    });
    const expired = await runCli("whoami");
    expect(expired.code).toBe(2);
    expect(expired.stderr).toMatch(
      /^odooops: your session expired and could not be refreshed \(.*Invalid Refresh Token.*\); run odooops login\n$/,
    );
  });

  it("refuses a session file others can read, and logout forgets it", async () => {
    chmodSync(file, 0o644);
    expect((await runCli("whoami")).stderr).toContain("is readable by others");
    expect((await runCli("logout")).stdout).toContain("signed out");
    expect((await runCli("logout")).stdout).toContain("not signed in");
  });
});
