import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { ExtractTablesWithRelations } from "drizzle-orm";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import pg from "pg";
import * as schema from "./schema.ts";

export type Schema = typeof schema;
/** The drizzle database both backends share; services take this (or a transaction, which is one too). */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;

export type Database = {
  db: Db;
  kind: "pglite" | "postgres";
  /** Raw SQL with positional parameters, for the few places drizzle's builder does not fit (dump, benchmarks). */
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
  /** The underlying client, for tools that need it (dumps, LISTEN/NOTIFY). */
  raw: { kind: "pglite"; client: PGlite } | { kind: "postgres"; pool: pg.Pool };
};

// Timestamps come back as Date from both drivers; bigint (int8) as number where drizzle asks for it.

export type OpenDatabaseOptions = {
  databaseUrl?: string;
  dataDir?: string;
  /** For PGlite: a data directory tarball to start from (test templates). */
  loadDataDir?: Blob | File;
  poolSize?: number;
};

/** Opens PostgreSQL when a URL is given, else PGlite under dataDir (in memory when dataDir is "memory://"). */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.poolSize ?? 10);
  return openPglite(options.dataDir ?? "memory://", options.loadDataDir);
}

export async function openPglite(dataDir: string, loadDataDir?: Blob | File): Promise<Database> {
  if (dataDir !== "memory://" && !dataDir.startsWith("memory://")) {
    fs.mkdirSync(path.dirname(path.resolve(dataDir)), { recursive: true });
  }
  // PGlite is a single connection; it queues queries and holds transactions exclusively, so access is serialised.
  const client = await PGlite.create(dataDir, loadDataDir ? { loadDataDir } : {});
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    db,
    kind: "pglite",
    raw: { kind: "pglite", client },
    async query<T>(text: string, params: unknown[] = []) {
      const result = await client.query<T>(text, params);
      return result.rows;
    },
    async close() {
      if (!client.closed) await client.close();
    },
  };
}

export async function openPostgres(url: string, poolSize = 10): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle client dies when PostgreSQL restarts or terminates it; without a listener that error would crash the
  // process. The pool replaces the client and the next query reports any lasting problem.
  pool.on("error", () => undefined);
  // Fail fast with a clear message rather than on the first request.
  const probe = await pool.connect().catch((error: Error) => {
    throw new Error(`Cannot connect to PostgreSQL at DATABASE_URL: ${error.message}`);
  });
  probe.release();
  const db = drizzlePg(pool, { schema }) as unknown as Db;
  return {
    db,
    kind: "postgres",
    raw: { kind: "postgres", pool },
    async query<T>(text: string, params: unknown[] = []) {
      const result = await pool.query(text, params);
      return result.rows as T[];
    },
    async close() {
      await pool.end();
    },
  };
}
