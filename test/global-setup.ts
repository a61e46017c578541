import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { openPglite, openPostgres } from "../src/db/client.ts";
import { migrateDatabase } from "../src/db/migrate.ts";

declare module "vitest" {
  export interface ProvidedContext {
    backend: "pglite" | "postgres";
    pgliteTemplatePath: string;
    postgresTemplateUrl: string;
    postgresAdminUrl: string;
    postgresUnavailable: string;
  }
}

export const defaultPostgresAdminUrl = "postgres://postgres@127.0.0.1:5432/test";

/** Builds one migrated database per run; each test file starts from a copy of it (see test/db.ts). */
export default async function setup(project: TestProject) {
  const backend = project.config.provide.backend ?? "pglite";
  const runId = `${process.pid}_${Date.now().toString(36)}`;
  if (backend === "pglite") {
    const dir = path.resolve(".tmp/test");
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `pglite-template-${runId}.tar`);
    const database = await openPglite("memory://");
    await migrateDatabase(database);
    if (database.raw.kind !== "pglite") throw new Error("unreachable");
    const blob = await database.raw.client.dumpDataDir("none");
    fs.writeFileSync(file, Buffer.from(await blob.arrayBuffer()));
    await database.close();
    project.provide("pgliteTemplatePath", file);
    return () => fs.rmSync(file, { force: true });
  }

  const adminUrl = process.env.TEND_TEST_POSTGRES_URL ?? defaultPostgresAdminUrl;
  project.provide("postgresAdminUrl", adminUrl);
  const admin = new pg.Client({ connectionString: adminUrl });
  try {
    await admin.connect();
  } catch (error) {
    const message = `PostgreSQL is not reachable at ${adminUrl} (${(error as Error).message})`;
    if (process.env.CI)
      throw new Error(`${message}. CI must run the PostgreSQL suites: start PostgreSQL first.`);
    console.warn(
      `\n!!!!!!!!\n!! ${message}\n!! SKIPPING every PostgreSQL suite. Set TEND_TEST_POSTGRES_URL or start PostgreSQL.\n!!!!!!!!\n`,
    );
    project.provide("postgresUnavailable", message);
    return;
  }
  const templateName = `tend_tpl_${runId}`;
  await admin.query(`create database ${templateName}`);
  const templateUrl = withDatabase(adminUrl, templateName);
  const database = await openPostgres(templateUrl, 1);
  await migrateDatabase(database);
  await database.close();
  project.provide("postgresTemplateUrl", templateUrl);
  return async () => {
    await admin.query(`drop database if exists ${templateName} with (force)`);
    await admin.end();
  };
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}
