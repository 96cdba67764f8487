import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";
import { connectionString } from "./postgres.ts";

/** The run's PostgreSQL server, as provided by global-setup.ts. */
export function testServer() {
  return inject("postgres");
}

export interface TestDatabase {
  name: string;
  url: string;
  drop: () => Promise<void>;
}

/** A fresh, uniquely named database on the run's server; dropped by the returned function. */
export async function createTestDatabase(prefix: string): Promise<TestDatabase> {
  const server = testServer();
  const name = `${prefix}_${randomBytes(4).toString("hex")}`.toLowerCase();
  const admin = new pg.Client({ connectionString: connectionString(server) });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  await admin.end();
  return {
    name,
    url: connectionString(server, name),
    drop: async () => {
      const client = new pg.Client({ connectionString: connectionString(server) });
      await client.connect();
      await client.query(`drop database if exists "${name}" with (force)`);
      await client.end();
    },
  };
}
