import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { AppContext } from "../context.ts";
import { withTransaction } from "../db/transaction.ts";
import {
  type JobDefinition,
  type JobInfo,
  resolveRetryPolicy,
  UnrecoverableJobError,
} from "./job-definition.ts";
import {
  claimDueJobs,
  completeJob,
  enqueueDueScheduledJobs,
  failJobAttempt,
  type JobRow,
  lockClaimedJob,
  renewJobLease,
  syncJobSchedules,
} from "./job-queue.ts";

/** How a claimed job ended: done, back in the queue for a retry, failed for good, or taken over by another worker. */
export type JobRunOutcome = "succeeded" | "retrying" | "failed" | "lost";

/** How long a claimed job belongs to one worker before another may take it over (the first one died). */
export const defaultJobLeaseMs = 60_000;

export type JobRunOptions = {
  /** Stored in locked_by; unique per worker so a worker only ever completes jobs it holds. */
  workerId?: string;
  leaseMs?: number;
  /** Problems and failures, for the operator. */
  log?: (line: string) => void;
};

export function createJobWorkerId(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

/** Thrown inside a handler's transaction when the worker no longer holds the job: rolls the handler's work back. */
class JobLeaseLostError extends Error {}

function describeError(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

/**
 * Runs one claimed job. A transactional handler runs in one transaction with marking the job succeeded (and with
 * its row locked), so its effects commit exactly once or not at all. A non-transactional handler runs outside a
 * transaction while the lease is renewed; it may run again after a crash, which is why it must be idempotent.
 */
export async function runClaimedJob(
  ctx: AppContext,
  definition: JobDefinition,
  job: JobRow,
  options: { workerId: string; leaseMs: number },
): Promise<JobRunOutcome> {
  const { workerId, leaseMs } = options;
  const policy = resolveRetryPolicy(definition);
  if (job.attempts > job.maxAttempts) {
    // Each claim counts as an attempt, so a job whose worker keeps dying ends here instead of looping forever.
    return failJobAttempt(ctx, job, workerId, {
      message: `Attempt ${job.attempts - 1} of ${job.maxAttempts} did not finish: its worker stopped or lost the lease${job.lastError ? ` (earlier: ${job.lastError})` : ""}`,
      retryable: false,
      policy,
    });
  }
  const parsed = definition.payload.safeParse(job.payload);
  if (!parsed.success) {
    const issues = parsed.error.issues.map(
      (issue) => `${issue.path.join(".") || "payload"}: ${issue.message}`,
    );
    return failJobAttempt(ctx, job, workerId, {
      message: `The payload does not match job ${definition.name}: ${issues.join("; ")}`,
      retryable: false,
      policy,
    });
  }
  const info: JobInfo = {
    id: job.id,
    name: job.name,
    attempts: job.attempts,
    maxAttempts: job.maxAttempts,
    runAt: job.runAt,
    singletonKey: job.singletonKey,
  };
  try {
    if (definition.transactional ?? true) {
      await withTransaction(ctx, async (tx) => {
        if (!(await lockClaimedJob(tx, job, workerId))) throw new JobLeaseLostError();
        await definition.handler(tx, parsed.data, info);
        if (!(await completeJob(tx, job, workerId))) throw new JobLeaseLostError();
      });
      return "succeeded";
    }
    const heartbeat = setInterval(
      () => {
        renewJobLease(ctx, job, workerId, leaseMs).catch(() => undefined);
      },
      Math.max(1000, Math.floor(leaseMs / 3)),
    );
    heartbeat.unref();
    try {
      await definition.handler(ctx, parsed.data, info);
    } finally {
      clearInterval(heartbeat);
    }
    return (await completeJob(ctx, job, workerId)) ? "succeeded" : "lost";
  } catch (error) {
    if (error instanceof JobLeaseLostError) return "lost";
    return failJobAttempt(ctx, job, workerId, {
      message: `Attempt ${job.attempts} of ${job.maxAttempts}: ${describeError(error)}`,
      retryable: !(error instanceof UnrecoverableJobError),
      policy,
    });
  }
}

export type JobRunSummary = Record<JobRunOutcome, number>;

function indexDefinitions(definitions: JobDefinition[]): Map<string, JobDefinition> {
  const byName = new Map<string, JobDefinition>();
  for (const definition of definitions) {
    if (byName.has(definition.name)) throw new Error(`Two job definitions are named ${definition.name}`);
    byName.set(definition.name, definition);
  }
  return byName;
}

/**
 * Fires due schedules, then claims and runs every job due at ctx.clock.now() until none is left (jobs that a
 * handler enqueues for now included; retries wait for their backoff). For tests and the CLI.
 */
export async function runDueJobs(
  ctx: AppContext,
  definitions: JobDefinition[],
  options: JobRunOptions & { concurrency?: number } = {},
): Promise<JobRunSummary> {
  const byName = indexDefinitions(definitions);
  const names = [...byName.keys()];
  const workerId = options.workerId ?? createJobWorkerId();
  const leaseMs = options.leaseMs ?? defaultJobLeaseMs;
  const summary: JobRunSummary = { succeeded: 0, retrying: 0, failed: 0, lost: 0 };
  await enqueueDueScheduledJobs(ctx, definitions);
  const lane = async () => {
    for (;;) {
      const [job] = await claimDueJobs(ctx, { names, workerId, leaseMs, limit: 1 });
      if (!job) return;
      const definition = byName.get(job.name);
      if (!definition) throw new Error(`Claimed job ${job.id} of unknown kind ${job.name}`);
      const outcome = await runClaimedJob(ctx, definition, job, { workerId, leaseMs });
      summary[outcome]++;
      if (outcome === "failed") options.log?.(`Job ${job.name} #${job.id} failed`);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 1) }, lane));
  return summary;
}

