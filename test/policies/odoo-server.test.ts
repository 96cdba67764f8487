import { describe, expect, it } from "vitest";
import { parseProject } from "../../model/input/loader.ts";
import { ADDONS_PATH } from "../../model/plan/app-image.ts";
import { ODOO_CONF_PATH } from "../../model/plan/host-layout.ts";
import { type OdooConnection, renderOdooConf } from "../../model/plan/odoo-config.ts";
import { odooLimits } from "../../model/plan/odoo-sizing.ts";
import { formatProblem } from "../../model/problem.ts";
import {
  odooOptionsAdvice,
  odooOptionsSafe,
  productionOdooConfHardened,
} from "../../policies/odoo-server.ts";
import { check, lineOf, mutate, PROJECT_FILE, projectResources, resource, SAFE_PROJECT } from "./harness.ts";

const projectProblems = (yaml: string) => parseProject(PROJECT_FILE, yaml).problems.map(formatProblem);
const withOption = (option: string) =>
  mutate(SAFE_PROJECT, "  limit_time_real: 600", `  limit_time_real: 600\n  ${option}`);

describe("odoo-options-safe", () => {
  it("passes tuning options", async () => {
    expect(await check(odooOptionsSafe, projectResources(SAFE_PROJECT))).toEqual([]);
    expect(await check(odooOptionsSafe, projectResources(withOption("dev_mode: false")))).toEqual([]);
  });

  it.each([
    ["dev_mode: all", "remote code execution"],
    ["dev_mode: reload,qweb", "Werkzeug debugger"],
    ["http_interface: 0.0.0.0", "past TLS and the proxy"],
    ["longpolling_port: 8072", "websockets"],
    ["addons_path: /tmp/addons", "digest-pinned image"],
    ["test_enable: true", "live database"],
    ["test_commit: true", "commits"],
    ["stop_after_init: true", "goes down"],
    ["update: all", "every start"],
  ])("refuses %s, at its line", async (option, reason) => {
    const yaml = withOption(option);
    const key = option.split(":")[0]!;
    const [v, ...rest] = await check(odooOptionsSafe, projectResources(yaml));
    expect(rest).toEqual([]);
    expect(v).toMatchObject({ level: "mandatory" });
    expect(v!.message).toContain(reason);
    expect(v!.where).toBe(
      `${PROJECT_FILE}:${lineOf(yaml, option)}:${option.indexOf(":") + 5} odooOptions.${key}`,
    );
    expect(v!.fix).toBe(`remove ${key} from odooOptions`);
  });
});

describe("odoo-options-advice", () => {
  it("passes sane logging and limits", async () => {
    const yaml = withOption("log_level: warn\n  limit_request: 8192");
    expect(await check(odooOptionsAdvice, projectResources(yaml))).toEqual([]);
  });

  it.each([
    ["server_wide_modules: web,my_module", "before anyone logs in"],
    ["log_level: debug_sql", "passwords"],
    ['log_handler: "odoo.sql_db:DEBUG"', "queries"],
    ["limit_time_real: 0", "runaway request"],
  ])("warns about %s", async (option, reason) => {
    const yaml = option.startsWith("limit_time_real")
      ? mutate(SAFE_PROJECT, "limit_time_real: 600", option)
      : withOption(option);
    const [v, ...rest] = await check(odooOptionsAdvice, projectResources(yaml));
    expect(rest).toEqual([]);
    expect(v).toMatchObject({ level: "advisory" });
    expect(v!.message).toContain(reason);
    expect(v!.where).toMatch(new RegExp(` odooOptions\\.${option.split(":")[0]}$`));
  });
});

