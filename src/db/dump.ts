import { readMigrationFiles } from "drizzle-orm/migrator";
import type { Database } from "./client.ts";
import { migrationsFolder } from "./migrate.ts";

/** Receives the dump piece by piece; awaiting it gives back-pressure so a large database is never held in memory. */
export type SqlWriter = (chunk: string) => Promise<void> | void;

type Query = <T = Record<string, unknown>>(text: string, params?: unknown[]) => Promise<T[]>;

const dumpedSchemas = ["public", "drizzle"];
const migrationsTableDdl = `CREATE SCHEMA IF NOT EXISTS drizzle;
CREATE TABLE IF NOT EXISTS drizzle.__drizzle_migrations (
  id SERIAL PRIMARY KEY,
  hash text NOT NULL,
  created_at bigint
);`;
const fetchSize = 200;

/**
 * Writes the database as one SQL script that `psql -v ON_ERROR_STOP=1` loads into an empty PostgreSQL database:
 * the schema by replaying the applied migration files (portable, unlike a pg_dump of PGlite's newer server),
 * drizzle's migration bookkeeping, every table's rows as COPY text in foreign-key order, and every sequence
 * position, all in one transaction. Reads from one repeatable-read snapshot, a batch at a time.
 */
export async function dumpDatabase(
  database: Database,
  write: SqlWriter,
  options: { now?: Date } = {},
): Promise<{ tables: number; rows: number }> {
  return withSnapshot(database, async (query) => {
    const stats = { tables: 0, rows: 0 };
    await write(
      [
        `-- Tend database dump, ${(options.now ?? new Date()).toISOString()}.`,
        '-- Load into an empty PostgreSQL database: psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -f tend.sql',
        "SET client_encoding = 'UTF8';",
        "SET standard_conforming_strings = on;",
        "SET check_function_bodies = false;",
        "SET client_min_messages = warning;",
        "BEGIN;",
        "SET LOCAL TimeZone = 'UTC';",
        "SET LOCAL DateStyle = 'ISO';",
        "",
      ].join("\n"),
    );

    await writeSchema(query, write);

    const tables = await listTablesInForeignKeyOrder(query);
    for (const table of tables) {
      stats.rows += await writeTableRows(query, table, write);
      stats.tables++;
    }
    await writeSequencePositions(query, write);
    await write("COMMIT;\n");
    return stats;
  });
}

