import { describe, expect, it } from "vitest";
import { demoFlags, initialModules, type OdooConfSpec, renderOdooConf } from "../../model/odoo-config.ts";

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
  workers: 2,
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

  it("initialises a database with base and the modules of its bundles, once each", () => {
    const modules = initialModules(["finance_ppm", "hr_timesheets"]);
    expect(modules[0]).toBe("base");
    expect(modules).toContain("mis_builder");
    expect(new Set(modules).size).toBe(modules.length);
  });
});