describe("odooOptions values", () => {
  it.each([
    ["a line feed", "\\n", "\n"],
    ["a bare carriage return", "\\r", "\r"],
    ["a NUL", "\\0", "\0"],
    ["a next-line character", "\\x85", "\x85"],
  ])("refuses %s, which would write options of its own into odoo.conf, at its line", (_, inYaml, char) => {
    const option = `limit_request: "8192${inYaml}dev_mode = all"`;
    const yaml = withOption(option);
    expect(projectProblems(yaml)).toEqual([
      `${PROJECT_FILE}:${lineOf(yaml, option)}:18 odooOptions.limit_request: ${JSON.stringify(`8192${char}dev_mode = all`)} must be one line of text: odoo.conf values take no line break or other control character`,
    ]);
  });

  it("cannot render a value that would leave its line, whatever its source", () => {
    const spec = {
      stage: "staging" as const,
      odooVersion: "18.0",
      limits: odooLimits({
        stage: "staging",
        hostSize: "s-2vcpu-4gb",
        placement: "dedicated",
        workers: 2,
        databaseSize: "db-s-1vcpu-2gb",
        sharedDatabase: false,
      }),
      demo: false,
      smtp: undefined,
      options: { limit_request: "8192\r[elsewhere]" },
    };
    expect(() =>
      renderOdooConf(spec, {
        dbHost: "db",
        dbPort: 25060,
        dbUser: "u",
        dbPassword: "p",
        dbName: "shop",
        adminPassword: undefined,
      }),
    ).toThrow('odoo.conf: option "limit_request" would not stay on its line');
  });
});

describe("production-odoo-conf-hardened", () => {
  const connection: OdooConnection = {
    dbHost: "db.internal",
    dbPort: 25060,
    dbUser: "odoo",
    dbPassword: "generated-db",
    dbName: "shop",
    adminPassword: "generated-admin",
  };
  const generated = renderOdooConf(
    {
      stage: "production",
      odooVersion: "18.0",
      limits: odooLimits({
        stage: "production",
        hostSize: "s-4vcpu-8gb",
        placement: "dedicated",
        workers: 4,
        databaseSize: "db-s-2vcpu-4gb",
        sharedDatabase: false,
      }),
      demo: false,
      smtp: undefined,
      options: {},
    },
    connection,
  );
  const stack = (conf: string) => {
    const [project, ...environments] = projectResources(SAFE_PROJECT, ["production"]);
    const production = environments.find((e) => e.name === "shop-production")!;
    const odoo = resource(
      "docker:index/container:Container",
      "odoo-shop-production",
      {
        name: "odoo-shop-production",
        image: "ghcr.io/acme/shop",
        uploads: [{ file: ODOO_CONF_PATH, content: conf }],
      },
      { parent: production },
    );
    return [project!, ...environments, odoo];
  };

  it("passes the odoo.conf the platform generates", async () => {
    expect(await check(productionOdooConfHardened, stack(generated))).toEqual([]);
  });

  it.each([
    ["proxy_mode off", "proxy_mode = True", "proxy_mode = False", "proxy_mode is not True"],
    ["no dbfilter", "dbfilter = ^shop$\n", "", "dbfilter is missing"],
    [
      "a dbfilter by host",
      "dbfilter = ^shop$",
      "dbfilter = ^%d$",
      'dbfilter "^%d$" does not pin one database',
    ],
    ["the database list", "list_db = False", "list_db = True", "database manager is reachable"],
    ["the default master password", "admin_passwd = generated-admin", "admin_passwd = admin", "default"],
    ["developer mode", "[options]\n", "[options]\ndev_mode = all\n", "dev_mode is set"],
    [
      "another addons path",
      `addons_path = ${ADDONS_PATH}`,
      "addons_path = /tmp/addons",
      "addons_path is set",
    ],
    // configparser ends a line at a bare \r too: the option is Odoo's even though no \n precedes it.
    [
      "developer mode after a bare CR",
      "[options]\n",
      "[options]\nlimit_request = 8192\rdev_mode = all\n",
      "dev_mode is set",
    ],
    // Options under another section header are not Odoo's: the database list is back.
    [
      "options moved out of [options]",
      "list_db = False",
      "[elsewhere]\nlist_db = False",
      "list_db is not False",
    ],
  ])("refuses %s", async (_, from, to, says) => {
    const [v, ...rest] = await check(productionOdooConfHardened, stack(mutate(generated, from, to)));
    expect(rest).toEqual([]);
    expect(v!.message).toContain(says);
    expect(v!.where).toBe("docker:index/container:Container odoo-shop-production");
  });
});
