// No job lost or run twice in effect: a worker process is killed with SIGKILL while a transactional job is in the
// middle of its transaction; a new worker takes the job over once the lease has run out, and the job's effect is
// recorded exactly once.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { systemClock } from "../../src/clock.ts";
import { type Database, openPglite, openPostgres } from "../../src/db/client.ts";
import { migrateDatabase } from "../../src/db/migrate.ts";
import { createEventBus } from "../../src/events/event-bus.ts";
import { enqueueJob } from "../../src/jobs/job-queue.ts";
import { defaultPostgresAdminUrl, spawnTend, spawnTypeScript, waitForOutput } from "./processes.ts";
import { slowEffectJob, slowEffectTableSql } from "./slow-effect.job.ts";

const postgresReachable = await (async () => {
  const client = new pg.Client({ connectionString: defaultPostgresAdminUrl });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch (error) {
    if (process.env.CI)
      throw new Error(`CI needs PostgreSQL for the job kill test: ${(error as Error).message}`);
    console.warn(
      `\n!! PostgreSQL not reachable at ${defaultPostgresAdminUrl}: SKIPPING the PostgreSQL job kill test\n`,
    );
    return false;
  }
})();

type Backend = {
  env: Record<string, string>;
  /** Opens the database from the test process while no worker holds it (PGlite allows one process at a time). */
  withDatabase<T>(fn: (database: Database) => Promise<T>): Promise<T>;
  cleanup(): Promise<void>;
};

async function pgliteBackend(): Promise<Backend> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tend-jobs-kill-"));
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
  const name = `tend_jobs_kill_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: defaultPostgresAdminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(defaultPostgresAdminUrl);
  url.pathname = `/${name}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tend-jobs-kill-pg-"));
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

type JobState = { status: string; attempts: number; locked_until: Date | null; started_at: Date | null };

async function readJob(database: Database, key: string) {
  const [job] = await database.query<JobState>(
    "select status, attempts, locked_until, started_at from jobs where name = $1 and payload->>'key' = $2",
    [slowEffectJob.name, key],
  );
  const effects = await database.query<{ attempt: number }>(
    "select attempt from e2e_job_effects where key = $1 order by attempt",
    [key],
  );
  return { job, effects: effects.map((row) => Number(row.attempt)) };
}

async function killDuringJob(backend: Backend, options: { inspectAfterKill: boolean; checkCli: boolean }) {
  const key = `job-${randomBytes(4).toString("hex")}`;
  await backend.withDatabase(async (database) => {
    await migrateDatabase(database);
    await database.query(slowEffectTableSql);
    const ctx = { db: database.db, clock: systemClock, events: createEventBus() };
    await enqueueJob(ctx, slowEffectJob, { key, holdFirstAttemptMs: 120_000 });
  });
  // A short lease so the takeover comes within seconds, not the default minute.
  const env = { ...backend.env, TEND_JOB_LEASE_SECONDS: "2", TEND_LOG_LEVEL: "warn" };

  const first = spawnTypeScript("test/e2e/job-worker-process.ts", env);
  await waitForOutput(first, new RegExp(`e2e job ${key} attempt 1 wrote its effect`));
  first.child.kill("SIGKILL");
  await first.exited;

  // Killed inside the handler's transaction: the job is still "running" under the dead worker's lease, and the
  // effect it wrote was never committed. (Looked at on PostgreSQL only, where it costs nothing; opening the
  // embedded database from here takes seconds, and the end state below shows the same.)
  let deadLeaseUntil: Date | null = null;
  if (options.inspectAfterKill) {
    const afterKill = await backend.withDatabase((database) => readJob(database, key));
    expect(afterKill.job).toMatchObject({ status: "running", attempts: 1 });
    expect(afterKill.effects).toEqual([]);
    deadLeaseUntil = afterKill.job.locked_until;
    expect(deadLeaseUntil).toBeInstanceOf(Date);
  }

  const second = spawnTypeScript("test/e2e/job-worker-process.ts", env);
  await waitForOutput(second, new RegExp(`e2e job ${key} attempt 2 finishing`));
  // A graceful stop waits for the job in hand, which commits its effect together with "succeeded".
  second.child.kill("SIGTERM");
  expect(await second.exited).toBe(0);
  expect(second.output()).not.toMatch(new RegExp(`e2e job ${key} attempt 3`));

  const done = await backend.withDatabase((database) => readJob(database, key));
  expect(done.job).toMatchObject({ status: "succeeded", attempts: 2 });
  // Attempt 1's effect was rolled back with its transaction; only attempt 2's is there.
  expect(done.effects).toEqual([2]);
  if (deadLeaseUntil) {
    // The new worker waited for the dead one's lease to run out.
    expect(done.job.started_at?.getTime()).toBeGreaterThanOrEqual(deadLeaseUntil.getTime());
  }

  if (!options.checkCli) return;
  // And an operator sees it the same way.
  const list = spawnTend(["jobs", "list", "--name", slowEffectJob.name], backend.env);
  expect(await list.exited).toBe(0);
  expect(list.output()).toMatch(/\te2e\.slow-effect\tsucceeded\tattempt 2\/3\t/);
}

describe("SIGKILL during a job", () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
  });

  // Creating an embedded database runs initdb, which took 25 s or more on a busy two-core machine, and every other
  // process opening it costs seconds; the in-between look and the CLI check are left to the PostgreSQL run.
  it("runs the job's effect exactly once after a restart on PGlite", { timeout: 240_000 }, async () => {
    const backend = await pgliteBackend();
    cleanups.push(backend.cleanup);
    await killDuringJob(backend, { inspectAfterKill: false, checkCli: false });
  });

  it.skipIf(!postgresReachable)(
    "runs the job's effect exactly once after another worker takes over on PostgreSQL",
    { timeout: 240_000 },
    async () => {
      const backend = await postgresBackend();
      cleanups.push(backend.cleanup);
      await killDuringJob(backend, { inspectAfterKill: true, checkCli: true });
    },
  );
});
