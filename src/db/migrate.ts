import path from "node:path";
import { fileURLToPath } from "node:url";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate as migrateNodePg } from "drizzle-orm/node-postgres/migrator";
import type { PgliteDatabase } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import type { Database, Schema } from "./client.ts";
import * as schema from "./schema.ts";

export const migrationsFolder = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../migrations",
);

// Any constant works; it only has to be the same in every process that migrates.
const MIGRATION_LOCK_KEY = 7_461_001;

/** Brings the schema up to date. On PostgreSQL an advisory lock keeps concurrent processes from racing. */
export async function migrateDatabase(database: Database): Promise<void> {
  if (database.raw.kind === "pglite") {
    await migratePglite(database.db as unknown as PgliteDatabase<Schema>, { migrationsFolder });
    return;
  }
  const client = await database.raw.pool.connect();
  try {
    await client.query("select pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    // Migrate on the connection that holds the lock: a one-connection pool would otherwise wait on itself.
    await migrateNodePg(drizzle(client, { schema }), { migrationsFolder });
  } finally {
    await client.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]).catch(() => undefined);
    client.release();
  }
}
