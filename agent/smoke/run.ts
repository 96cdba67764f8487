import type { SmokeConfig, SmokeResult } from "../../model/input/smoke/config.ts";
import { logErrors } from "../../model/plan/odoo-log.ts";
import { errorMessage } from "../errors.ts";
import { OdooWebClient } from "./odoo-client.ts";

interface Menu {
  id: number | string;
  name?: string;
  children?: (number | string)[];
  actionID?: number | false;
}

/** One check, its failure caught and said in a line. */
async function step(name: string, work: () => Promise<string>): Promise<SmokeResult> {
  try {
    return { name, ok: true, detail: await work() };
  } catch (error) {
    return { name, ok: false, detail: errorMessage(error) };
  }
}

/** Logs in, then runs every check even when one fails, so the evidence lists all that broke. */
export async function runSmoke(
  config: SmokeConfig,
  target: { url: string; db: string; password: string; logs?: () => Promise<string> },
): Promise<SmokeResult[]> {
  const client = new OdooWebClient(target.url);
  const login = await step(
    `log in as ${config.login.user}`,
    async () => `uid ${await client.authenticate(target.db, config.login.user, target.password)}`,
  );
  const results = [login];
  if (!login.ok) return results;
  if (config.menus) {
    const menus = await step("load menus", async () => {
      const response = await client.get(`/web/webclient/load_menus/${Date.now()}`);
      if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
      const all = (await response.json()) as Record<string, Menu>;
      const apps = (all.root?.children ?? [])
        .map((id) => all[String(id)])
        .filter((m): m is Menu => m !== undefined);
      for (const app of apps)
        if (app.actionID)
          results.push(
            await step(`menu ${app.name ?? app.id}`, async () => {
              const action = (await client.jsonRpc("/web/action/load", { action_id: app.actionID })) as {
                type?: string;
              } | null;
              if (!action) throw new Error(`action ${app.actionID} did not load`);
              return `${action.type ?? "action"} ${app.actionID}`;
            }),
          );
      return `${apps.length} app(s)`;
    });
    results.splice(1, 0, menus);
  }
  for (const u of config.urls)
    results.push(
      await step(`GET ${u.path}`, async () => {
        const response = await client.get(u.path);
        if (response.status !== u.status) throw new Error(`HTTP ${response.status}, expected ${u.status}`);
        if (u.contains && !(await response.text()).includes(u.contains))
          throw new Error(`the page does not contain "${u.contains}"`);
        return `HTTP ${response.status}`;
      }),
    );
  for (const r of config.rpc)
    results.push(
      await step(`${r.model}.${r.method}`, async () => {
        const result = await client.jsonRpc(`/web/dataset/call_kw/${r.model}/${r.method}`, {
          model: r.model,
          method: r.method,
          args: r.args,
          kwargs: r.kwargs,
        });
        return `returned ${JSON.stringify(result)?.slice(0, 80)}`;
      }),
    );
  if (target.logs) {
    const read = target.logs;
    results.push(
      await step("no error in the log", async () => {
        const errors = logErrors(await read());
        if (errors.length > 0) throw new Error(`${errors.length} error line(s), first: ${errors[0]}`);
        return "clean";
      }),
    );
  }
  return results;
}
