import { randomBytes } from "node:crypto";
import fs from "node:fs";
import pg from "pg";
import { afterAll, beforeAll, describe, inject } from "vitest";
import { type Database, openPglite, openPostgres } from "../src/db/client.ts";
import { withDatabase } from "./global-setup.ts";

export const testBackend = inject("backend") ?? "pglite";
const postgresUnavailable = testBackend === "postgres" ? inject("postgresUnavailable") : undefined;

/** `describe` for suites that need a database; on a machine without PostgreSQL the postgres run skips loudly. */
export const describeDb = postgresUnavailable ? describe.skip : describe;

/** A fresh, migrated database copied from the run's template: PGlite in memory or a new PostgreSQL database. */
export async function createTestDatabase(): Promise<Database & { url?: string }> {
  if (testBackend === "pglite") {
    const file = inject("pgliteTemplatePath");
    const blob = new Blob([fs.readFileSync(file)]);
    return openPglite("memory://", blob);
  }
  const adminUrl = inject("postgresAdminUrl");
  const templateUrl = inject("postgresTemplateUrl");
  const templateName = new URL(templateUrl).pathname.slice(1);
  const name = `tend_t_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name} template ${templateName}`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(adminUrl, name);
  const database = await openPostgres(url, 5);
  const close = database.close;
  return {
    ...database,
    url,
    async close() {
      await close();
      const dropper = new pg.Client({ connectionString: adminUrl });
      await dropper.connect();
      await dropper.query(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}

/** Registers a database for the enclosing suite; read `.current` inside tests. */
export function useTestDatabase() {
  const holder: { current: Database & { url?: string } } = {
    get current(): Database {
      throw new Error("useTestDatabase: the database is only available inside tests");
    },
  } as { current: Database & { url?: string } };
  let database: (Database & { url?: string }) | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
    Object.defineProperty(holder, "current", { value: database, configurable: true });
  }, 60_000);
  afterAll(async () => {
    await database?.close();
  });
  return holder;
}
