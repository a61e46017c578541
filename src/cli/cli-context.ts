import fs from "node:fs";
import path from "node:path";
import { systemClock } from "../clock.ts";
import type { Config } from "../config.ts";
import type { AppContext } from "../context.ts";
import { openDatabase } from "../db/client.ts";
import { migrateDatabase } from "../db/migrate.ts";
import { createEventBus } from "../events/event-bus.ts";
import { acquireServerLock, type ServerLock } from "./server-lock.ts";

/** A failure the user can fix; the CLI prints the message (no stack) and exits with `exitCode`. */
export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = "CliError";
    this.exitCode = exitCode;
  }
}

export function embeddedDatabaseDir(config: Config): string {
  return path.join(config.dataDir, "pgdata");
}

/** Where the database lives, for messages: the embedded directory or the PostgreSQL host and database name. */
export function describeDatabase(config: Config): string {
  if (!config.databaseUrl) return `embedded database in ${embeddedDatabaseDir(config)}`;
  const url = new URL(config.databaseUrl);
  return `PostgreSQL ${url.hostname}${url.port ? `:${url.port}` : ""}${url.pathname}`;
}

export function demoLoginPath(config: Config): string {
  return path.join(config.dataDir, "demo-login.txt");
}

/** Saves the demo login where `tend serve` points to it, readable only by the owner. */
export function writeDemoLogin(
  config: Config,
  url: string,
  login: { email: string; password: string },
): string {
  const file = demoLoginPath(config);
  fs.mkdirSync(config.dataDir, { recursive: true });
  fs.writeFileSync(
    file,
    `Tend demo login\nURL:      ${url}\nEmail:    ${login.email}\nPassword: ${login.password}\n`,
    {
      mode: 0o600,
    },
  );
  // writeFileSync's mode applies only when it creates the file; an older file keeps its mode otherwise.
  fs.chmodSync(file, 0o600);
  return file;
}

export type CliContext = AppContext & { close(): Promise<void> };

/**
 * Opens the database for one CLI command. The embedded database allows one process at a time, so this takes the
 * same lock as the server and refuses while a server runs; PostgreSQL needs no lock.
 */
export async function openCliContext(
  config: Config,
  options: { migrate?: boolean; mustExist?: boolean } = {},
): Promise<CliContext> {
  let lock: ServerLock | null = null;
  if (!config.databaseUrl) {
    if (options.mustExist && !fs.existsSync(path.join(embeddedDatabaseDir(config), "PG_VERSION"))) {
      throw new CliError(
        `There is no embedded database in ${embeddedDatabaseDir(config)}. Check TEND_DATA_DIR, or run \`tend db migrate\` to create one.`,
      );
    }
    lock = acquireServerLock(
      config.dataDir,
      (pid) => `Tend is running (pid ${pid}); stop it first, or use DATABASE_URL.`,
    );
  }
  try {
    const database = await openDatabase({
      databaseUrl: config.databaseUrl,
      dataDir: embeddedDatabaseDir(config),
      poolSize: 2,
    });
    try {
      if (options.migrate ?? true) await migrateDatabase(database);
    } catch (error) {
      await database.close();
      throw error;
    }
    return {
      db: database.db,
      database,
      clock: systemClock,
      events: createEventBus(),
      config,
      async close() {
        try {
          await database.close();
        } finally {
          lock?.release();
        }
      },
    };
  } catch (error) {
    lock?.release();
    throw error;
  }
}
