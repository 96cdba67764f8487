import type pg from "pg";
import { databaseIdentity } from "../../model/data/data-safety.ts";
import { AgentError } from "../errors.ts";
import { withClient } from "./connection.ts";
import {
  connectServer,
  createDatabase,
  databaseComment,
  databaseExists,
  dropDatabase,
  INCOMPLETE_MARK,
  isEmptyDatabase,
  setDatabaseComment,
} from "./databases.ts";

/**
 * A database the agent is about to fill. It is either created by the agent or adopted (it existed and
 * was empty, e.g. provisioned by the platform for this build). Either way it carries the incomplete
 * mark until it is finished, and a failure puts it back as it was: dropped if created, emptied if adopted.
 */
export interface Target {
  url: string;
  name: string;
  created: boolean;
  /** Marks the copy finished with a description of what it is. */
  finish(description: string): Promise<void>;
  /** Undoes everything: drops a created database, empties an adopted one. */
  discard(): Promise<void>;
}

const CREATED = `${INCOMPLETE_MARK} (created by odooops)`;
const ADOPTED = `${INCOMPLETE_MARK} (adopted empty by odooops)`;

async function emptySchemas(url: string): Promise<void> {
  await withClient(url, (client: pg.Client) =>
    client.query(`DO $$
      DECLARE s record;
      BEGIN
        FOR s IN SELECT nspname FROM pg_namespace
                  WHERE nspname NOT IN ('pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg\\_%'
        LOOP
          EXECUTE format('DROP SCHEMA %I CASCADE', s.nspname);
        END LOOP;
        CREATE SCHEMA public;
      END $$`),
  );
}

/**
 * Prepares `url`'s database to receive a copy. Refuses one that holds data (the agent never
 * overwrites a database), unless it is the agent's own unfinished copy from an interrupted run.
 */
export async function prepareTarget(url: string): Promise<Target> {
  const name = databaseIdentity(url)!.database;
  const server = await connectServer(url);
  try {
    let created: boolean;
    if (await databaseExists(server, name)) {
      const comment = await databaseComment(server, name);
      if (comment === CREATED) {
        await dropDatabase(server, name);
        await createDatabase(server, name, CREATED);
        created = true;
      } else if (comment === ADOPTED) {
        await emptySchemas(url);
        created = false;
      } else if (await isEmptyDatabase(url)) {
        await setDatabaseComment(server, name, ADOPTED);
        created = false;
      } else {
        throw new AgentError(
          `target database ${name} already holds data; a copy never overwrites a database. Drop it, or choose another --target-db.`,
        );
      }
    } else {
      await createDatabase(server, name, CREATED);
      created = true;
    }
    return {
      url,
      name,
      created,
      finish: async (description) => {
        const s = await connectServer(url);
        try {
          await setDatabaseComment(s, name, description);
        } finally {
          await s.end();
        }
      },
      discard: async () => {
        const s = await connectServer(url);
        try {
          if (created) await dropDatabase(s, name);
          else {
            await emptySchemas(url);
            await setDatabaseComment(s, name, null);
          }
        } finally {
          await s.end();
        }
      },
    };
  } finally {
    await server.end();
  }
}
