import { loadModule, parseSync } from "libpg-query";
import { z } from "zod";

/**
 * What an untrusted dump (an uploaded Odoo zip, a backup read back from storage) may ask the server to
 * do: the statements pg_dump writes, judged by PostgreSQL's own parser (libpg_query, the server's
 * grammar and lexer) rather than by a pattern, so that what is judged is what the server will run. Refused:
 * transaction control (a COMMIT would end the load's transaction, and everything after it would run and
 * stay even when the load fails), databases, roles, tablespaces and server settings, DO and CALL, COPY to
 * or from anything but the data that follows it, SET ROLE, settings that change how later text is read,
 * and any SELECT but pg_dump's own two. What a function of the dump may still do once called (a trigger
 * or default firing during COPY) is caught at the end of the load (SHARED_CATALOG_CHECK).
 */

/** Statement kinds pg_dump writes, loaded as they are (their effects stay in the new database). */
const DUMP_KINDS = new Set([
  "CreateStmt",
  "CreateSeqStmt",
  "AlterSeqStmt",
  "AlterTableStmt",
  "IndexStmt",
  "CreateTrigStmt",
  "CreateFunctionStmt",
  "ViewStmt",
  "RefreshMatViewStmt",
  "CreateSchemaStmt",
  "AlterDefaultPrivilegesStmt",
  "CreateDomainStmt",
  "CompositeTypeStmt",
  "CreateEnumStmt",
  "CreateRangeStmt",
  "DefineStmt",
  "CreateCastStmt",
  "CreateOpClassStmt",
  "CreateOpFamilyStmt",
  "AlterOpFamilyStmt",
  "AlterTSConfigurationStmt",
  "AlterTSDictionaryStmt",
  "CreatePolicyStmt",
  "CreateStatsStmt",
  "RuleStmt",
  "AlterDomainStmt",
  "AlterEnumStmt",
  "AlterObjectSchemaStmt",
  "AlterFunctionStmt",
  "CreateConversionStmt",
  "AlterCollationStmt",
  "DropStmt",
  "InsertStmt",
]);

/** Objects every database of the server shares: a dump is about one database. */
const SHARED_OBJECTS = new Set([
  "OBJECT_DATABASE",
  "OBJECT_ROLE",
  "OBJECT_TABLESPACE",
  "OBJECT_PARAMETER_ACL",
]);

/**
 * Settings pg_dump writes, and the values it may set for those that change how the server reads the rest
 * of the text: libpg_query reads strings as standard_conforming_strings = on does, and a client encoding
 * other than UTF-8 (SJIS, BIG5, GBK…) may hide a quote or backslash inside a multibyte character.
 */
const SETTINGS: Readonly<Record<string, ((value: string) => boolean) | true>> = {
  statement_timeout: true,
  lock_timeout: true,
  idle_in_transaction_session_timeout: true,
  transaction_timeout: true,
  client_encoding: (value) => /^utf-?8$/i.test(value),
  standard_conforming_strings: (value) => /^on$/i.test(value),
  check_function_bodies: true,
  xmloption: true,
  client_min_messages: true,
  row_security: true,
  default_tablespace: (value) => value === "",
  default_table_access_method: true,
  default_with_oids: (value) => /^(false|off)$/i.test(value),
  search_path: true,
};

/** Extensions an Odoo database uses (Odoo's own and common OCA modules'); others are not a dump's to create. */
const EXTENSIONS = new Set([
  // Installed in every database; dumps of older servers create it IF NOT EXISTS, a no-op.
  "plpgsql",
  "pg_trgm",
  "unaccent",
  "btree_gin",
  "btree_gist",
  "fuzzystrmatch",
  "pgcrypto",
  "uuid-ossp",
  "hstore",
  "citext",
  "intarray",
  "postgis",
  "vector",
]);

const constant = z.object({ A_Const: z.record(z.string(), z.unknown()) });
const stringConstant = z.object({ A_Const: z.object({ sval: z.object({ sval: z.string().default("") }) }) });
const dumpCall = z.strictObject({
  targetList: z.tuple([
    z.object({
      ResTarget: z.strictObject({
        val: z.object({
          FuncCall: z.object({
            funcname: z.tuple([
              z.object({ String: z.object({ sval: z.literal("pg_catalog") }) }),
              z.object({ String: z.object({ sval: z.enum(["setval", "set_config"]) }) }),
            ]),
            args: z.array(constant),
          }),
        }),
        location: z.number().optional(),
      }),
    }),
  ]),
  limitOption: z.literal("LIMIT_OPTION_DEFAULT"),
  op: z.literal("SETOP_NONE"),
});

/** pg_dump's `SELECT pg_catalog.set_config('search_path', '', false)`: the libpg_query form of its arguments. */
const searchPathReset = z.tuple([
  z.object({ A_Const: z.object({ sval: z.object({ sval: z.literal("search_path") }) }) }),
  z.object({ A_Const: z.object({ sval: z.object({ sval: z.literal("").optional() }) }) }),
  z.object({ A_Const: z.object({ boolval: z.object({ boolval: z.literal(false).optional() }) }) }),
]);

type Judge = (node: Record<string, unknown>) => string | undefined;

