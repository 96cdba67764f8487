import { withDatabase } from "../../agent/pg/connection.ts";
import { envVar, type OdooDb, odooDatabase, query } from "./support.ts";

export interface CloneSource {
  /** The database copies are taken from: an Odoo database with 400 customers. */
  source: OdooDb;
  /** Name of the variable holding the source's URL. */
  sourceEnv: string;
  /** A copy's database on the source's server, named after the source; dropped by close(). */
  target(suffix: string): { name: string; url: string };
  close(): Promise<void>;
}

/** What a staging copy needs besides --mask: neutralization, with the environment's own URL and Mailpit. */
export const neutralizeArgs = [
  "--neutralize",
  "--base-url",
  "https://release-v2.acme.staging.example.com",
  "--mailpit-host",
  "mailpit-release-v2",
  "--mailpit-port",
  "1025",
];

/** A staging copy's options: masked with the default profile, and neutralized. */
export const maskedDefault = ["--mask", "default", ...neutralizeArgs];

/** A production-to-production copy: the one copy made without masking or neutralizing. */
export const asIs = ["--stage", "production"];

/** `odooops agent clone` of the database in variable `sourceEnv` into database `target`. */
export function cloneArgv(sourceEnv: string, target: string, ...extra: string[]): string[] {
  return ["clone", "--source-url-env", sourceEnv, "--target-db", target, ...extra];
}

/** A source database to clone from, and the copies made of it, removed together by close(). */
export async function cloneSource(): Promise<CloneSource> {
  delete process.env.ODOOOPS_DB_URL;
  const source = await odooDatabase("clone_src", { partners: 400 });
  const created: string[] = [];
  return {
    source,
    sourceEnv: envVar(source.url, "SRC"),
    target: (suffix) => {
      const name = `${source.name}_${suffix}`;
      created.push(name);
      return { name, url: withDatabase(source.url, name) };
    },
    close: async () => {
      const server = withDatabase(source.url, "postgres");
      await Promise.all([
        ...created.map((name) => query(server, `drop database if exists "${name}" with (force)`)),
        source.drop(),
      ]);
    },
  };
}
