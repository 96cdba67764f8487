import type pg from "pg";

/** Odoo's key/value settings table; absent in a database that is not (yet) an Odoo database. */
async function hasConfigTable(client: pg.Client): Promise<boolean> {
  const { rows } = await client.query<{ t: string | null }>(
    "select to_regclass('public.ir_config_parameter') as t",
  );
  return rows[0]!.t !== null;
}

export async function readParameter(client: pg.Client, key: string): Promise<string | undefined> {
  if (!(await hasConfigTable(client))) return undefined;
  const { rows } = await client.query<{ value: string }>(
    "select value from ir_config_parameter where key = $1",
    [key],
  );
  return rows[0]?.value;
}

/** Sets an ir_config_parameter the way Odoo stores them (create/write dates by hand, no ORM). */
export async function writeParameter(client: pg.Client, key: string, value: string): Promise<boolean> {
  if (!(await hasConfigTable(client))) return false;
  const updated = await client.query(
    "update ir_config_parameter set value = $2, write_date = now() at time zone 'utc' where key = $1",
    [key, value],
  );
  if (updated.rowCount === 0)
    await client.query(
      `insert into ir_config_parameter (key, value, create_date, write_date)
       values ($1, $2, now() at time zone 'utc', now() at time zone 'utc')`,
      [key, value],
    );
  return true;
}
