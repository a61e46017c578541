import { sql } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { z } from "zod";
import { buildTestContext } from "../../test/app.ts";
import { describeDb, testBackend, useTestDatabase } from "../../test/db.ts";
import type { ServiceContext } from "../context.ts";
import { openPostgres } from "../db/client.ts";
import { withTransaction } from "../db/transaction.ts";
import { AppError } from "../errors.ts";
import type { TendEvent } from "../events/event-bus.ts";
import { defineJob, type JobDefinition, UnrecoverableJobError } from "./job-definition.ts";
import {
  cancelJobBySingletonKey,
  claimDueJobs,
  completeJob,
  enqueueDueScheduledJobs,
  enqueueJob,
  getJob,
  listJobSchedules,
  listJobs,
  retryJob,
  scheduleJob,
  syncJobSchedules,
} from "./job-queue.ts";
import { jobDefinitions } from "./job-registry.ts";
import { runDueJobs, startJobWorker } from "./job-worker.ts";
import { jobsCleanupJob } from "./jobs-cleanup.job.ts";

// The queue on a real database, with a manual clock: nothing here sleeps. Effects are rows in a test-only table
// without a unique constraint, so an effect that happened twice shows up as two rows instead of an error.

const minute = 60_000;

describeDb("job queue", () => {
  const database = useTestDatabase();

  beforeAll(async () => {
    await database.current.query(
      "create table test_job_effects (key text not null, attempt int not null, at timestamptz not null)",
    );
  });

  async function effects(keyPrefix: string): Promise<{ key: string; attempt: number }[]> {
    return database.current.query<{ key: string; attempt: number }>(
      "select key, attempt from test_job_effects where key like $1 order by key, attempt",
      [`${keyPrefix}%`],
    );
  }

  async function recordEffect(ctx: ServiceContext, key: string, attempt: number) {
    await ctx.db.execute(
      sql`insert into test_job_effects (key, attempt, at) values (${key}, ${attempt}, ${ctx.clock.now()})`,
    );
  }

  /** A transactional job that records `key` as its effect; each test names its own so tests share no jobs. */
  const defineRecordJob = (name: string) =>
    defineJob({
      name,
      payload: z.object({ key: z.string() }),
      async handler(ctx, payload, job) {
        await recordEffect(ctx, payload.key, job.attempts);
      },
    });

  it("does not run a delayed job before its time, and runs it once the clock passes it", async () => {
    const ctx = buildTestContext(database.current);
    const recordJob = defineRecordJob("test.delayed");
    const start = ctx.clock.now();
    const { id } = await enqueueJob(
      ctx,
      recordJob,
      { key: "delayed-1" },
      { runAt: new Date(start.getTime() + 10 * minute) },
    );

    expect(await runDueJobs(ctx, [recordJob])).toMatchObject({ succeeded: 0 });
    ctx.clock.advance(10 * minute - 1);
    expect(await runDueJobs(ctx, [recordJob])).toMatchObject({ succeeded: 0 });
    expect(await effects("delayed-")).toEqual([]);
    expect((await getJob(ctx, id)).status).toBe("queued");

    ctx.clock.advance(1);
    expect(await runDueJobs(ctx, [recordJob])).toMatchObject({ succeeded: 1 });
    expect(await effects("delayed-")).toEqual([{ key: "delayed-1", attempt: 1 }]);
    const done = await getJob(ctx, id);
    expect(done).toMatchObject({ status: "succeeded", attempts: 1, lockedBy: null });
    expect(done.finishedAt?.toISOString()).toBe(ctx.clock.now().toISOString());
    // Nothing runs twice: another pass finds nothing.
    expect(await runDueJobs(ctx, [recordJob])).toMatchObject({ succeeded: 0 });
  });

  it("retries a failing job on its backoff schedule and ends failed with the error visible", async () => {
    const ctx = buildTestContext(database.current);
    const seenAttemptsAt: string[] = [];
    const flakyUpstream = defineJob({
      name: "test.flaky-upstream",
      payload: z.object({ order: z.number() }),
      retry: { maxAttempts: 4, initialDelaySeconds: 60, factor: 2, maxDelaySeconds: 3600 },
      async handler(handlerCtx, _payload, job) {
        seenAttemptsAt.push(`${job.attempts}@${handlerCtx.clock.now().toISOString()}`);
        throw new Error(`upstream said no (${job.attempts})`);
      },
    });
    const start = ctx.clock.now().getTime();
    const at = (ms: number) => new Date(start + ms).toISOString();
    const { id } = await enqueueJob(ctx, flakyUpstream, { order: 7 });

    expect(await runDueJobs(ctx, [flakyUpstream])).toMatchObject({ retrying: 1 });
    // Backoff 60 s, 120 s, 240 s after the 1st, 2nd and 3rd failures: one second early nothing runs.
    for (const waitMs of [60_000, 120_000, 240_000]) {
      const job = await getJob(ctx, id);
      expect(job.status).toBe("queued");
      expect(job.runAt.getTime() - ctx.clock.now().getTime()).toBe(waitMs);
      ctx.clock.advance(waitMs - 1000);
      expect(await runDueJobs(ctx, [flakyUpstream])).toMatchObject({ retrying: 0, failed: 0 });
      ctx.clock.advance(1000);
      await runDueJobs(ctx, [flakyUpstream]);
    }
    expect(seenAttemptsAt).toEqual([`1@${at(0)}`, `2@${at(60_000)}`, `3@${at(180_000)}`, `4@${at(420_000)}`]);
    const failed = await getJob(ctx, id);
    expect(failed).toMatchObject({
      status: "failed",
      attempts: 4,
      lastError: "Attempt 4 of 4: upstream said no (4)",
    });
    expect((await listJobs(ctx, { status: "failed" })).map((job) => job.id)).toContain(id);
    ctx.clock.advance(24 * 3600_000);
    expect(await runDueJobs(ctx, [flakyUpstream])).toMatchObject({ retrying: 0, failed: 0 });

    // A person retries it: back in the queue with fresh attempts, the old error still shown until it runs.
    const requeued = await retryJob(ctx, id);
    expect(requeued).toMatchObject({
      status: "queued",
      attempts: 0,
      lastError: "Attempt 4 of 4: upstream said no (4)",
    });
    await expect(retryJob(ctx, id)).rejects.toMatchObject({ code: "conflict" });
  });

  it("fails at once on an unrecoverable error or a payload that no longer fits", async () => {
    const ctx = buildTestContext(database.current);
    const refuses = defineJob({
      name: "test.refuses",
      payload: z.object({ n: z.number() }),
      async handler() {
        throw new UnrecoverableJobError("the customer was deleted");
      },
    });
    const { id } = await enqueueJob(ctx, refuses, { n: 1 });
    await expect(enqueueJob(ctx, refuses, { n: "one" } as unknown as { n: number })).rejects.toMatchObject({
      code: "validation_failed",
    });
    expect(await runDueJobs(ctx, [refuses])).toMatchObject({ failed: 1, retrying: 0 });
    expect(await getJob(ctx, id)).toMatchObject({
      status: "failed",
      lastError: "Attempt 1 of 5: the customer was deleted",
    });

    // The job's schema changed after the job was stored.
    const stricter = defineJob({
      name: refuses.name,
      payload: z.object({ n: z.number(), currency: z.string() }),
      handler: refuses.handler,
    });
    const stale = await enqueueJob(ctx, refuses, { n: 2 });
    expect(await runDueJobs(ctx, [stricter])).toMatchObject({ failed: 1 });
    expect((await getJob(ctx, stale.id)).lastError).toMatch(
      /payload does not match job test.refuses: currency/,
    );
  });

  it("rolls a transactional handler's effects back when it throws, and applies them once when it succeeds", async () => {
    const ctx = buildTestContext(database.current);
    const events: TendEvent[] = [];
    ctx.events.subscribe((event) => events.push(event));
    const followUp = defineJob({ name: "test.follow-up", payload: z.object({}), async handler() {} });
    const chargeOnce = defineJob({
      name: "test.charge-once",
      payload: z.object({ key: z.string() }),
      retry: { initialDelaySeconds: 30 },
      async handler(handlerCtx, payload, job) {
        await recordEffect(handlerCtx, payload.key, job.attempts);
        await enqueueJob(handlerCtx, followUp, {}, { singletonKey: `follow-up:${payload.key}` });
        if (job.attempts === 1) throw new Error("lost the connection to the payment provider");
      },
    });
    const { id } = await enqueueJob(ctx, chargeOnce, { key: "charge-1" });
    events.length = 0;

    expect(await runDueJobs(ctx, [chargeOnce])).toMatchObject({ retrying: 1 });
    expect(await effects("charge-")).toEqual([]);
    expect(await listJobs(ctx, { name: "test.follow-up" })).toEqual([]);
    // The follow-up's event was held back with its transaction and dropped with it.
    expect(events).toEqual([]);

    ctx.clock.advance(30_000);
    expect(await runDueJobs(ctx, [chargeOnce])).toMatchObject({ succeeded: 1 });
    expect(await effects("charge-")).toEqual([{ key: "charge-1", attempt: 2 }]);
    expect(await listJobs(ctx, { name: "test.follow-up" })).toHaveLength(1);
    expect(events).toEqual([{ type: "job.enqueued", name: "test.follow-up" }]);
    expect(await getJob(ctx, id)).toMatchObject({ status: "succeeded", attempts: 2 });
    ctx.clock.advance(3600_000);
    expect(await runDueJobs(ctx, [chargeOnce])).toMatchObject({ succeeded: 0 });
    expect(await effects("charge-")).toHaveLength(1);
  });

  it("creates a job exactly when the caller's transaction commits", async () => {
    const ctx = buildTestContext(database.current);
    const recordJob = defineRecordJob("test.in-transaction");
    const events: TendEvent[] = [];
    ctx.events.subscribe((event) => events.push(event));
    await expect(
      withTransaction(ctx, async (tx) => {
        await enqueueJob(tx, recordJob, { key: "tx-rolled-back" });
        throw new AppError("conflict", "the ticket changed meanwhile");
      }),
    ).rejects.toThrow("the ticket changed meanwhile");
    expect(events).toEqual([]);
    const committed = await withTransaction(ctx, (tx) => enqueueJob(tx, recordJob, { key: "tx-committed" }));
    expect(events).toEqual([{ type: "job.enqueued", name: "test.in-transaction" }]);
    await runDueJobs(ctx, [recordJob]);
    expect(await effects("tx-")).toEqual([{ key: "tx-committed", attempt: 1 }]);
    expect((await getJob(ctx, committed.id)).status).toBe("succeeded");
  });

  it("keeps one pending job per singleton key", async () => {
    const ctx = buildTestContext(database.current);
    const recordJob = defineRecordJob("test.singleton");
    const later = new Date(ctx.clock.now().getTime() + 15 * minute);
    const first = await enqueueJob(
      ctx,
      recordJob,
      { key: "escalate-42" },
      { runAt: later, singletonKey: "escalate:42" },
    );
    const second = await enqueueJob(ctx, recordJob, { key: "escalate-42b" }, { singletonKey: "escalate:42" });
    expect(first.created).toBe(true);
    expect(second).toEqual({ id: first.id, created: false });
    const pending = (await listJobs(ctx, { name: "test.singleton" })).filter(
      (job) => job.singletonKey === "escalate:42",
    );
    expect(pending.map((job) => job.id)).toEqual([first.id]);

    // Cancelled (the ticket was answered): the key is free again.
    expect(await cancelJobBySingletonKey(ctx, "escalate:42")).toBe(true);
    const third = await enqueueJob(ctx, recordJob, { key: "escalate-42c" }, { singletonKey: "escalate:42" });
    expect(third.created).toBe(true);
    await runDueJobs(ctx, [recordJob]);
    expect(await effects("escalate-42")).toEqual([{ key: "escalate-42c", attempt: 1 }]);
    // Done: a new job with the same key may be queued.
    expect(
      (await enqueueJob(ctx, recordJob, { key: "escalate-42d" }, { singletonKey: "escalate:42" })).created,
    ).toBe(true);
    // The cancelled job cannot come back while another with its key is pending.
    await expect(retryJob(ctx, first.id)).rejects.toMatchObject({ code: "conflict" });
  });

  it("gives a job whose worker died to another worker once the lease runs out", async () => {
    const ctx = buildTestContext(database.current);
    const recordJob = defineRecordJob("test.lease");
    const { id } = await enqueueJob(ctx, recordJob, { key: "lease-1" });
    const [claimed] = await claimDueJobs(ctx, {
      names: [recordJob.name],
      workerId: "dead-worker",
      leaseMs: 60_000,
      limit: 1,
    });
    expect(claimed.id).toBe(id);
    // The dead worker's job is not taken while its lease lasts...
    ctx.clock.advance(59_000);
    expect(await runDueJobs(ctx, [recordJob], { workerId: "live-worker", leaseMs: 60_000 })).toMatchObject({
      succeeded: 0,
    });
    // ...and is run by the next worker once it has expired.
    ctx.clock.advance(1000);
    expect(await runDueJobs(ctx, [recordJob], { workerId: "live-worker", leaseMs: 60_000 })).toMatchObject({
      succeeded: 1,
    });
    expect(await getJob(ctx, id)).toMatchObject({ status: "succeeded", attempts: 2 });
    expect(await effects("lease-")).toEqual([{ key: "lease-1", attempt: 2 }]);
    // The first worker coming back cannot mark a job it no longer holds.
    expect(await completeJob(ctx, claimed, "dead-worker")).toBe(false);

    // A job whose workers keep dying fails once its attempts are used up, instead of looping.
    const fragile = await enqueueJob(ctx, recordJob, { key: "lease-2" }, { maxAttempts: 1 });
    await claimDueJobs(ctx, { names: [recordJob.name], workerId: "dead-worker", leaseMs: 60_000, limit: 1 });
    ctx.clock.advance(60_000);
    expect(await runDueJobs(ctx, [recordJob])).toMatchObject({ failed: 1 });
    expect((await getJob(ctx, fragile.id)).lastError).toMatch(
      /^Attempt 1 of 1 did not finish: its worker stopped/,
    );
  });

  it("runs a non-transactional handler outside a transaction and records its failure", async () => {
    const ctx = buildTestContext(database.current);
    const calls: string[] = [];
    const webhook = defineJob({
      name: "test.webhook",
      payload: z.object({ url: z.string() }),
      transactional: false,
      retry: { initialDelaySeconds: 10 },
      async handler(handlerCtx, payload, job) {
        // Written on the pool, so it stays even though the attempt then fails.
        await recordEffect(handlerCtx, `webhook-${job.attempts}`, job.attempts);
        calls.push(payload.url);
        if (job.attempts === 1) throw new Error("503 from receiver");
      },
    });
    const { id } = await enqueueJob(ctx, webhook, { url: "https://shop.example/hook" });
    expect(await runDueJobs(ctx, [webhook])).toMatchObject({ retrying: 1 });
    ctx.clock.advance(10_000);
    expect(await runDueJobs(ctx, [webhook])).toMatchObject({ succeeded: 1 });
    expect(calls).toHaveLength(2);
    expect(await effects("webhook-")).toHaveLength(2);
    expect(await getJob(ctx, id)).toMatchObject({
      status: "succeeded",
      lastError: "Attempt 1 of 5: 503 from receiver",
    });
  });

  it("wakes a started worker when a job is enqueued in the same process", async () => {
    const ctx = buildTestContext(database.current);
    let ran: (key: string) => void = () => undefined;
    const done = new Promise<string>((resolve) => {
      ran = resolve;
    });
    const wakeJob = defineJob({
      name: "test.wake",
      payload: z.object({ key: z.string() }),
      async handler(handlerCtx, payload) {
        await recordEffect(handlerCtx, payload.key, 1);
        ran(payload.key);
      },
    });
    // Polling once an hour: only the job.enqueued event can make it run within the test.
    const worker = startJobWorker(ctx, { definitions: [wakeJob], pollMs: 3600_000 });
    try {
      await withTransaction(ctx, (tx) => enqueueJob(tx, wakeJob, { key: "wake-1" }));
      expect(await done).toBe("wake-1");
    } finally {
      await worker.stop();
    }
    expect(await effects("wake-")).toEqual([{ key: "wake-1", attempt: 1 }]);
    expect((await listJobs(ctx, { name: "test.wake" }))[0]).toMatchObject({ status: "succeeded" });
  });

  /** Steps the clock from `from` to `to` in `stepMs`, running due schedules and jobs at every step. */
  async function stepThrough(
    ctx: ReturnType<typeof buildTestContext>,
    definitions: JobDefinition[],
    to: string,
    stepMs: number,
  ) {
    while (ctx.clock.now().getTime() < new Date(to).getTime()) {
      ctx.clock.advance(stepMs);
      await runDueJobs(ctx, definitions);
    }
  }

  it("fires a daily schedule in Europe/Berlin once per slot across the spring DST change, and once after downtime", async () => {
    const ctx = buildTestContext(database.current, {});
    ctx.clock.set("2026-03-26T12:00:00Z");
    const slots: string[] = [];
    const morningReport = defineJob({
      name: "test.morning-report",
      payload: z.object({ team: z.string() }),
      async handler(handlerCtx, payload, job) {
        slots.push(job.runAt.toISOString());
        await recordEffect(handlerCtx, `report-${payload.team}-${job.runAt.toISOString()}`, job.attempts);
      },
    });
    await scheduleJob(ctx, {
      job: morningReport,
      cron: "0 9 * * *",
      timeZone: "Europe/Berlin",
      payload: { team: "eu" },
    });

    // 2026-03-29: clocks go from 02:00 to 03:00 in Berlin; 09:00 local moves from 08:00Z to 07:00Z.
    await stepThrough(ctx, [morningReport], "2026-03-31T00:00:00Z", 60 * minute);
    expect(slots).toEqual([
      "2026-03-27T08:00:00.000Z",
      "2026-03-28T08:00:00.000Z",
      "2026-03-29T07:00:00.000Z",
      "2026-03-30T07:00:00.000Z",
    ]);
    expect(await effects("report-eu-")).toHaveLength(4);

    // Down for five days: the missed slots run once, not five times, and the schedule resumes after now.
    ctx.clock.set("2026-04-04T12:00:00Z");
    expect(await runDueJobs(ctx, [morningReport])).toMatchObject({ succeeded: 1 });
    expect(slots).toHaveLength(5);
    const [schedule] = (await listJobSchedules(ctx)).filter((s) => s.name === "test.morning-report");
    expect(schedule.nextRunAt.toISOString()).toBe("2026-04-05T07:00:00.000Z");
    expect(schedule.lastRunAt?.toISOString()).toBe("2026-03-31T07:00:00.000Z");

    // Saving the same schedule again (every worker start does) keeps its next slot.
    await scheduleJob(ctx, {
      job: morningReport,
      cron: "0 9 * * *",
      timeZone: "Europe/Berlin",
      payload: { team: "eu" },
    });
    const [again] = (await listJobSchedules(ctx)).filter((s) => s.name === "test.morning-report");
    expect(again.nextRunAt.toISOString()).toBe("2026-04-05T07:00:00.000Z");
  });

  it("fires at 02:30 Berlin once on the autumn night whose 02:30 happens twice", async () => {
    const ctx = buildTestContext(database.current);
    ctx.clock.set("2026-10-23T12:00:00Z");
    const slots: string[] = [];
    const nightly = defineJob({
      name: "test.nightly-model",
      payload: z.object({}),
      async handler(_ctx, _payload, job) {
        slots.push(job.runAt.toISOString());
      },
    });
    await scheduleJob(ctx, { job: nightly, cron: "30 2 * * *", timeZone: "Europe/Berlin", payload: {} });
    await stepThrough(ctx, [nightly], "2026-10-27T00:00:00Z", 30 * minute);
    // 2026-10-25: 03:00 CEST becomes 02:00 CET, so 02:30 local is both 00:30Z and 01:30Z.
    expect(slots).toEqual([
      "2026-10-24T00:30:00.000Z",
      "2026-10-25T00:30:00.000Z",
      "2026-10-26T01:30:00.000Z",
    ]);
  });

  it("refuses a schedule with a bad cron expression or time zone", async () => {
    const ctx = buildTestContext(database.current);
    const recordJob = defineRecordJob("test.bad-schedule");
    await expect(
      scheduleJob(ctx, { job: recordJob, cron: "0 9 * *", payload: { key: "x" } }),
    ).rejects.toMatchObject({
      code: "validation_failed",
    });
    await expect(
      scheduleJob(ctx, {
        job: recordJob,
        cron: "0 9 * * *",
        timeZone: "Mars/Olympus",
        payload: { key: "x" },
      }),
    ).rejects.toMatchObject({ code: "validation_failed", message: expect.stringMatching(/not a time zone/) });
  });

  it("cleans up succeeded jobs older than 14 days every night, keeping failed ones", async () => {
    const ctx = buildTestContext(database.current);
    ctx.clock.set("2027-02-01T12:00:00Z");
    const oldNews = defineRecordJob("test.cleanup-subject");
    const failing = defineJob({
      name: "test.cleanup-failing",
      payload: z.object({}),
      retry: { maxAttempts: 1 },
      async handler() {
        throw new Error("kept for a person to see");
      },
    });
    const old = await enqueueJob(ctx, oldNews, { key: "cleanup-old" });
    const failed = await enqueueJob(ctx, failing, {});
    await runDueJobs(ctx, [oldNews, failing]);
    ctx.clock.advance(10 * 24 * 3600_000);
    const recent = await enqueueJob(ctx, oldNews, { key: "cleanup-recent" });
    await runDueJobs(ctx, [oldNews]);
    ctx.clock.advance(5 * 24 * 3600_000);

    // What a worker does at start: save the built-in schedule, then run what is due (the cleanup job alone here;
    // the registry's other schedules, such as the SLA sweep every minute, would be counted too).
    await syncJobSchedules(ctx, jobDefinitions);
    const [schedule] = (await listJobSchedules(ctx)).filter((s) => s.name === jobsCleanupJob.name);
    expect(schedule).toMatchObject({ cronExpression: "17 3 * * *", timeZone: "UTC", enabled: true });
    expect(await runDueJobs(ctx, [jobsCleanupJob])).toMatchObject({ succeeded: 0 });
    ctx.clock.set(schedule.nextRunAt);
    expect(await runDueJobs(ctx, [jobsCleanupJob])).toMatchObject({ succeeded: 1 });

    const left = await listJobs(ctx, { limit: 200 });
    const ids = left.map((job) => job.id);
    expect(ids).not.toContain(old.id);
    expect(ids).toContain(recent.id);
    expect(ids).toContain(failed.id);
    // The cleanup's own run is recorded like any other job.
    expect(left.find((job) => job.name === jobsCleanupJob.name)).toMatchObject({ status: "succeeded" });
  });

  it.skipIf(testBackend !== "postgres")(
    "runs 500 jobs from two workers on separate pools, each effect exactly once (PostgreSQL only: PGlite is one connection in one process)",
    async () => {
      const url = (database.current as { url?: string }).url;
      if (!url) throw new Error("the PostgreSQL test database has no URL");
      const second = await openPostgres(url, 5);
      try {
        const clock = buildTestContext(database.current).clock;
        const ctxA = buildTestContext(database.current, { clock });
        const ctxB = buildTestContext(second, { clock });
        const bulk = defineJob({
          name: "test.bulk",
          payload: z.object({ key: z.string() }),
          retry: { maxAttempts: 1000 },
          async handler(handlerCtx, payload, job) {
            await recordEffect(handlerCtx, payload.key, job.attempts);
          },
        });
        for (let i = 0; i < 250; i++) await enqueueJob(ctxA, bulk, { key: `bulk-a-${i}` });
        const [a, b] = await Promise.all([
          runDueJobs(ctxA, [bulk], { concurrency: 4, workerId: "worker-a" }),
          runDueJobs(ctxB, [bulk], { concurrency: 4, workerId: "worker-b" }),
        ]);
        expect(a.succeeded + b.succeeded).toBe(250);
        // Both workers did part of the work.
        expect(a.succeeded).toBeGreaterThan(0);
        expect(b.succeeded).toBeGreaterThan(0);

        // A zero lease: every running job counts as abandoned at once, so the workers keep trying to take jobs
        // from each other. Only the row lock held by a transactional handler keeps each effect single.
        for (let i = 0; i < 250; i++) await enqueueJob(ctxA, bulk, { key: `bulk-b-${i}` });
        const [c, d] = await Promise.all([
          runDueJobs(ctxA, [bulk], { concurrency: 4, workerId: "worker-a", leaseMs: 0 }),
          runDueJobs(ctxB, [bulk], { concurrency: 4, workerId: "worker-b", leaseMs: 0 }),
        ]);
        expect(c.succeeded + d.succeeded).toBe(250);
        // Jobs really were taken over mid-run (their first worker gave up without committing anything).
        expect(c.lost + d.lost).toBeGreaterThan(0);

        const counts = await database.current.query<{ key: string; n: number }>(
          "select key, count(*)::int as n from test_job_effects where key like 'bulk-%' group by key",
        );
        expect(counts).toHaveLength(500);
        expect(counts.filter((row) => Number(row.n) !== 1)).toEqual([]);
        const statuses = await database.current.query<{ status: string; n: number }>(
          "select status, count(*)::int as n from jobs where name = 'test.bulk' group by status",
        );
        expect(statuses).toEqual([{ status: "succeeded", n: 500 }]);

        // Two processes firing the same due schedule at once enqueue one job for the slot.
        await scheduleJob(ctxA, {
          name: "bulk-hourly",
          job: bulk,
          cron: "0 * * * *",
          payload: { key: "bulk-hourly" },
        });
        clock.advance(3600_000);
        const fired = await Promise.all([
          enqueueDueScheduledJobs(ctxA, [bulk]),
          enqueueDueScheduledJobs(ctxB, [bulk]),
        ]);
        expect(fired[0] + fired[1]).toBe(1);
      } finally {
        await second.close();
      }
    },
  );
});
