import { spawn } from "node:child_process";
import type { Command } from "commander";
import { controlPlaneConfigFromEnv } from "../../../controlplane/connection.ts";
import type { WhoamiRecord } from "../../../controlplane/identity-records.ts";
import { forgetSession, saveSession, sessionFile } from "../../../controlplane/session.ts";
import { authorizeUrl, awaitCallback, exchangeCode, newPkce } from "../../../controlplane/supabase-auth.ts";
import type { CommandContext } from "../../context.ts";
import { EXIT, UsageError } from "../../io.ts";
import { runWithControlPlane, type SessionOptions, withSessionOptions } from "../control-plane/session.ts";

/** `$BROWSER <url>` when set (the usual convention), else xdg-open; the URL is printed either way. */
function openBrowser(url: string): void {
  const [command, ...args] = (process.env.BROWSER ?? "xdg-open").split(/\s+/).filter(Boolean);
  if (!command) return;
  const child = spawn(command, [...args, url], { stdio: "ignore", detached: true });
  child.on("error", () => undefined); // no browser here: the printed URL is enough
  child.unref();
}

function supabaseConfig(): { url: string; key: string } {
  const found = controlPlaneConfigFromEnv();
  if (found.problem) throw new UsageError(found.problem);
  if (found.config?.kind !== "supabase" || process.env.SUPABASE_SERVICE_ROLE_KEY)
    throw new UsageError(
      "odooops login signs in to Supabase: set SUPABASE_URL and SUPABASE_KEY (the anon key)",
    );
  return { url: found.config.url, key: found.config.key };
}

export function renderWhoami(w: WhoamiRecord): string {
  if (w.memberships.length === 0)
    return `signed in as user ${w.userId ?? "(none)"}, member of no project (a platform admin adds you under personas)`;
  const login = w.memberships[0]?.login;
  return [
    `signed in as ${login} (user ${w.userId})`,
    ...w.memberships.map((m) => `  ${m.project}: ${m.role}`),
  ].join("\n");
}

export function registerLogin(program: Command, context: CommandContext): void {
  program
    .command("login")
    .description(
      "Sign in with GitHub through Supabase Auth (PKCE, localhost callback); keeps the session (0600)",
    )
    .action(async () => {
      const { url, key } = supabaseConfig();
      const pkce = newPkce();
      const code = await awaitCallback((redirectTo) => {
        const signIn = authorizeUrl(url, redirectTo, pkce.challenge);
        context.io.err(`Open this address to sign in with GitHub:\n  ${signIn}`);
        openBrowser(signIn);
      }).catch((error: Error) => {
        throw new UsageError(error.message);
      });
      const session = await exchangeCode(url, key, code, pkce.verifier).catch((error: Error) => {
        throw new UsageError(error.message);
      });
      saveSession(session);
      await runWithControlPlane(
        context,
        {},
        async (cp) => {
          await cp.claimMemberships();
          return cp.whoami();
        },
        (w) => `${renderWhoami(w)}\nsession saved in ${sessionFile()}`,
      );
    });

  withSessionOptions(
    program
      .command("whoami")
      .description("Who you are in the control plane, and your persona in each project"),
  ).action((options: SessionOptions) =>
    runWithControlPlane(context, options, (cp) => cp.whoami(), renderWhoami),
  );

  program
    .command("logout")
    .description("Forget the saved session")
    .action(() => {
      context.io.out(forgetSession() ? `signed out; removed ${sessionFile()}` : "not signed in");
      context.exit.code = EXIT.ok;
    });
}
