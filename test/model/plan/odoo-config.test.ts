import { describe, expect, it } from "vitest";
import {
  ADDONS_PATH,
  APP_ADDONS_DIR,
  OCA_ADDONS_DIR,
  ODOO_CORE_ADDONS_DIR,
} from "../../../model/plan/app-image.ts";
import {
  demoFlags,
  initialModules,
  type OdooConfSpec,
  renderOdooConf,
} from "../../../model/plan/odoo-config.ts";
import { odooLimits } from "../../../model/plan/odoo-sizing.ts";
import { sizingInput } from "../support/odoo.ts";

const connection = {
  dbHost: "private-db.example",
  dbPort: 25060,
  dbUser: "odoo_acme",
  dbPassword: "pw",
  dbName: "acme_feature__x",
  adminPassword: "admin-pw",
};
const spec = (over: Partial<OdooConfSpec> = {}): OdooConfSpec => ({
  stage: "staging",
  odooVersion: "18.0",
  limits: odooLimits(
    sizingInput({
      stage: over.stage ?? "staging",
      hostSize: "s-2vcpu-4gb",
      workers: 2,
      databaseSize: "db-s-1vcpu-2gb",
      sharedDatabase: true,
    }),
  ),
  demo: false,
  smtp: { server: "mailpit-x", port: 1025 },
  options: {},
  ...over,
});
const options = (text: string) =>
  Object.fromEntries(
    text
      .split("\n")
      .slice(1, -1)
      .map((l) => l.split(" = ")),
  );

describe("odoo.conf", () => {
  it("serves one database behind the proxy, with no database manager", () => {
    const conf = options(renderOdooConf(spec(), connection));
    expect(conf).toMatchObject({
      db_name: "acme_feature__x",
      dbfilter: "^acme_feature__x$",
      list_db: "False",
      proxy_mode: "True",
      workers: "2",
      db_sslmode: "require",
      admin_passwd: "admin-pw",
    });
  });

  it("sends mail to Mailpit outside production and leaves production's mail servers to the database", () => {
    expect(options(renderOdooConf(spec(), connection))).toMatchObject({
      smtp_server: "mailpit-x",
      smtp_port: "1025",
    });
    const prod = options(renderOdooConf(spec({ stage: "production", smtp: undefined }), connection));
    expect(prod.smtp_server).toBeUndefined();
    expect(prod.max_cron_threads).toBe("2");
  });

  it("keeps a project's tuning but never lets it override what the platform owns", () => {
    const conf = options(
      renderOdooConf(
        spec({
          options: {
            limit_time_real: 600,
            smtp_server: "smtp.gmail.com",
            list_db: true,
            admin_passwd: "admin",
          },
        }),
        connection,
      ),
    );
    expect(conf).toMatchObject({
      limit_time_real: "600",
      smtp_server: "mailpit-x",
      list_db: "False",
      admin_passwd: "admin-pw",
    });
    const text = renderOdooConf(spec({ options: { smtp_server: "smtp.gmail.com" } }), connection);
    expect(text).not.toContain("smtp.gmail.com");
  });

  it("loads demo data only where asked, with each Odoo version's switch", () => {
    expect(options(renderOdooConf(spec({ demo: false }), connection)).without_demo).toBe("all");
    expect(
      options(renderOdooConf(spec({ demo: true, stage: "development" }), connection)).without_demo,
    ).toBeUndefined();
    expect(options(renderOdooConf(spec({ odooVersion: "19.0" }), connection)).without_demo).toBeUndefined();
    expect(demoFlags("17.0", true)).toEqual([]);
    expect(demoFlags("18.0", false)).toEqual(["--without-demo=all"]);
    expect(demoFlags("19.0", true)).toEqual(["--with-demo"]);
    expect(demoFlags("19.0", false)).toEqual([]);
  });

  it("names the image's addons directories, the project's own first, Odoo's core last", () => {
    expect(ADDONS_PATH.split(",")).toEqual([APP_ADDONS_DIR, OCA_ADDONS_DIR, ODOO_CORE_ADDONS_DIR]);
    const conf = options(renderOdooConf(spec({ options: { addons_path: "/elsewhere" } }), connection));
    expect(conf.addons_path).toBe(ADDONS_PATH);
  });

  it("writes the limits sized for the host, which a project's own option overrides", () => {
    const conf = options(renderOdooConf(spec(), connection));
    expect(conf).toMatchObject({
      db_maxconn: "2",
      limit_memory_soft: String(1024 * 1024 * 1024),
      limit_memory_hard: String(1280 * 1024 * 1024),
      limit_time_cpu: "60",
      limit_time_real: "120",
      max_cron_threads: "1",
    });
    const tuned = renderOdooConf(spec({ options: { limit_time_real: 600, db_maxconn: 8 } }), connection);
    expect(tuned.match(/^limit_time_real = .*$/gm)).toEqual(["limit_time_real = 600"]);
    expect(tuned.match(/^db_maxconn = .*$/gm)).toEqual(["db_maxconn = 8"]);
  });

  it("leaves the master password out of the conf of a one-shot run", () => {
    const conf = renderOdooConf(spec(), { ...connection, adminPassword: undefined });
    expect(conf).not.toContain("admin_passwd");
    expect(options(conf)).toMatchObject({ db_host: "private-db.example", db_password: "pw" });
  });

  it("initialises a database with base and the modules of its bundles, once each", () => {
    const modules = initialModules(["finance_ppm", "hr_timesheets"]);
    expect(modules[0]).toBe("base");
    expect(modules).toContain("mis_builder");
    expect(new Set(modules).size).toBe(modules.length);
  });
});
