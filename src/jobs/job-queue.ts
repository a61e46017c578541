import type { z } from "zod";
import type { ServiceContext } from "../context.ts";
import { withTransaction } from "../db/transaction.ts";
import { isUniqueViolation } from "../db/unique-violation.ts";
import { conflict, notFound, validationFailed } from "../errors.ts";
import {
  describeCronProblem,
  type JobDefinition,
  type JobRetryPolicy,
  nextCronOccurrence,
  resolveRetryPolicy,
  retryDelayMs,
} from "./job-definition.ts";
import {
  advanceJobSchedule,
  cancelQueuedJobs,
  claimJobs,
  countJobsByStatus,
  deleteFinishedJobs,
  extendJobLease,
  findJobById,
  findJobSchedule,
  findPendingJobBySingletonKey,
  insertJob,
  type JobRow,
  type JobScheduleRow,
  type JobStatus,
  lockDueJobSchedules,
  lockHeldJob,
  markJobAttemptFailed,
  markJobSucceeded,
  requeueFinishedJob,
  selectJobSchedules,
  selectJobs,
  upsertJobScheduleRow,
} from "./jobs.repo.ts";

export type { JobRow, JobScheduleRow, JobStatus };

export type EnqueueJobOptions = {
  /** Not before this time (default: now, by ctx.clock). */
  runAt?: Date;
  /** At most one queued or running job per key; enqueueing a key that is pending keeps the pending job. */
  singletonKey?: string;
  /** Overrides the definition's retry policy for this job. */
  maxAttempts?: number;
};

export type EnqueuedJob = { id: number; created: boolean };

/**
 * Adds a job. Runs on `ctx.db`, which may be the caller's transaction: the job then exists exactly when the change
 * that asked for it commits. With a singleton key that is already queued or running, returns that job
 * (`created: false`). Publishes `job.enqueued` so a worker in this process (or, through LISTEN/NOTIFY, another)
 * wakes at once; inside `withTransaction` that happens after the commit.
 */
export async function enqueueJob<S extends z.ZodType>(
  ctx: ServiceContext,
  job: JobDefinition<S>,
  payload: z.input<S>,
  options: EnqueueJobOptions = {},
): Promise<EnqueuedJob> {
  const parsed = job.payload.safeParse(payload);
  if (!parsed.success) {
    throw validationFailed(`Job ${job.name}: the payload does not match its schema`, {
      issues: parsed.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message })),
    });
  }
  const maxAttempts = options.maxAttempts ?? resolveRetryPolicy(job).maxAttempts;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw validationFailed(`Job ${job.name}: maxAttempts must be a whole number of at least 1`);
  }
  const now = ctx.clock.now();
  const singletonKey = options.singletonKey ?? null;
  // A conflicting pending job can finish between the insert and the look-up; then the insert is tried again.
  for (let round = 0; round < 3; round++) {
    const row = await insertJob(ctx.db, {
      name: job.name,
      payload: payload ?? null,
      runAt: options.runAt ?? now,
      maxAttempts,
      singletonKey,
      createdAt: now,
    });
    if (row) {
      ctx.events.publish({ type: "job.enqueued", name: job.name });
      return { id: row.id, created: true };
    }
    if (singletonKey === null) break;
    const existing = await findPendingJobBySingletonKey(ctx.db, singletonKey);
    if (existing) return { id: existing.id, created: false };
  }
  throw conflict(`Job ${job.name}: could not enqueue with singleton key ${singletonKey ?? "(none)"}`);
}

/** Cancels a queued job (a running one is left to finish). Returns whether it was cancelled. */
export async function cancelJob(ctx: ServiceContext, id: number): Promise<boolean> {
  const cancelled = await cancelQueuedJobs(ctx.db, { id }, ctx.clock.now());
  return cancelled.length > 0;
}

/** Cancels the queued job with this singleton key, e.g. the pending escalation of a ticket that was answered. */
export async function cancelJobBySingletonKey(ctx: ServiceContext, singletonKey: string): Promise<boolean> {
  const cancelled = await cancelQueuedJobs(ctx.db, { singletonKey }, ctx.clock.now());
  return cancelled.length > 0;
}

export type JobListFilter = { status?: JobStatus; name?: string; beforeId?: number; limit?: number };

