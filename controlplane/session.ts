import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { z } from "zod";
import { type AuthSession, refreshSession } from "./supabase-auth.ts";

/**
 * The signed-in member's session, kept between commands in `$XDG_CONFIG_HOME/odooops/session.json`
 * (`ODOOOPS_SESSION_FILE` overrides), readable by its owner only: a file others can read is refused.
 */
export function sessionFile(env: NodeJS.ProcessEnv = process.env): string {
  return (
    env.ODOOOPS_SESSION_FILE ??
    join(env.XDG_CONFIG_HOME ?? join(homedir(), ".config"), "odooops", "session.json")
  );
}

const stored = z.object({
  supabaseUrl: z.string(),
  accessToken: z.string(),
  refreshToken: z.string(),
  expiresAt: z.number(),
  userId: z.string(),
  githubLogin: z.string().optional(),
});

export function saveSession(session: AuthSession, file = sessionFile()): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}`;
  writeFileSync(temporary, JSON.stringify(session), { mode: 0o600 });
  chmodSync(temporary, 0o600); // whatever the umask
  renameSync(temporary, file);
}

export function loadSession(file = sessionFile()): AuthSession | undefined {
  if (!existsSync(file)) return undefined;
  if ((statSync(file).mode & 0o077) !== 0)
    throw new Error(`${file} is readable by others; delete it and run odooops login again`);
  const parsed = stored.safeParse(JSON.parse(readFileSync(file, "utf8")));
  if (!parsed.success) throw new Error(`${file} is damaged; run odooops login again`);
  return { ...parsed.data, githubLogin: parsed.data.githubLogin };
}

export function forgetSession(file = sessionFile()): boolean {
  if (!existsSync(file)) return false;
  rmSync(file);
  return true;
}

/** The session's access token, refreshed (and saved) when it expires within a minute. */
export async function currentAccessToken(
  supabaseUrl: string,
  anonKey: string,
  file = sessionFile(),
): Promise<string | undefined> {
  const session = loadSession(file);
  if (!session) return undefined;
  if (session.supabaseUrl !== supabaseUrl)
    throw new Error(`the saved session is for ${session.supabaseUrl}, not ${supabaseUrl}; run odooops login`);
  if (session.expiresAt - 60 > Date.now() / 1000) return session.accessToken;
  try {
    const fresh = await refreshSession(session, anonKey);
    saveSession(fresh, file);
    return fresh.accessToken;
  } catch (error) {
    throw new Error(
      `your session expired and could not be refreshed (${(error as Error).message}); run odooops login`,
    );
  }
}
