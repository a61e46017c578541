import { and, asc, desc, eq, inArray, lt, lte, or, type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { jobSchedules, jobs } from "../db/schema.ts";

// SQL for the job queue only. Every "now" arrives as a parameter from the injected clock; none of these
// statements read the database's now(), so tests can move time and several processes agree on one rule.

export type JobRow = typeof jobs.$inferSelect;
export type JobStatus = JobRow["status"];
export type JobScheduleRow = typeof jobSchedules.$inferSelect;

const pending = sql`${jobs.status} in ('queued', 'running')`;

/** Inserts a job; with a singleton key already queued or running, inserts nothing and returns null. */
export async function insertJob(
  db: Db,
  values: {
    name: string;
    payload: unknown;
    runAt: Date;
    maxAttempts: number;
    singletonKey: string | null;
    createdAt: Date;
  },
): Promise<JobRow | null> {
  const [row] = await db
    .insert(jobs)
    .values({ ...values, status: "queued", attempts: 0 })
    .onConflictDoNothing({ target: jobs.singletonKey, where: sql`status in ('queued', 'running')` })
    .returning();
  return row ?? null;
}

export async function findPendingJobBySingletonKey(db: Db, singletonKey: string): Promise<JobRow | null> {
  const [row] = await db
    .select()
    .from(jobs)
    .where(and(eq(jobs.singletonKey, singletonKey), pending))
    .limit(1);
  return row ?? null;
}

export async function findJobById(db: Db, id: number): Promise<JobRow | null> {
  const [row] = await db.select().from(jobs).where(eq(jobs.id, id)).limit(1);
  return row ?? null;
}

/**
 * Claims up to `limit` jobs for one worker: queued jobs whose time has come, and running jobs whose lease ran out
 * (their worker died). FOR UPDATE SKIP LOCKED lets several processes claim from one table without taking the
 * same job, and skips a job whose transactional handler still holds its row. Each claim counts as an attempt.
 */
export async function claimJobs(
  db: Db,
  options: { names: string[]; now: Date; lockedBy: string; lockedUntil: Date; limit: number },
): Promise<JobRow[]> {
  if (options.names.length === 0 || options.limit <= 0) return [];
  const due = db
    .select({ id: jobs.id })
    .from(jobs)
    .where(
      and(
        inArray(jobs.name, options.names),
        or(
          and(eq(jobs.status, "queued"), lte(jobs.runAt, options.now)),
          and(eq(jobs.status, "running"), lte(jobs.lockedUntil, options.now)),
        ),
      ),
    )
    .orderBy(asc(jobs.runAt), asc(jobs.id))
    .limit(options.limit)
    .for("update", { skipLocked: true });
  return db
    .update(jobs)
    .set({
      status: "running",
      attempts: sql`${jobs.attempts} + 1`,
      lockedBy: options.lockedBy,
      lockedUntil: options.lockedUntil,
      startedAt: options.now,
    })
    .where(inArray(jobs.id, due))
    .returning();
}

const heldBy = (id: number, lockedBy: string) =>
  and(eq(jobs.id, id), eq(jobs.status, "running"), eq(jobs.lockedBy, lockedBy));

/**
 * Inside a transactional handler's transaction: locks the job row if this worker still holds it. While the lock is
 * held no other worker can claim the job, even past its lease; if the process dies, the lock goes with it.
 */
export async function lockHeldJob(db: Db, id: number, lockedBy: string): Promise<boolean> {
  const rows = await db.select({ id: jobs.id }).from(jobs).where(heldBy(id, lockedBy)).for("update");
  return rows.length === 1;
}

export async function extendJobLease(
  db: Db,
  id: number,
  lockedBy: string,
  lockedUntil: Date,
): Promise<boolean> {
  const rows = await db
    .update(jobs)
    .set({ lockedUntil })
    .where(heldBy(id, lockedBy))
    .returning({ id: jobs.id });
  return rows.length === 1;
}

export async function markJobSucceeded(
  db: Db,
  id: number,
  lockedBy: string,
  finishedAt: Date,
): Promise<boolean> {
  const rows = await db
    .update(jobs)
    .set({ status: "succeeded", finishedAt, lockedBy: null, lockedUntil: null })
    .where(heldBy(id, lockedBy))
    .returning({ id: jobs.id });
  return rows.length === 1;
}

/** Records a failed attempt: back to the queue at `runAt`, or `failed` for good (runAt null). */
export async function markJobAttemptFailed(
  db: Db,
  id: number,
  lockedBy: string,
  outcome: { lastError: string; retryAt: Date | null; now: Date },
): Promise<boolean> {
  const rows = await db
    .update(jobs)
    .set(
      outcome.retryAt
        ? {
            status: "queued",
            runAt: outcome.retryAt,
            lastError: outcome.lastError,
            lockedBy: null,
            lockedUntil: null,
          }
        : {
            status: "failed",
            lastError: outcome.lastError,
            finishedAt: outcome.now,
            lockedBy: null,
            lockedUntil: null,
          },
    )
    .where(heldBy(id, lockedBy))
    .returning({ id: jobs.id });
  return rows.length === 1;
}

/** Jobs newest first, optionally of one status and name, before an id (for paging). */
export async function selectJobs(
  db: Db,
  filter: { status?: JobStatus; name?: string; beforeId?: number; limit: number },
): Promise<JobRow[]> {
  const conditions: SQL[] = [];
  if (filter.status) conditions.push(eq(jobs.status, filter.status));
  if (filter.name) conditions.push(eq(jobs.name, filter.name));
  if (filter.beforeId !== undefined) conditions.push(lt(jobs.id, filter.beforeId));
  return db
    .select()
    .from(jobs)
    .where(and(...conditions))
    .orderBy(desc(jobs.id))
    .limit(filter.limit);
}

export async function countJobsByStatus(db: Db): Promise<{ status: JobStatus; count: number }[]> {
  const rows = await db
    .select({ status: jobs.status, count: sql<number>`count(*)::int` })
    .from(jobs)
    .groupBy(jobs.status);
  return rows.map((row) => ({ status: row.status, count: Number(row.count) }));
}

/** A failed or cancelled job back in the queue with fresh attempts; null when the job is in another state. */
export async function requeueFinishedJob(db: Db, id: number, runAt: Date): Promise<JobRow | null> {
  const [row] = await db
    .update(jobs)
    .set({ status: "queued", runAt, attempts: 0, finishedAt: null, lockedBy: null, lockedUntil: null })
    .where(and(eq(jobs.id, id), inArray(jobs.status, ["failed", "cancelled"])))
    .returning();
  return row ?? null;
}

/** Cancels queued (not running) jobs by id or singleton key; returns the ids cancelled. */
export async function cancelQueuedJobs(
  db: Db,
  match: { id: number } | { singletonKey: string },
  finishedAt: Date,
): Promise<number[]> {
  const rows = await db
    .update(jobs)
    .set({ status: "cancelled", finishedAt })
    .where(
      and(
        eq(jobs.status, "queued"),
        "id" in match ? eq(jobs.id, match.id) : eq(jobs.singletonKey, match.singletonKey),
      ),
    )
    .returning({ id: jobs.id });
  return rows.map((row) => row.id);
}

/** Deletes succeeded and cancelled jobs that finished before `before`; failed ones stay visible. */
export async function deleteFinishedJobs(db: Db, before: Date): Promise<number> {
  const rows = await db
    .delete(jobs)
    .where(and(inArray(jobs.status, ["succeeded", "cancelled"]), lt(jobs.finishedAt, before)))
    .returning({ id: jobs.id });
  return rows.length;
}

// ---- Schedules ---------------------------------------------------------------------------------------------------

export async function selectJobSchedules(db: Db): Promise<JobScheduleRow[]> {
  return db.select().from(jobSchedules).orderBy(asc(jobSchedules.name));
}

export async function findJobSchedule(db: Db, name: string): Promise<JobScheduleRow | null> {
  const [row] = await db.select().from(jobSchedules).where(eq(jobSchedules.name, name)).limit(1);
  return row ?? null;
}

/** Inserts a schedule or replaces its definition; `enabled` is the operator's and is kept on update. */
export async function upsertJobScheduleRow(
  db: Db,
  values: Omit<JobScheduleRow, "lastRunAt" | "enabled"> & { enabled?: boolean },
): Promise<JobScheduleRow> {
  const { name, enabled, ...rest } = values;
  const [row] = await db
    .insert(jobSchedules)
    .values({ name, enabled: enabled ?? true, ...rest })
    .onConflictDoUpdate({
      target: jobSchedules.name,
      set: { ...rest, ...(enabled === undefined ? {} : { enabled }) },
    })
    .returning();
  return row;
}

/**
 * Locks the enabled schedules of these jobs that are due at `now`. SKIP LOCKED: a schedule another process is
 * firing right now is left to it; once that process commits, its next_run_at is past `now` and no longer matches.
 */
export async function lockDueJobSchedules(db: Db, jobNames: string[], now: Date): Promise<JobScheduleRow[]> {
  if (jobNames.length === 0) return [];
  return db
    .select()
    .from(jobSchedules)
    .where(
      and(
        eq(jobSchedules.enabled, true),
        lte(jobSchedules.nextRunAt, now),
        inArray(jobSchedules.jobName, jobNames),
      ),
    )
    .orderBy(asc(jobSchedules.nextRunAt))
    .for("update", { skipLocked: true });
}

export async function advanceJobSchedule(
  db: Db,
  name: string,
  times: { lastRunAt: Date; nextRunAt: Date },
): Promise<void> {
  await db.update(jobSchedules).set(times).where(eq(jobSchedules.name, name));
}
