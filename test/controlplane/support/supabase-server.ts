import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage } from "node:http";
import type { PostgrestStandIn } from "./postgrest.ts";
import { memberToken } from "./postgrest.ts";

/**
 * A local Supabase on a real port for the CLI: `/rest/v1` is the PostgREST stand-in on the real
 * database; `/auth/v1` answers the PKCE sign-in as Supabase Auth documents it — /authorize remembers the
 * code challenge and redirects to redirect_to with a code, /token?grant_type=pkce checks the verifier
 * against it, /token?grant_type=refresh_token trades a known refresh token. GitHub itself is not involved.
 */
export interface SupabaseServer {
  url: string;
  close(): Promise<void>;
}

async function body(req: IncomingMessage): Promise<string> {
  let text = "";
  for await (const chunk of req) text += chunk;
  return text;
}

export async function supabaseServer(
  rest: PostgrestStandIn,
  user: { id: string; login: string },
): Promise<SupabaseServer> {
  const challenges = new Map<string, string>();
  const refreshTokens = new Set<string>();
  const session = () => {
    const refresh = randomBytes(8).toString("hex");
    refreshTokens.add(refresh);
    return {
      access_token: memberToken(user.id),
      refresh_token: refresh,
      expires_in: 3600,
      user: { id: user.id, user_metadata: { user_name: user.login } },
    };
  };
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const json = (status: number, value: unknown) =>
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(value));
    if (url.pathname === "/auth/v1/authorize") {
      const code = randomBytes(8).toString("hex");
      challenges.set(code, url.searchParams.get("code_challenge") ?? "");
      const back = new URL(url.searchParams.get("redirect_to") ?? "");
      back.searchParams.set("code", code);
      return void res.writeHead(302, { location: back.href }).end();
    }
    if (url.pathname === "/auth/v1/token") {
      const input = JSON.parse(await body(req)) as Record<string, string>;
      if (url.searchParams.get("grant_type") === "pkce") {
        const expected = challenges.get(input.auth_code ?? "");
        const given = createHash("sha256")
          .update(input.code_verifier ?? "")
          .digest("base64url");
        challenges.delete(input.auth_code ?? "");
        return expected && expected === given
          ? json(200, session())
          : json(400, {
              error: "invalid_grant",
              error_description: "code challenge does not match previously saved code verifier",
            });
      }
      if (!refreshTokens.delete(input.refresh_token ?? ""))
        return json(400, {
          error: "invalid_grant",
          error_description: "Invalid Refresh Token: Refresh Token Not Found",
        });
      return json(200, session());
    }
    const forwarded = await rest.fetch(`http://stand-in${req.url}`, {
      method: req.method,
      headers: req.headers as Record<string, string>,
      body: req.method === "POST" ? await body(req) : undefined,
    });
    res.writeHead(forwarded.status, { "content-type": "application/json" }).end(await forwarded.text());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