/** Jobs newest first, for `tend jobs list` and the admin API. */
export async function listJobs(ctx: ServiceContext, filter: JobListFilter = {}): Promise<JobRow[]> {
  return selectJobs(ctx.db, { ...filter, limit: filter.limit ?? 50 });
}

export async function getJob(ctx: ServiceContext, id: number): Promise<JobRow> {
  const row = await findJobById(ctx.db, id);
  if (!row) throw notFound("Job", id);
  return row;
}

export async function countJobs(ctx: ServiceContext): Promise<Record<JobStatus, number>> {
  const counts: Record<JobStatus, number> = { queued: 0, running: 0, succeeded: 0, failed: 0, cancelled: 0 };
  for (const { status, count } of await countJobsByStatus(ctx.db)) counts[status] = count;
  return counts;
}

/** Puts a failed or cancelled job back in the queue, due now, with its attempts reset; the last error stays. */
export async function retryJob(ctx: ServiceContext, id: number): Promise<JobRow> {
  const job = await getJob(ctx, id);
  let requeued: JobRow | null;
  try {
    requeued = await requeueFinishedJob(ctx.db, id, ctx.clock.now());
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    throw conflict(
      `Job ${id} cannot be retried: job with singleton key ${job.singletonKey} is already pending`,
      {
        singletonKey: job.singletonKey,
      },
    );
  }
  if (!requeued) {
    throw conflict(`Job ${id} is ${job.status}; only failed or cancelled jobs can be retried`, {
      status: job.status,
    });
  }
  ctx.events.publish({ type: "job.enqueued", name: requeued.name });
  return requeued;
}

/** Removes succeeded and cancelled jobs that finished before `before`. */
export async function purgeFinishedJobs(ctx: ServiceContext, before: Date): Promise<number> {
  return deleteFinishedJobs(ctx.db, before);
}

// ---- What workers use: claim, complete, fail ----------------------------------------------------------------------

/** Claims due jobs of the given kinds for `workerId` until now + leaseMs (times from ctx.clock). */
export async function claimDueJobs(
  ctx: ServiceContext,
  options: { names: string[]; workerId: string; leaseMs: number; limit: number },
): Promise<JobRow[]> {
  const now = ctx.clock.now();
  return claimJobs(ctx.db, {
    names: options.names,
    now,
    lockedBy: options.workerId,
    lockedUntil: new Date(now.getTime() + options.leaseMs),
    limit: options.limit,
  });
}

/**
 * Inside the transaction of a transactional handler: locks the job's row if this worker still holds the job. No
 * other worker can claim it while the lock is held, even past the lease; if the process dies, the lock goes too.
 */
export async function lockClaimedJob(ctx: ServiceContext, job: JobRow, workerId: string): Promise<boolean> {
  return lockHeldJob(ctx.db, job.id, workerId);
}

/** Moves the lease of a job this worker holds to now + leaseMs; false when it no longer holds the job. */
export async function renewJobLease(
  ctx: ServiceContext,
  job: JobRow,
  workerId: string,
  leaseMs: number,
): Promise<boolean> {
  return extendJobLease(ctx.db, job.id, workerId, new Date(ctx.clock.now().getTime() + leaseMs));
}

/** Marks a job this worker holds as succeeded; false when the worker no longer holds it (its lease was taken). */
export async function completeJob(ctx: ServiceContext, job: JobRow, workerId: string): Promise<boolean> {
  return markJobSucceeded(ctx.db, job.id, workerId, ctx.clock.now());
}

/**
 * Records a failed attempt: queued again after the policy's backoff, or `failed` with the error kept once the
 * attempts are used up (or at once when `retryable` is false).
 */
export async function failJobAttempt(
  ctx: ServiceContext,
  job: JobRow,
  workerId: string,
  failure: { message: string; retryable: boolean; policy: JobRetryPolicy },
): Promise<"retrying" | "failed" | "lost"> {
  const now = ctx.clock.now();
  const retryAt =
    failure.retryable && job.attempts < job.maxAttempts
      ? new Date(now.getTime() + retryDelayMs(failure.policy, job.attempts))
      : null;
  const lastError = failure.message.slice(0, 4000);
  const recorded = await markJobAttemptFailed(ctx.db, job.id, workerId, { lastError, retryAt, now });
  if (!recorded) return "lost";
  return retryAt ? "retrying" : "failed";
}

