import type { Command } from "commander";
import type { CommandContext } from "../../cli/context.ts";
import { projectName } from "../../model/input/schema/primitives.ts";
import { warehouseSchema } from "../../model/plan/warehouse.ts";
import { AgentInputError } from "../errors.ts";
import { measureLag } from "../warehouse/lag.ts";
import { publishWarehouse } from "../warehouse/publish.ts";
import { subscribeWarehouse } from "../warehouse/subscribe.ts";
import { action, fromEnv, type OutputOptions, printResult, withOutputOptions } from "./common.ts";

function checkedProject(value: string): string {
  if (!projectName.safeParse(value).success) throw new AgentInputError(`"${value}" is not a project name`);
  return value;
}

/**
 * `odooops agent warehouse publish|subscribe|lag`: logical replication of production's declared tables
 * into the tenant's warehouse database (model/plan/warehouse.ts). Every URL and password is read from an
 * environment variable the caller names.
 */
export function registerWarehouse(agent: Command, context: CommandContext): void {
  const warehouse = agent
    .command("warehouse")
    .description("Replicate production's tables into the warehouse");
  withOutputOptions(
    warehouse
      .command("publish")
      .description("On production: publish the declared tables without their personal columns")
      .argument("<project>", "project name")
      .requiredOption("--tables <list>", "comma-separated table names (warehouse.tables)")
      .option("--mask <profile>", "mask profile whose columns never leave production", "default")
      .option(
        "--source-url-env <var>",
        "variable holding production's database URL (table owner)",
        "ODOOOPS_DB_URL",
      )
      .option(
        "--password-env <var>",
        "variable holding the replication login's password",
        "ODOOOPS_REPLICATION_PASSWORD",
      ),
  ).action(
    action(
      context,
      "warehouse publish",
      async (
        project: string,
        o: OutputOptions & { tables: string; mask: string; sourceUrlEnv: string; passwordEnv: string },
      ) => {
        const parsed = warehouseSchema.safeParse({
          tables: o.tables.split(",").map((t) => t.trim()),
          mask: o.mask,
        });
        if (!parsed.success) {
          const issue = parsed.error.issues[0]!;
          throw new AgentInputError(`warehouse.${issue.path.join(".")}: ${issue.message}`);
        }
        const result = await publishWarehouse(
          fromEnv(o.sourceUrlEnv, "production's database URL"),
          checkedProject(project),
          parsed.data,
          fromEnv(o.passwordEnv, "the replication login's password"),
        );
        const lines = result.tables.map((t) => `  ${t.table}: ${t.columns.length} columns`);
        printResult(context, o, result, [`published ${result.publication}`, ...lines].join("\n"));
      },
    ),
  );
  withOutputOptions(
    warehouse
      .command("subscribe")
      .description("On the warehouse: the tenant's database, read-only analyst group and subscription")
      .argument("<project>", "project name")
      .option(
        "--warehouse-url-env <var>",
        "variable holding the warehouse admin URL",
        "ODOOOPS_WAREHOUSE_URL",
      )
      .option(
        "--replicator-url-env <var>",
        "variable holding production's URL for the replication login",
        "ODOOOPS_REPLICATOR_URL",
      ),
  ).action(
    action(
      context,
      "warehouse subscribe",
      async (project: string, o: OutputOptions & { warehouseUrlEnv: string; replicatorUrlEnv: string }) => {
        const result = await subscribeWarehouse(
          fromEnv(o.warehouseUrlEnv, "the warehouse admin URL"),
          checkedProject(project),
          fromEnv(o.replicatorUrlEnv, "the replication login's URL on production"),
        );
        printResult(context, o, result, `${result.database}: subscribed to ${result.tables.join(", ")}`);
      },
    ),
  );
  withOutputOptions(
    warehouse
      .command("lag")
      .description("Show how far the warehouse is behind production")
      .argument("<project>", "project name")
      .option("--source-url-env <var>", "variable holding production's database URL", "ODOOOPS_DB_URL")
      .option(
        "--warehouse-url-env <var>",
        "variable holding the warehouse admin URL",
        "ODOOOPS_WAREHOUSE_URL",
      ),
  ).action(
    action(context, "warehouse lag", async (project: string, o: OutputOptions & Record<string, string>) => {
      const lag = await measureLag(
        fromEnv(o.sourceUrlEnv!, "production's database URL"),
        fromEnv(o.warehouseUrlEnv!, "the warehouse admin URL"),
        checkedProject(project),
      );
      const heard =
        lag.lastMessageAgeSeconds === null ? "never" : `${lag.lastMessageAgeSeconds.toFixed(1)} s ago`;
      printResult(
        context,
        o,
        lag,
        `${lag.subscription}: ${lag.bytesBehind} bytes behind, replay lag ${lag.replayLagSeconds.toFixed(3)} s, ${lag.streaming ? "streaming" : "NOT streaming"}, last message ${heard}`,
      );
    }),
  );
}
