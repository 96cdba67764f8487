import { createPgControlPlane } from "../../../controlplane/pg-adapter.ts";
import { createSupabaseControlPlane } from "../../../controlplane/supabase-adapter.ts";
import type { ControlPlane } from "../../../controlplane/types.ts";
import { type ControlPlaneDatabase, createControlPlaneDatabase } from "./database.ts";
import type { Person } from "./fixtures.ts";
import {
  anonKey,
  memberToken,
  type PostgrestStandIn,
  postgrestStandIn,
  serviceRoleKey,
} from "./postgrest.ts";

/** A member, the service role (automation), or anon (an app repository's CI: anon key + build key). */
export type Who = Person | "service" | "anon";

/** One real database and a way to open the adapter under test as any person, or as the service role. */
export interface AdapterHarness {
  db: ControlPlaneDatabase;
  as(who: Who): ControlPlane;
  close(): Promise<void>;
}

function cached(open: (who: Who) => ControlPlane) {
  const clients = new Map<string, ControlPlane>();
  return {
    as(who: Who): ControlPlane {
      const key = typeof who === "string" ? who : who.login;
      const client = clients.get(key) ?? open(who);
      clients.set(key, client);
      return client;
    },
    closeAll: () => Promise.all([...clients.values()].map((c) => c.close())),
  };
}

export async function pgHarness(): Promise<AdapterHarness> {
  const db = await createControlPlaneDatabase("cp_pg");
  const clients = cached((who) =>
    createPgControlPlane({
      connectionString: db.url,
      actor: typeof who === "string" ? undefined : who.login,
      anonymous: who === "anon",
      maxConnections: 2,
    }),
  );
  return {
    db,
    as: clients.as,
    close: async () => {
      await clients.closeAll();
      await db.drop();
    },
  };
}

export interface SupabaseHarness extends AdapterHarness {
  standIn: PostgrestStandIn;
}

export async function supabaseHarness(): Promise<SupabaseHarness> {
  const db = await createControlPlaneDatabase("cp_sb");
  const standIn = postgrestStandIn(db.authenticatorUrl);
  const url = "http://127.0.0.1:54321"; // never contacted: supabase-js's fetch is the stand-in
  const clients = cached((who) =>
    who === "service"
      ? createSupabaseControlPlane({ url, key: serviceRoleKey(), fetch: standIn.fetch })
      : who === "anon"
        ? createSupabaseControlPlane({ url, key: anonKey(), fetch: standIn.fetch })
        : createSupabaseControlPlane({
            url,
            key: anonKey(),
            accessToken: memberToken(who.userId),
            fetch: standIn.fetch,
          }),
  );
  return {
    db,
    standIn,
    as: clients.as,
    close: async () => {
      await clients.closeAll();
      await standIn.close();
      await db.drop();
    },
  };
}
