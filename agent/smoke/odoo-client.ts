import { AgentError } from "../errors.ts";

/**
 * The few Odoo web routes a smoke test calls, with the shapes Odoo's controllers use: JSON-RPC 2.0
 * (`{jsonrpc, method: "call", params}` → `{result}` or `{error: {message, data: {name, message}}}`) for
 * /web/session/authenticate, /web/action/load and /web/dataset/call_kw/<model>/<method>; plain GET for
 * /web/webclient/load_menus/<unique> (addons/web/controllers/home.py), whose menus are keyed by id with
 * a `root` entry listing the apps.
 */
export class OdooWebClient {
  private cookie: string | undefined;
  private id = 0;

  constructor(readonly baseUrl: string) {}

  async jsonRpc(path: string, params: Record<string, unknown>): Promise<unknown> {
    const response = await fetch(new URL(path, this.baseUrl), {
      method: "POST",
      headers: { "content-type": "application/json", ...(this.cookie ? { cookie: this.cookie } : {}) },
      body: JSON.stringify({ jsonrpc: "2.0", method: "call", id: ++this.id, params }),
    });
    this.keepSession(response);
    if (!response.ok) throw new AgentError(`${path}: HTTP ${response.status}`);
    const body = (await response.json()) as {
      result?: unknown;
      error?: { message?: string; data?: { message?: string } };
    };
    if (body.error)
      throw new AgentError(`${path}: ${body.error.data?.message ?? body.error.message ?? "error"}`);
    return body.result;
  }

  async get(path: string): Promise<Response> {
    const response = await fetch(new URL(path, this.baseUrl), {
      headers: this.cookie ? { cookie: this.cookie } : {},
      redirect: "manual",
    });
    this.keepSession(response);
    return response;
  }

  async authenticate(db: string, login: string, password: string): Promise<number> {
    const result = (await this.jsonRpc("/web/session/authenticate", { db, login, password })) as {
      uid?: unknown;
    } | null;
    if (!result || typeof result.uid !== "number") throw new AgentError(`login as ${login} refused`);
    return result.uid;
  }

  private keepSession(response: Response): void {
    const session = /(?:^|,\s*)session_id=([^;]+)/.exec(response.headers.get("set-cookie") ?? "")?.[1];
    if (session) this.cookie = `session_id=${session}`;
  }
}
