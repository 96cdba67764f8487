import { query } from "./support.ts";

/**
 * An oracle independent of the agent: the personal values of the source that the default profile must
 * remove, read with plain SQL (technical partners and users excluded, as the profile excludes them).
 */
export async function sourcePii(url: string): Promise<string[]> {
  const keptPartners =
    "(select res_id from ir_model_data where module = 'base' and model = 'res.partner' and name in ('main_partner','partner_root','public_partner') union select partner_id from res_company)";
  const keptUsers = "(select res_id from ir_model_data where module = 'base' and model = 'res.users')";
  const nameColumn = (
    await query<{ c: string }>(
      url,
      "select column_name as c from information_schema.columns where table_name = 'res_partner' and column_name in ('complete_name', 'display_name')",
    )
  )[0]!.c;
  const rows = await query<{ v: string }>(
    url,
    `select v from (
       select unnest(array[name, ${nameColumn}, email, email_normalized, phone, phone_sanitized, mobile, street, street2, vat, company_registry, comment, website])
         from res_partner where id not in ${keptPartners}
       union all select login from res_users where id not in ${keptUsers}
       union all select unnest(array[acc_number, sanitized_acc_number, acc_holder_name]) from res_partner_bank
       union all select unnest(array[email_from, reply_to, record_name]) from mail_message
       union all select invoice_partner_display_name from account_move
     ) x(v)
     where v is not null and v <> ''
     except
     select unnest(array[name, ${nameColumn}, email, phone, street, vat]) from res_partner where id in ${keptPartners}`,
  );
  return rows.map((r) => r.v);
}

/** Where any of `values` occurs as a whole text cell in the database at `url`. */
export async function findValues(url: string, values: readonly string[]): Promise<string[]> {
  const columns = await query<{ s: string; t: string; c: string }>(
    url,
    `select table_schema as s, table_name as t, column_name as c from information_schema.columns
      where table_schema not in ('pg_catalog', 'information_schema') and data_type in ('text', 'character varying', 'character')`,
  );
  const found: string[] = [];
  const list = `select unnest($1::text[])`;
  for (const { s, t, c } of columns) {
    const [row] = await query<{ n: string }>(
      url,
      `select count(*) as n from "${s}"."${t}" where "${c}" in (${list})`,
      [values],
    );
    if (Number(row!.n) > 0) found.push(`${t}.${c} (${row!.n})`);
  }
  return found;
}
