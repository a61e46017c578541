import type { Config } from "../config.ts";
import {
  countJobs,
  type JobRow,
  type JobStatus,
  listJobs,
  retryJob,
  syncJobSchedules,
} from "../jobs/job-queue.ts";
import { jobDefinitions } from "../jobs/job-registry.ts";
import { runDueJobs } from "../jobs/job-worker.ts";
import { openCliContext } from "./cli-context.ts";

function formatJob(job: JobRow): string {
  const when =
    job.status === "queued"
      ? `due ${job.runAt.toISOString()}`
      : job.status === "running"
        ? `running since ${job.startedAt?.toISOString() ?? "?"} (${job.lockedBy ?? "?"})`
        : `${job.status} ${job.finishedAt?.toISOString() ?? ""}`.trim();
  const columns = [String(job.id), job.name, job.status, `attempt ${job.attempts}/${job.maxAttempts}`, when];
  if (job.singletonKey) columns.push(`key ${job.singletonKey}`);
  if (job.lastError) columns.push(`last error: ${job.lastError.replace(/\s+/g, " ")}`);
  return columns.join("\t");
}

/** `tend jobs list`: jobs newest first (failed ones with their error), then how many are in each status. */
export async function runJobsListCommand(
  config: Config,
  options: { status?: JobStatus; name?: string; limit: number },
): Promise<void> {
  const ctx = await openCliContext(config);
  try {
    const jobs = await listJobs(ctx, options);
    if (jobs.length === 0) {
      const what = [options.status, "jobs", options.name ? `named ${options.name}` : ""].filter(Boolean);
      process.stdout.write(`No ${what.join(" ")}.\n`);
    }
    for (const job of jobs) process.stdout.write(`${formatJob(job)}\n`);
    const counts = await countJobs(ctx);
    process.stderr.write(
      `${Object.entries(counts)
        .map(([status, count]) => `${count} ${status}`)
        .join(", ")}\n`,
    );
  } finally {
    await ctx.close();
  }
}

/** `tend jobs retry ID`: a failed or cancelled job back in the queue; a running worker picks it up. */
export async function runJobsRetryCommand(config: Config, id: number): Promise<void> {
  const ctx = await openCliContext(config);
  try {
    // A job that is not failed or cancelled is an AppError (conflict), which the CLI prints as it is.
    const job = await retryJob(ctx, id);
    process.stdout.write(`Job ${job.id} (${job.name}) is queued again; a running worker will pick it up.\n`);
  } finally {
    await ctx.close();
  }
}

/** `tend jobs run-due`: runs every job (and schedule) due now in this process, for installations without a worker. */
export async function runJobsRunDueCommand(config: Config): Promise<void> {
  const ctx = await openCliContext(config);
  try {
    // Without a worker process nobody else saves the built-in schedules.
    await syncJobSchedules(ctx, jobDefinitions);
    const summary = await runDueJobs(ctx, jobDefinitions, {
      leaseMs: config.jobLeaseSeconds * 1000,
      log: (line) => process.stderr.write(`${line}\n`),
    });
    process.stdout.write(
      `${summary.succeeded} succeeded, ${summary.retrying} to be retried, ${summary.failed} failed.\n`,
    );
  } finally {
    await ctx.close();
  }
}
