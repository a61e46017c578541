// No double survey mail in effect: a worker process is killed with SIGKILL while its SMTP transaction for a survey
// is in flight (the sink holds the DATA unanswered, so the mail was never accepted). Once the dead worker's lease
// runs out a new worker takes the job over, sends the same Message-ID, and the sink accepts exactly one mail.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { systemClock } from "../../src/clock.ts";
import { buildConfig } from "../../src/config.ts";
import { type Database, openPglite, openPostgres } from "../../src/db/client.ts";
import { migrateDatabase } from "../../src/db/migrate.ts";
import { createEventBus } from "../../src/events/event-bus.ts";
import { findOrCreateCustomerByIdentity } from "../../src/modules/customers/customers.service.ts";
import { requestSurvey } from "../../src/workflows/survey-follow-up.workflow.ts";
import { type SmtpSink, startSmtpSink } from "../smtp-sink.ts";
import { defaultPostgresAdminUrl, spawnTend, waitForOutput } from "./processes.ts";

const postgresReachable = await (async () => {
  const client = new pg.Client({ connectionString: defaultPostgresAdminUrl });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch (error) {
    if (process.env.CI) throw new Error(`CI needs PostgreSQL for the kill test: ${(error as Error).message}`);
    console.warn(
      `\n!! PostgreSQL not reachable at ${defaultPostgresAdminUrl}: SKIPPING the PostgreSQL kill test\n`,
    );
    return false;
  }
})();

type Backend = {
  env: Record<string, string>;
  withDatabase<T>(fn: (database: Database) => Promise<T>): Promise<T>;
  cleanup(): Promise<void>;
};

async function pgliteBackend(): Promise<Backend> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tend-survey-kill-"));
  return {
    env: { TEND_DATA_DIR: dir },
    async withDatabase(fn) {
      const database = await openPglite(path.join(dir, "pgdata"));
      try {
        return await fn(database);
      } finally {
        await database.close();
      }
    },
    async cleanup() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function postgresBackend(): Promise<Backend> {
  const name = `tend_survey_kill_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: defaultPostgresAdminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(defaultPostgresAdminUrl);
  url.pathname = `/${name}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tend-survey-kill-pg-"));
  return {
    env: { DATABASE_URL: url.toString(), TEND_DATA_DIR: dir },
    async withDatabase(fn) {
      const database = await openPostgres(url.toString(), 2);
      try {
        return await fn(database);
      } finally {
        await database.close();
      }
    },
    async cleanup() {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

type SendState = { status: string; attempts: number; mail_message_id: string };
type JobState = { status: string; attempts: number };

async function readState(database: Database, sendId: number) {
  const [send] = await database.query<SendState>(
    "select status, attempts, mail_message_id from survey_sends where id = $1",
    [sendId],
  );
  const [job] = await database.query<JobState>(
    "select status, attempts from jobs where name = 'survey.deliver' and (payload->>'sendId')::int = $1",
    [sendId],
  );
  return { send, job };
}

async function killDuringSend(backend: Backend, sink: SmtpSink, options: { inspectAfterKill: boolean }) {
  const mailDomain = "help.shop.test";
  const sendId = await backend.withDatabase(async (database) => {
    await migrateDatabase(database);
    const ctx = {
      db: database.db,
      database,
      clock: systemClock,
      events: createEventBus(),
      config: buildConfig({ mailDomain, publicUrl: "http://tend.test" }),
    };
    const { customerId } = await findOrCreateCustomerByIdentity(ctx, {
      kind: "email",
      value: "nadia@customer.example",
      name: "Nadia",
    });
    const send = await requestSurvey(ctx, { customerId, kind: "nps", channel: "email" });
    expect(send.status).toBe("queued");
    return send.id;
  });
  const env = {
    ...backend.env,
    TEND_SMTP_URL: sink.url,
    TEND_MAIL_DOMAIN: mailDomain,
    TEND_JOB_LEASE_SECONDS: "2",
    TEND_LOG_LEVEL: "warn",
  };

  const first = spawnTend(["serve", "--roles", "worker"], env);
  await sink.waitForHeld(1, 90_000);
  first.child.kill("SIGKILL");
  await first.exited;

  if (options.inspectAfterKill) {
    const afterKill = await backend.withDatabase((database) => readState(database, sendId));
    // Mid-send: the attempt is counted, the mail was never accepted, and the job still belongs to the dead worker.
    expect(afterKill.send).toMatchObject({ status: "sending", attempts: 1 });
    expect(afterKill.job).toMatchObject({ status: "running", attempts: 1 });
  }
  expect(sink.accepted).toHaveLength(0);

  sink.release();
  const second = spawnTend(["serve", "--roles", "worker"], env);
  await waitForOutput(second, /Background workers are running/);
  const [mail] = await sink.waitForAccepted(1, 60_000);
  second.child.kill("SIGTERM");
  expect(await second.exited).toBe(0);

  const done = await backend.withDatabase((database) => readState(database, sendId));
  expect(done.send).toMatchObject({ status: "sent", attempts: 2 });
  expect(done.job).toMatchObject({ status: "succeeded", attempts: 2 });
  expect(mail.parsed.messageId).toBe(`<${done.send.mail_message_id}>`);
  expect(mail.to).toEqual(["nadia@customer.example"]);
  // Exactly one mail in effect.
  expect(sink.accepted).toHaveLength(1);
  expect(sink.held()).toBe(1);
}

describe("SIGKILL while a survey mail is being sent", () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
  });

  it("sends it exactly once after another worker takes over, on PGlite", { timeout: 240_000 }, async () => {
    const backend = await pgliteBackend();
    const sink = await startSmtpSink({ holdFirst: true });
    cleanups.push(backend.cleanup, sink.close);
    await killDuringSend(backend, sink, { inspectAfterKill: false });
  });

  it.skipIf(!postgresReachable)(
    "sends it exactly once after another worker takes over, on PostgreSQL",
    { timeout: 240_000 },
    async () => {
      const backend = await postgresBackend();
      const sink = await startSmtpSink({ holdFirst: true });
      cleanups.push(backend.cleanup, sink.close);
      await killDuringSend(backend, sink, { inspectAfterKill: true });
    },
  );
});
