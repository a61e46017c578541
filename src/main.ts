import fs from "node:fs";
import { demoLoginPath, embeddedDatabaseDir, writeDemoLogin } from "./cli/cli-context.ts";
import { acquireServerLock, type ServerLock } from "./cli/server-lock.ts";
import { systemClock } from "./clock.ts";
import type { Config } from "./config.ts";
import type { AppContext } from "./context.ts";
import { type Database, openDatabase } from "./db/client.ts";
import { migrateDatabase } from "./db/migrate.ts";
import { createEventBus, type EventBus } from "./events/event-bus.ts";
import { createPgNotifyEventBus } from "./events/pg-notify-bridge.ts";
import type { JobDefinition } from "./jobs/job-definition.ts";
import { type RunningServer, type ServerRole, startServer } from "./server.ts";
import { createSettingsCache } from "./settings-cache.ts";

export type ServeOptions = {
  config: Config;
  roles: ServerRole[];
  /** Create the demo workspace when the database has no workspace yet (what `npm start` does). */
  demoIfEmpty?: boolean;
  /** Operator-facing output; the CLI passes a stdout writer. */
  log?: (line: string) => void;
  /** The jobs the worker role runs (default: the registry); tests that run Tend as a process add their own. */
  jobDefinitions?: JobDefinition[];
};

/** How long shutdown may take before the process gives up waiting and exits anyway. */
const shutdownDeadlineMs = 10_000;

function loginUrl(config: Config, httpUrl: string | null): string {
  // The default public URL assumes port 3000; when the operator only moved the port, the listening URL is right.
  const publicHost = new URL(config.publicUrl).hostname;
  const isLocal = publicHost === "localhost" || publicHost === "127.0.0.1";
  return isLocal && httpUrl ? httpUrl : config.publicUrl;
}

/**
 * `tend serve`: opens and migrates the database, optionally creates the demo workspace, starts the requested roles
 * and runs until SIGINT or SIGTERM, then shuts down in order. Resolves once everything is closed.
 */
export async function serveTend(options: ServeOptions): Promise<void> {
  const { config } = options;
  const log = options.log ?? ((line: string) => console.log(line));
  let lock: ServerLock | null = null;
  let database: Database | null = null;
  let events: (EventBus & { close?: () => Promise<void> }) | null = null;
  let server: RunningServer | null = null;

  const releaseLock = () => lock?.release();
  process.once("exit", releaseLock);

  const closeAll = async () => {
    await server?.stop();
    await events?.close?.();
    await database?.close();
    releaseLock();
  };

  try {
    if (!config.databaseUrl) {
      lock = acquireServerLock(
        config.dataDir,
        (pid) =>
          `Another Tend process (pid ${pid}) is using the embedded database in ${config.dataDir}; stop it first, or use DATABASE_URL.`,
      );
    }
    log(
      config.databaseUrl
        ? "Opening PostgreSQL (DATABASE_URL)..."
        : `Opening the embedded database in ${embeddedDatabaseDir(config)}...`,
    );
    database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: embeddedDatabaseDir(config) });
    await migrateDatabase(database);

    if (database.raw.kind === "postgres" && config.databaseUrl) {
      // Several processes share one PostgreSQL database; LISTEN/NOTIFY carries events between them.
      events = await createPgNotifyEventBus({
        databaseUrl: config.databaseUrl,
        pool: database.raw.pool,
        onError: (error) => log(`Event bridge: ${error.message} (reconnecting)`),
      });
    } else {
      events = createEventBus();
    }
    const ctx: AppContext = {
      db: database.db,
      database,
      clock: systemClock,
      events,
      config,
      cache: createSettingsCache(),
    };

    let demoLogin: { email: string; password: string } | null = null;
    if (options.demoIfEmpty) {
      const { createDemoWorkspace, isWorkspaceInitialised } = await import("./modules/demo/demo.service.ts");
      if (!(await isWorkspaceInitialised(ctx))) {
        log("First start: creating the demo workspace...");
        const result = await createDemoWorkspace(ctx, {
          onProgress: (step, done, total) => log(`  [${done}/${total}] ${step}`),
        });
        demoLogin = result.login;
      }
    }

    const { ensureWorkspaceDefaults } = await import("./workflows/workspace-defaults.workflow.ts");
    await ensureWorkspaceDefaults(ctx);
    if (options.roles.includes("worker")) {
      // Messages stored before the frustration scorer existed get their scores in the background.
      const { enqueueFrustrationBackfillIfNeeded } = await import("./jobs/frustration-backfill.job.ts");
      if (await enqueueFrustrationBackfillIfNeeded(ctx))
        log(
          "Scoring the frustration of earlier customer messages in the background (job frustration.backfill).",
        );
      const { enqueueFirstRiskScoringIfNeeded } = await import("./jobs/risk-scoring.job.ts");
      if (await enqueueFirstRiskScoringIfNeeded(ctx))
        log("Scoring churn risk for the first time in the background (job risk.nightly).");
    }

    server = await startServer(ctx, {
      roles: options.roles,
      logger: true,
      log,
      ...(options.jobDefinitions ? { jobDefinitions: options.jobDefinitions } : {}),
    });
    log("");
    if (server.httpUrl) log(`Tend is listening on ${server.httpUrl} (web app and API)`);
    if (server.smtpUrl) log(`Receiving mail over SMTP on ${server.smtpUrl}`);
    if (options.roles.includes("worker"))
      log("Background workers are running (outbound mail, IMAP polling, jobs).");

    const loginFile = demoLoginPath(config);
    if (demoLogin) {
      const url = loginUrl(config, server.httpUrl);
      writeDemoLogin(config, url, demoLogin);
      const rule = "=".repeat(64);
      log(
        [
          "",
          rule,
          "  The demo workspace is ready. Sign in at:",
          `    URL:      ${url}`,
          `    Email:    ${demoLogin.email}`,
          `    Password: ${demoLogin.password}`,
          `  (also saved in ${loginFile}, readable only by you)`,
          rule,
          "",
        ].join("\n"),
      );
    } else if (fs.existsSync(loginFile)) {
      log(`The demo login is kept in ${loginFile}.`);
    }
    log("Press Ctrl+C to stop.");
  } catch (error) {
    await closeAll().catch(() => undefined);
    process.off("exit", releaseLock);
    throw error;
  }

  await new Promise<void>((resolve) => {
    let shuttingDown = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (shuttingDown) {
        log(`${signal} again: exiting now.`);
        process.exit(1);
      }
      shuttingDown = true;
      log(`${signal} received: shutting down...`);
      const deadline = setTimeout(() => {
        log(`Shutdown took longer than ${shutdownDeadlineMs / 1000}s; exiting.`);
        releaseLock();
        process.exit(1);
      }, shutdownDeadlineMs);
      deadline.unref();
      closeAll()
        .catch((error: Error) => log(`Shutdown problem: ${error.message}`))
        .finally(() => {
          clearTimeout(deadline);
          process.off("SIGINT", onSignal);
          process.off("SIGTERM", onSignal);
          process.off("exit", releaseLock);
          log("Stopped.");
          resolve();
        });
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  });
}
