import { pbkdf2Sync, randomBytes, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";

/**
 * A real local HTTP server answering the Odoo web routes the smoke tests call, with the shapes of
 * Odoo's controllers (addons/web/controllers: session.py, home.py, action.py, dataset.py) and
 * odoo/http.py's JSON-RPC dispatcher: `{jsonrpc: "2.0", id, result}` or `{jsonrpc, id, error: {code: 200,
 * message: "Odoo Server Error", data: {name, message}}}`; an `auth='user'` http route without a session
 * redirects to /web/login. Logins and res.partner counts are answered from the real database the
 * smoke test runs against (`server` names the PostgreSQL server; the database comes from the login).
 */
export interface OdooWeb {
  url: string;
  close: () => Promise<void>;
}

const MENUS = {
  root: { id: "root", name: "root", children: [1, 2], actionID: false },
  1: { id: 1, name: "Contacts", children: [], actionID: 101, xmlid: "contacts.menu_contacts" },
  2: { id: 2, name: "Settings", children: [], actionID: 102, xmlid: "base.menu_administration" },
};
const ACTIONS: Record<number, { id: number; type: string; res_model: string }> = {
  101: { id: 101, type: "ir.actions.act_window", res_model: "res.partner" },
  102: { id: 102, type: "ir.actions.client", res_model: "res.config.settings" },
};

async function body(req: IncomingMessage): Promise<{ id?: unknown; params?: Record<string, unknown> }> {
  let text = "";
  for await (const chunk of req) text += chunk;
  return JSON.parse(text || "{}");
}

function send(res: ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(payload));
}

const serverError = (name: string, message: string) => ({
  code: 200,
  message: "Odoo Server Error",
  data: { name, message },
});

/**
 * passlib's pbkdf2_sha512 verify, as Odoo's CryptContext runs it on `res_users.password`
 * (`$pbkdf2-sha512$<rounds>$<salt>$<checksum>`, salt and checksum in passlib's adapted base64).
 * Written from passlib's format, not from the agent's hashing code, so it checks that code.
 */
function passlibVerify(password: string, stored: string): boolean {
  const parts = /^\$pbkdf2-sha512\$(\d+)\$([./A-Za-z0-9]+)\$([./A-Za-z0-9]+)$/.exec(stored);
  if (!parts) return false;
  const b64 = (text: string) => Buffer.from(text.replaceAll(".", "+"), "base64");
  const expected = b64(parts[3]!);
  const actual = pbkdf2Sync(password, b64(parts[2]!), Number(parts[1]), expected.length, "sha512");
  return expected.length === 64 && timingSafeEqual(expected, actual);
}

/**
 * `password`: the one password every login accepts, or `"stored-hash"` to check it against the user's
 * `res_users.password` the way Odoo does (`SELECT COALESCE(password, '') FROM res_users WHERE id=%s`).
 */
export async function odooWeb(serverUrl: string, password: string): Promise<OdooWeb> {
  const sessions = new Map<string, string>(); // session id → database
  const dbUrl = (db: string) => {
    const u = new URL(serverUrl);
    u.pathname = `/${db}`;
    return u.href;
  };
  const query = async (db: string, sql: string, params: unknown[]) => {
    const client = new pg.Client({ connectionString: dbUrl(db) });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows;
    } finally {
      await client.end();
    }
  };
  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const sid = /session_id=([^;]+)/.exec(req.headers.cookie ?? "")?.[1];
    const db = sid ? sessions.get(sid) : undefined;
    if (req.method === "GET") {
      if (path === "/web/health") return send(res, 200, { status: "pass" });
      if (path.startsWith("/web/webclient/load_menus/")) {
        if (!db) return send(res, 303, {}, { location: "/web/login" });
        return send(res, 200, MENUS);
      }
      return send(res, 404, {});
    }
    const call = await body(req);
    const reply = (result: unknown) => send(res, 200, { jsonrpc: "2.0", id: call.id ?? null, result });
    const fail = (name: string, message: string) =>
      send(res, 200, { jsonrpc: "2.0", id: call.id ?? null, error: serverError(name, message) });
    const p = call.params ?? {};
    if (path === "/web/session/authenticate") {
      const rows = await query(
        String(p.db),
        "select id, coalesce(password, '') as hash from res_users where login = $1 and active",
        [p.login],
      );
      const accepted =
        password === "stored-hash"
          ? typeof p.password === "string" &&
            p.password !== "" &&
            passlibVerify(p.password, rows[0]?.hash ?? "")
          : p.password === password;
      if (rows.length === 0 || !accepted) return fail("odoo.exceptions.AccessDenied", "Access Denied");
      const id = randomBytes(16).toString("hex");
      sessions.set(id, String(p.db));
      return send(
        res,
        200,
        { jsonrpc: "2.0", id: call.id ?? null, result: { uid: rows[0].id, db: p.db } },
        { "set-cookie": `session_id=${id}; HttpOnly; Path=/` },
      );
    }
    if (!db) return fail("odoo.http.SessionExpiredException", "Session expired");
    if (path === "/web/action/load") {
      const action = ACTIONS[Number(p.action_id)];
      return action ? reply(action) : fail("odoo.exceptions.MissingError", "The action does not exist");
    }
    const kw = /^\/web\/dataset\/call_kw\/([\w.]+)\/(\w+)$/.exec(path);
    if (kw && p.model === "res.partner" && p.method === "search_count")
      return reply(Number((await query(db, "select count(*) as n from res_partner", []))[0].n));
    if (kw)
      return fail(
        "builtins.AttributeError",
        `The method '${p.method}' does not exist on the model '${p.model}'`,
      );
    return send(res, 404, {});
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
