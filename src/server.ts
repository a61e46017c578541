import type { FastifyInstance } from "fastify";
import type { AppContext } from "./context.ts";
import type { JobDefinition } from "./jobs/job-definition.ts";

/** What one process runs: the HTTP API and web app, the SMTP listener, the background workers (outbound mail, IMAP, jobs). */
export type ServerRole = "api" | "smtp" | "worker";
export const serverRoles: ServerRole[] = ["api", "smtp", "worker"];

export type RunningServer = {
  httpUrl: string | null;
  smtpUrl: string | null;
  /** Stops accepting, closes SMTP, stops the workers, closes HTTP; the database is the caller's to close. */
  stop(): Promise<void>;
};

export type StartServerOptions = {
  roles: ServerRole[];
  logger?: boolean;
  /** Report progress and problems to the operator (stdout in the CLI). */
  log?: (line: string) => void;
  /** The jobs the worker role runs; default: every job in src/jobs/job-registry.ts. */
  jobDefinitions?: JobDefinition[];
};

const stopStepTimeoutMs = 3000;

function displayHost(host: string): string {
  if (host === "0.0.0.0" || host === "::" || host === "") return "localhost";
  return host.includes(":") ? `[${host}]` : host;
}

function explainListenError(error: Error, host: string, port: number, variable: string): Error {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "EADDRINUSE") {
    return new Error(
      `Port ${port} on ${host} is already in use; stop the program using it or set ${variable}.`,
    );
  }
  if (code === "EACCES") {
    return new Error(`Not allowed to listen on port ${port}; choose a port above 1023 with ${variable}.`);
  }
  return error;
}

/** Waits for `promise` up to `ms`; reports whether it finished in time. */
async function finishesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Starts the parts of Tend this process runs, on an opened and migrated database. Modules are imported only for
 * the roles asked for, so a worker process does not load the web stack.
 */
export async function startServer(ctx: AppContext, options: StartServerOptions): Promise<RunningServer> {
  const roles = new Set(options.roles);
  const log = options.log ?? (() => undefined);
  const stoppers: { name: string; stop: () => Promise<void> }[] = [];
  let smtpReady = !roles.has("smtp");
  let smtpUrl: string | null = null;
  let httpUrl: string | null = null;
  let app: FastifyInstance | null = null;

  const stopAll = async () => {
    // Stop taking new HTTP requests first; in-flight ones finish while the rest shuts down.
    const httpClosed = app ? app.close() : Promise.resolve();
    for (const stopper of stoppers.reverse()) {
      const done = await finishesWithin(
        stopper.stop().catch((error: Error) => log(`Stopping ${stopper.name} failed: ${error.message}`)),
        stopStepTimeoutMs,
      );
      if (!done) log(`${stopper.name} did not stop within ${stopStepTimeoutMs / 1000}s; moving on.`);
    }
    if (app && !(await finishesWithin(httpClosed, stopStepTimeoutMs))) {
      // Open event streams never finish on their own; cut them so shutdown stays quick.
      app.server.closeAllConnections();
      await httpClosed;
    }
  };

  try {
    if (roles.has("smtp")) {
      const { startSmtpServer } = await import("./modules/email/smtp-server.ts");
      const smtp = await startSmtpServer(ctx, { host: ctx.config.smtpHost, port: ctx.config.smtpPort }).catch(
        (error: Error) => {
          throw explainListenError(error, ctx.config.smtpHost, ctx.config.smtpPort, "TEND_SMTP_PORT");
        },
      );
      stoppers.push({ name: "SMTP listener", stop: () => smtp.close() });
      smtpReady = true;
      smtpUrl = `smtp://${displayHost(ctx.config.smtpHost)}:${smtp.port}`;
    }
    if (roles.has("worker")) {
      const { startOutboundWorker } = await import("./modules/email/outbound-worker.ts");
      const { startImapPoller } = await import("./modules/email/imap-poller.ts");
      const outbound = startOutboundWorker(ctx);
      stoppers.push({ name: "outbound mail worker", stop: () => outbound.stop() });
      const imap = startImapPoller(ctx);
      stoppers.push({ name: "IMAP poller", stop: () => imap.stop() });
      const { startJobWorker } = await import("./jobs/job-worker.ts");
      const { jobDefinitions } = await import("./jobs/job-registry.ts");
      const jobs = startJobWorker(ctx, {
        definitions: options.jobDefinitions ?? jobDefinitions,
        leaseMs: ctx.config.jobLeaseSeconds * 1000,
        // PGlite runs one transaction at a time anyway; PostgreSQL can run several jobs side by side.
        concurrency: ctx.database.kind === "pglite" ? 1 : 4,
        log,
      });
      stoppers.push({ name: "job worker", stop: () => jobs.stop() });
    }
    if (roles.has("api")) {
      const { buildApp } = await import("./http/app.ts");
      app = await buildApp({ context: ctx, logger: options.logger ?? true, isSmtpReady: () => smtpReady });
      await app.listen({ host: ctx.config.host, port: ctx.config.port }).catch((error: Error) => {
        throw explainListenError(error, ctx.config.host, ctx.config.port, "TEND_PORT");
      });
      const address = app.server.address();
      const port = typeof address === "object" && address ? address.port : ctx.config.port;
      httpUrl = `http://${displayHost(ctx.config.host)}:${port}`;
    }
  } catch (error) {
    await stopAll();
    throw error;
  }

  let stopping: Promise<void> | null = null;
  return {
    httpUrl,
    smtpUrl,
    stop() {
      stopping ??= stopAll();
      return stopping;
    },
  };
}