// ---- Recurring schedules -----------------------------------------------------------------------------------------

export type ScheduleJobInput<S extends z.ZodType> = {
  /** The schedule's name (default: the job's name), its key in job_schedules. */
  name?: string;
  job: JobDefinition<S>;
  /** Five-field cron (minute hour day-of-month month day-of-week) read as wall time in `timeZone`. */
  cron: string;
  timeZone?: string;
  payload: z.input<S>;
  enabled?: boolean;
};

/**
 * Creates or changes a recurring schedule. The next run is the first slot after now; changing the cron or time
 * zone recomputes it, re-saving the same schedule keeps it (so a restart never skips or repeats a slot).
 */
export async function scheduleJob<S extends z.ZodType>(
  ctx: ServiceContext,
  input: ScheduleJobInput<S>,
): Promise<JobScheduleRow> {
  const name = input.name ?? input.job.name;
  const timeZone = input.timeZone ?? "UTC";
  const cron = input.cron.trim();
  const problem = describeCronProblem(cron, timeZone);
  if (problem) throw validationFailed(`Schedule ${name}: ${problem}`, { cron, timeZone });
  const parsed = input.job.payload.safeParse(input.payload);
  if (!parsed.success) {
    throw validationFailed(`Schedule ${name}: the payload does not match job ${input.job.name}`, {
      issues: parsed.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message })),
    });
  }
  const existing = await findJobSchedule(ctx.db, name);
  const sameTiming = existing && existing.cronExpression === cron && existing.timeZone === timeZone;
  return upsertJobScheduleRow(ctx.db, {
    name,
    jobName: input.job.name,
    cronExpression: cron,
    timeZone,
    payload: input.payload ?? null,
    nextRunAt: sameTiming ? existing.nextRunAt : nextCronOccurrence(cron, timeZone, ctx.clock.now()),
    ...(input.enabled === undefined ? {} : { enabled: input.enabled }),
  });
}

/** Saves the schedules that job definitions declare (under each job's name); workers call this at start. */
export async function syncJobSchedules(ctx: ServiceContext, definitions: JobDefinition[]): Promise<void> {
  for (const job of definitions) {
    if (!job.schedule) continue;
    await scheduleJob(ctx, { job, ...job.schedule });
  }
}

export async function listJobSchedules(ctx: ServiceContext): Promise<JobScheduleRow[]> {
  return selectJobSchedules(ctx.db);
}

/**
 * For each due schedule of these jobs, enqueues one job for its slot and moves next_run_at to the first slot after
 * now: after downtime the missed slots run once, not once each. The schedule row stays locked until commit and the
 * job's singleton key names the slot, so two processes never fire the same slot twice. Returns the jobs enqueued.
 */
export async function enqueueDueScheduledJobs(
  ctx: ServiceContext,
  definitions: JobDefinition[],
): Promise<number> {
  const byName = new Map(definitions.map((job) => [job.name, job]));
  const now = ctx.clock.now();
  return withTransaction(ctx, async (tx) => {
    const due = await lockDueJobSchedules(tx.db, [...byName.keys()], now);
    let enqueued = 0;
    for (const schedule of due) {
      const job = byName.get(schedule.jobName);
      if (!job) continue;
      const slot = schedule.nextRunAt;
      // Inserted without checking the payload: a schedule whose payload no longer fits its job then shows up as
      // a failed job (`tend jobs list --status failed`) instead of stopping every other schedule.
      const row = await insertJob(tx.db, {
        name: job.name,
        payload: schedule.payload,
        runAt: slot,
        maxAttempts: resolveRetryPolicy(job).maxAttempts,
        singletonKey: `schedule:${schedule.name}@${slot.toISOString()}`,
        createdAt: now,
      });
      if (row) {
        tx.events.publish({ type: "job.enqueued", name: job.name });
        enqueued++;
      }
      await advanceJobSchedule(tx.db, schedule.name, {
        lastRunAt: slot,
        nextRunAt: nextCronOccurrence(schedule.cronExpression, schedule.timeZone, now),
      });
    }
    return enqueued;
  });
}
