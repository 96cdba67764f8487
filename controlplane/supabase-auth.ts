import { createHash, randomBytes } from "node:crypto";
import { createServer } from "node:http";
import { z } from "zod";

/**
 * Supabase Auth (GoTrue) sign-in with the GitHub provider, PKCE flow: the CLI keeps a random verifier,
 * sends its SHA-256 as the challenge, receives the code on a localhost callback and exchanges code +
 * verifier for a session. Nothing secret crosses the browser: a stolen code is useless without the
 * verifier, which never leaves this process.
 */
export interface Pkce {
  verifier: string;
  challenge: string;
}

export function newPkce(): Pkce {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

export function authorizeUrl(supabaseUrl: string, redirectTo: string, challenge: string): string {
  const url = new URL("/auth/v1/authorize", supabaseUrl);
  url.search = new URLSearchParams({
    provider: "github",
    redirect_to: redirectTo,
    code_challenge: challenge,
    code_challenge_method: "s256",
  }).toString();
  return url.href;
}

const tokenAnswer = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires_in: z.number().positive(),
  user: z.object({ id: z.string(), user_metadata: z.record(z.string(), z.unknown()).optional() }),
});

export interface AuthSession {
  supabaseUrl: string;
  accessToken: string;
  refreshToken: string;
  /** Epoch seconds. */
  expiresAt: number;
  userId: string;
  /** GitHub login as Supabase Auth reported it at sign-in; informative only, never an authority. */
  githubLogin: string | undefined;
}

async function token(
  supabaseUrl: string,
  anonKey: string,
  grant: string,
  body: object,
): Promise<AuthSession> {
  const response = await fetch(new URL(`/auth/v1/token?grant_type=${grant}`, supabaseUrl), {
    method: "POST",
    headers: { apikey: anonKey, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const json: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const reason = z
      .object({ error_description: z.string() })
      .or(z.object({ msg: z.string() }))
      .safeParse(json);
    const text = reason.success
      ? "msg" in reason.data
        ? reason.data.msg
        : reason.data.error_description
      : `HTTP ${response.status}`;
    throw new Error(`Supabase Auth refused the ${grant === "pkce" ? "sign-in" : "session refresh"}: ${text}`);
  }
  const answer = tokenAnswer.parse(json);
  const login = answer.user.user_metadata?.user_name;
  return {
    supabaseUrl,
    accessToken: answer.access_token,
    refreshToken: answer.refresh_token,
    expiresAt: Math.floor(Date.now() / 1000) + answer.expires_in,
    userId: answer.user.id,
    githubLogin: typeof login === "string" ? login : undefined,
  };
}

export function exchangeCode(supabaseUrl: string, anonKey: string, code: string, verifier: string) {
  return token(supabaseUrl, anonKey, "pkce", { auth_code: code, code_verifier: verifier });
}

export function refreshSession(session: AuthSession, anonKey: string): Promise<AuthSession> {
  return token(session.supabaseUrl, anonKey, "refresh_token", { refresh_token: session.refreshToken });
}

/**
 * Waits for the browser's redirect to http://127.0.0.1:<port>/callback?code=…; `ready` receives the
 * callback URL once listening. Only 127.0.0.1: nothing else on the network can deliver a code.
 */
export function awaitCallback(ready: (redirectTo: string) => void, timeoutMs = 300_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      if (url.pathname !== "/callback") return void res.writeHead(404).end();
      const code = url.searchParams.get("code");
      const error = url.searchParams.get("error_description") ?? url.searchParams.get("error");
      res.writeHead(code ? 200 : 400, { "content-type": "text/plain" });
      res.end(code ? "odooops: signed in; you can close this tab.\n" : `odooops: sign-in failed: ${error}\n`);
      clearTimeout(timer);
      server.close();
      if (code) resolve(code);
      else reject(new Error(`sign-in failed: ${error ?? "no code in the callback"}`));
    });
    const timer = setTimeout(() => {
      server.close();
      reject(new Error(`no sign-in within ${timeoutMs / 60_000} minutes`));
    }, timeoutMs);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      if (typeof address === "object" && address) ready(`http://127.0.0.1:${address.port}/callback`);
    });
  });
}
