// Databases for benchmarks: an on-disk PGlite in a temp folder (as deployed) and a scratch PostgreSQL database.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { type Database, openPglite, openPostgres } from "../src/db/client.ts";
import { migrateDatabase } from "../src/db/migrate.ts";

export const postgresAdminUrl =
  process.env.TEND_BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";

export type BenchDatabase = Database & { label: string; dispose(): Promise<void> };

export async function openBenchDatabase(kind: "pglite" | "postgres", label: string): Promise<BenchDatabase> {
  if (kind === "pglite") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tend-bench-${label}-`));
    const database = await openPglite(path.join(dir, "pgdata"));
    await migrateDatabase(database);
    return {
      ...database,
      label,
      async dispose() {
        await database.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const name = `tend_bench_${label}_${process.pid}`;
  const admin = new pg.Client({ connectionString: postgresAdminUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  const url = new URL(postgresAdminUrl);
  url.pathname = `/${name}`;
  const database = await openPostgres(url.toString(), 10);
  await migrateDatabase(database);
  return {
    ...database,
    label,
    async dispose() {
      await database.close();
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

export function percentile(sortedMs: number[], p: number): number {
  if (sortedMs.length === 0) return Number.NaN;
  const index = Math.min(sortedMs.length - 1, Math.max(0, Math.ceil((p / 100) * sortedMs.length) - 1));
  return sortedMs[index];
}

export const round = (value: number, digits = 2) => Number(value.toFixed(digits));