export type JobWorkerOptions = JobRunOptions & {
  definitions: JobDefinition[];
  /** Jobs run at once by this worker (default 2). On PGlite transactional jobs still run one at a time. */
  concurrency?: number;
  /** How often to look for due jobs and schedules without being woken (default 5 s). */
  pollMs?: number;
};

export type JobWorker = {
  readonly workerId: string;
  /** Look for due jobs now (also done on `job.enqueued` events and every pollMs). */
  wake(): void;
  /** Stops claiming and waits for the jobs in hand. */
  stop(): Promise<void>;
};

/**
 * The background job loop of the `worker` role: saves the definitions' schedules, then runs due jobs with up to
 * `concurrency` at once. Wakes at once on `job.enqueued` for a job it knows (from this process, or from others
 * through the LISTEN/NOTIFY bridge), and polls every `pollMs` for delayed jobs, retries, schedules and expired leases.
 */
export function startJobWorker(ctx: AppContext, options: JobWorkerOptions): JobWorker {
  const byName = indexDefinitions(options.definitions);
  const names = [...byName.keys()];
  const workerId = options.workerId ?? createJobWorkerId();
  const leaseMs = options.leaseMs ?? defaultJobLeaseMs;
  const concurrency = Math.max(1, options.concurrency ?? 2);
  const log = options.log ?? (() => undefined);
  const inFlight = new Set<Promise<void>>();
  let filling: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  let lastProblem = "";

  const report = (what: string, error: unknown) => {
    const line = `Job worker: ${what}: ${describeError(error)}`;
    // A database outage would otherwise print the same line every poll.
    if (line !== lastProblem) log(line);
    lastProblem = line;
  };

  const start = (job: JobRow) => {
    const definition = byName.get(job.name);
    if (!definition) return;
    const run = runClaimedJob(ctx, definition, job, { workerId, leaseMs })
      .then((outcome) => {
        if (outcome === "failed")
          log(`Job ${job.name} #${job.id} failed; see \`tend jobs list --status failed\`.`);
        if (outcome === "lost")
          log(`Job ${job.name} #${job.id}: another worker took it over (lease expired).`);
      })
      .catch((error: unknown) => report(`running job ${job.name} #${job.id}`, error))
      .finally(() => {
        inFlight.delete(run);
        wake();
      });
    inFlight.add(run);
  };

  const fill = async () => {
    while (!stopped && inFlight.size < concurrency) {
      const claimed = await claimDueJobs(ctx, {
        names,
        workerId,
        leaseMs,
        limit: concurrency - inFlight.size,
      });
      if (claimed.length === 0) return;
      lastProblem = "";
      for (const job of claimed) start(job);
    }
  };

  function wake() {
    if (stopped) return;
    if (filling) {
      again = true;
      return;
    }
    filling = (async () => {
      try {
        do {
          again = false;
          await fill();
        } while (again && !stopped);
      } catch (error) {
        report("claiming jobs", error);
      } finally {
        filling = null;
      }
    })();
  }

  let scheduling: Promise<void> | null = null;
  const tick = () => {
    if (stopped || scheduling) return;
    scheduling = enqueueDueScheduledJobs(ctx, options.definitions)
      .then(() => undefined)
      .catch((error: unknown) => report("firing schedules", error))
      .finally(() => {
        scheduling = null;
        wake();
      });
  };

  const unsubscribe = ctx.events.subscribe((event) => {
    if (event.type === "job.enqueued" && byName.has(event.name)) wake();
  });
  const timer = setInterval(tick, options.pollMs ?? 5000);
  timer.unref();
  const ready = syncJobSchedules(ctx, options.definitions)
    .catch((error: unknown) => report("saving schedules", error))
    .finally(tick);

  return {
    workerId,
    wake,
    async stop() {
      stopped = true;
      clearInterval(timer);
      unsubscribe();
      await ready;
      await scheduling;
      await filling;
      await Promise.all([...inFlight]);
    },
  };
}