/** Why a statement of a kind pg_dump writes is refused in this form; undefined when it is fine. */
const JUDGES: Readonly<Record<string, Judge>> = {
  VariableSetStmt: (node) => {
    const name = String(node.name);
    const allowed = SETTINGS[name];
    if (node.kind !== "VAR_SET_VALUE" || allowed === undefined)
      return `it sets ${name}, which is not a dump's to set`;
    if (allowed === true) return undefined;
    const args = z.array(stringConstant).safeParse(node.args);
    const value = args.success && args.data.length === 1 ? args.data[0]!.A_Const.sval.sval : undefined;
    return value !== undefined && allowed(value)
      ? undefined
      : `it sets ${name} to a value that changes how the rest is read`;
  },
  SelectStmt: (node) => {
    const call = dumpCall.safeParse(node);
    if (!call.success) return "a dump only selects pg_catalog.setval and set_config of constants";
    const fn = call.data.targetList[0].ResTarget.val.FuncCall;
    if (fn.funcname[1].String.sval === "set_config" && !searchPathReset.safeParse(fn.args).success)
      return "a dump only calls set_config('search_path', '', false)";
    return undefined;
  },
  CopyStmt: (node) =>
    node.is_from === true && node.filename === undefined && node.is_program === undefined
      ? undefined
      : "a dump only copies from the data that follows the statement",
  CommentStmt: (node) => sharedRefusal(node.objtype),
  GrantStmt: (node) => sharedRefusal(node.objtype),
  RenameStmt: (node) => sharedRefusal(node.renameType),
  AlterOwnerStmt: (node) => sharedRefusal(node.objectType),
  CreateExtensionStmt: (node) =>
    EXTENSIONS.has(String(node.extname))
      ? undefined
      : `extension ${String(node.extname)} is not one an Odoo database uses`,
  CreateTableAsStmt: (node) => {
    const into = z.object({ skipData: z.literal(true) }).safeParse(node.into);
    return node.objtype === "OBJECT_MATVIEW" && into.success
      ? undefined
      : "a dump only creates materialized views WITH NO DATA";
  },
};

function sharedRefusal(objtype: unknown): string | undefined {
  return typeof objtype === "string" && SHARED_OBJECTS.has(objtype)
    ? "it changes an object every database of the server shares"
    : undefined;
}

const parsedSchema = z.object({
  stmts: z
    .array(
      z.object({
        stmt: z.record(z.string(), z.record(z.string(), z.unknown())),
        stmt_location: z.number().default(0),
        stmt_len: z.number().optional(),
      }),
    )
    .default([]),
});

export interface DumpStatement {
  kind: string;
  /** Byte offset of the statement in the text given (where the previous one ended). */
  start: number;
  /** Whether a `;` ends it: nothing after it can join it. */
  terminated: boolean;
  /** Why it is refused; undefined when the dump may run it. */
  refusal: string | undefined;
}

let loaded: Promise<void> | undefined;
/** The parser is WebAssembly, compiled once per process before the first judgement. */
export function loadStatementParser(): Promise<void> {
  loaded ??= loadModule();
  return loaded;
}

/**
 * The statements of `text` (SQL outside COPY data) as the server would read them, each judged. Throws
 * with the parser's message when the text is not SQL the server could run.
 */
export function judgeDumpStatements(text: string): DumpStatement[] {
  // The parser refuses empty text; nothing in it is nothing to run.
  if (text.trim() === "") return [];
  const { stmts } = parsedSchema.parse(parseSync(text));
  return stmts.map(({ stmt, stmt_location, stmt_len }) => {
    const [kind, node] = Object.entries(stmt)[0] ?? ["(empty)", {}];
    const judge = JUDGES[kind];
    const refusal = judge
      ? judge(node)
      : DUMP_KINDS.has(kind)
        ? undefined
        : `${kind.replace(/Stmt$/, "")} statements are not a dump's to run`;
    return { kind, start: stmt_location, terminated: (stmt_len ?? 0) > 0, refusal };
  });
}

/**
 * Run last in a load's transaction (which no statement of an untrusted dump could end): whether anything in it
 * wrote to a catalog every database shares (roles, memberships, databases and their settings,
 * tablespaces, comments and labels on them), as a function of the dump called by a trigger, a default or
 * an index could. Writing one takes a RowExclusiveLock or stronger on it, held until the transaction ends,
 * and shared catalogs are the relations pg_locks shows with database 0. pg_shdepend is left out: creating
 * any object records its owner there. Every name and operator is schema-qualified, whatever search_path
 * the dump left: it may have created functions or operators of the same names. It changes nothing, so it
 * may run anywhere in a transaction (neutralize runs it last in its own).
 */
export const SHARED_CATALOG_CHECK = `DO $odooops$
BEGIN
  IF EXISTS (
    SELECT FROM pg_catalog.pg_locks l
    WHERE l.pid OPERATOR(pg_catalog.=) pg_catalog.pg_backend_pid()
      AND l.locktype OPERATOR(pg_catalog.=) 'relation'
      AND l.database OPERATOR(pg_catalog.=) 0
      AND l.relation OPERATOR(pg_catalog.<>) 'pg_catalog.pg_shdepend'::pg_catalog.regclass
      AND l.mode OPERATOR(pg_catalog.<>) 'AccessShareLock'
  ) THEN
    RAISE EXCEPTION 'odooops: this transaction (a statement of a dump, or a trigger or function of the database) changed what every database of the server shares (roles, databases, tablespaces): nothing of it was kept';
  END IF;
END
$odooops$;
`;