async function withSnapshot<T>(database: Database, fn: (query: Query) => Promise<T>): Promise<T> {
  const settings = [
    "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY",
    // Fixed output formats so every value is written the same way whatever the server's defaults are.
    "SET LOCAL TimeZone = 'UTC'",
    "SET LOCAL DateStyle = 'ISO, YMD'",
    "SET LOCAL IntervalStyle = 'postgres'",
    "SET LOCAL extra_float_digits = 3",
    "SET LOCAL bytea_output = 'hex'",
  ];
  if (database.raw.kind === "pglite") {
    return database.raw.client.transaction(async (tx) => {
      for (const statement of settings) await tx.query(statement);
      return fn(async <R>(text: string, params?: unknown[]) => (await tx.query<R>(text, params)).rows);
    });
  }
  const client = await database.raw.pool.connect();
  try {
    await client.query("BEGIN");
    for (const statement of settings) await client.query(statement);
    const result = await fn(
      async <R>(text: string, params?: unknown[]) => (await client.query(text, params)).rows as R[],
    );
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

async function writeSchema(query: Query, write: SqlWriter): Promise<void> {
  const hasBookkeeping = await query<{ present: boolean }>(
    "select to_regclass('drizzle.__drizzle_migrations') is not null as present",
  );
  if (!hasBookkeeping[0]?.present) {
    throw new Error("This database has never been migrated; run `tend db migrate` first.");
  }
  const applied = await query<{ created_at: string }>(
    "select created_at::text as created_at from drizzle.__drizzle_migrations order by created_at",
  );
  const files = readMigrationFiles({ migrationsFolder });
  const known = new Set(files.map((file) => String(file.folderMillis)));
  const unknown = applied.filter((row) => !known.has(row.created_at));
  if (unknown.length > 0) {
    throw new Error(
      "This database was migrated by a newer version of Tend than this one; dump it with that version.",
    );
  }
  // drizzle applies every file newer than the last recorded one, so the applied set is everything up to it.
  const last = applied.length > 0 ? Number(applied[applied.length - 1].created_at) : -1;
  await write("-- Schema: the migrations this database has applied, in order.\n");
  for (const file of files) {
    if (file.folderMillis > last) continue;
    for (const statement of file.sql) {
      const text = statement.trim();
      if (text === "") continue;
      await write(`${text}${text.endsWith(";") ? "" : ";"}\n`);
    }
  }
  await write(
    `\n-- drizzle's bookkeeping, so \`tend db migrate\` knows the schema is current.\n${migrationsTableDdl}\n`,
  );
}

type Table = { oid: number; schema: string; name: string; columns: string[]; orderBy: string[] };

async function listTablesInForeignKeyOrder(query: Query): Promise<Table[]> {
  const rows = await query<{ oid: number; schema: string; name: string }>(
    `select c.oid::int as oid, n.nspname as schema, c.relname as name
       from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where n.nspname = any($1) and c.relkind in ('r', 'p') and not c.relispartition
      order by n.nspname, c.relname`,
    [dumpedSchemas],
  );
  const edges = await query<{ child: number; parent: number }>(
    `select conrelid::int as child, confrelid::int as parent from pg_catalog.pg_constraint
      where contype = 'f' and conrelid <> confrelid`,
  );
  const tables: Table[] = [];
  for (const row of rows) {
    const columns = await query<{ name: string }>(
      `select attname as name from pg_catalog.pg_attribute
        where attrelid = $1 and attnum > 0 and not attisdropped and attgenerated = ''
        order by attnum`,
      [row.oid],
    );
    const primaryKey = await query<{ name: string }>(
      `select a.attname as name
         from pg_catalog.pg_index i
         cross join lateral unnest(i.indkey) with ordinality as k(attnum, position)
         join pg_catalog.pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
        where i.indrelid = $1 and i.indisprimary
        order by k.position`,
      [row.oid],
    );
    tables.push({
      ...row,
      columns: columns.map((c) => c.name),
      orderBy: primaryKey.map((c) => c.name),
    });
  }

  // Parents before children (Kahn's algorithm), alphabetical among equals so dumps are reproducible.
  const byOid = new Map(tables.map((table) => [table.oid, table]));
  const parentsOf = new Map<number, Set<number>>(tables.map((table) => [table.oid, new Set()]));
  for (const edge of edges) {
    if (byOid.has(edge.child) && byOid.has(edge.parent)) parentsOf.get(edge.child)?.add(edge.parent);
  }
  const ordered: Table[] = [];
  const done = new Set<number>();
  while (ordered.length < tables.length) {
    const ready = tables.filter(
      (table) => !done.has(table.oid) && [...(parentsOf.get(table.oid) ?? [])].every((p) => done.has(p)),
    );
    if (ready.length === 0) {
      const stuck = tables.filter((table) => !done.has(table.oid)).map((table) => table.name);
      throw new Error(`Foreign keys form a cycle between ${stuck.join(", ")}; the dump cannot order them.`);
    }
    for (const table of ready) {
      ordered.push(table);
      done.add(table.oid);
    }
  }
  return ordered;
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function quoteLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** One value in COPY's text format: NULL is \N; backslash, tab, newline and carriage return are escaped. */
export function escapeCopyValue(value: string | null): string {
  if (value === null) return "\\N";
  return value.replace(/[\\\t\n\r]/g, (c) =>
    c === "\\" ? "\\\\" : c === "\t" ? "\\t" : c === "\n" ? "\\n" : "\\r",
  );
}

async function writeTableRows(query: Query, table: Table, write: SqlWriter): Promise<number> {
  const qualified = `${quoteIdent(table.schema)}.${quoteIdent(table.name)}`;
  const columnList = table.columns.map(quoteIdent).join(", ");
  // Every value as its type's text output: exactly what COPY reads back, with no driver parsing in between.
  const select = table.columns.map((column, i) => `${quoteIdent(column)}::text as c${i}`).join(", ");
  const orderBy = table.orderBy.length > 0 ? ` order by ${table.orderBy.map(quoteIdent).join(", ")}` : "";
  await write(`\nCOPY ${qualified} (${columnList}) FROM stdin;\n`);
  await query(`DECLARE tend_dump NO SCROLL CURSOR FOR select ${select} from ${qualified}${orderBy}`);
  let count = 0;
  for (;;) {
    const batch = await query<Record<string, string | null>>(`FETCH ${fetchSize} FROM tend_dump`);
    if (batch.length === 0) break;
    let chunk = "";
    for (const row of batch) {
      const values: string[] = [];
      for (let i = 0; i < table.columns.length; i++) values.push(escapeCopyValue(row[`c${i}`] ?? null));
      chunk += `${values.join("\t")}\n`;
    }
    count += batch.length;
    await write(chunk);
  }
  await query("CLOSE tend_dump");
  await write("\\.\n");
  return count;
}

async function writeSequencePositions(query: Query, write: SqlWriter): Promise<void> {
  // Sequences owned by a column: identity columns (deptype 'i') and serial columns (deptype 'a').
  const sequences = await query<{
    seq_schema: string;
    seq: string;
    tbl_schema: string;
    tbl: string;
    col: string;
  }>(
    `select sn.nspname as seq_schema, s.relname as seq, tn.nspname as tbl_schema, t.relname as tbl, a.attname as col
       from pg_catalog.pg_depend d
       join pg_catalog.pg_class s on s.oid = d.objid and s.relkind = 'S'
       join pg_catalog.pg_namespace sn on sn.oid = s.relnamespace
       join pg_catalog.pg_class t on t.oid = d.refobjid
       join pg_catalog.pg_namespace tn on tn.oid = t.relnamespace
       join pg_catalog.pg_attribute a on a.attrelid = t.oid and a.attnum = d.refobjsubid
      where d.classid = 'pg_catalog.pg_class'::regclass and d.deptype in ('a', 'i')
        and sn.nspname = any($1)
      order by tn.nspname, t.relname, a.attname`,
    [dumpedSchemas],
  );
  // One DO block, so psql prints nothing per sequence.
  const lines: string[] = [];
  for (const sequence of sequences) {
    const [state] = await query<{ last_value: string; is_called: boolean }>(
      `select last_value::text as last_value, is_called from ${quoteIdent(sequence.seq_schema)}.${quoteIdent(sequence.seq)}`,
    );
    const table = quoteLiteral(`${quoteIdent(sequence.tbl_schema)}.${quoteIdent(sequence.tbl)}`);
    lines.push(
      `  PERFORM pg_catalog.setval(pg_catalog.pg_get_serial_sequence(${table}, ${quoteLiteral(sequence.col)}), ${state.last_value}, ${state.is_called});`,
    );
  }
  await write(
    `\n-- Sequence positions, so new rows get fresh ids.\nDO $tend$\nBEGIN\n${lines.join("\n")}\nEND\n$tend$;\n`,
  );
}
