import { CronExpressionParser } from "cron-parser";
import type { z } from "zod";
import type { AppContext } from "../context.ts";

/** How often a failing job is tried and how long it waits between tries; deterministic (no jitter) so tests can step the clock. */
export type JobRetryPolicy = {
  /** Attempts in all, the first one included. */
  maxAttempts: number;
  /** Wait after the first failed attempt; each further failure multiplies it by `factor`, up to `maxDelaySeconds`. */
  initialDelaySeconds: number;
  factor: number;
  maxDelaySeconds: number;
};

export const defaultRetryPolicy: JobRetryPolicy = {
  maxAttempts: 5,
  initialDelaySeconds: 60,
  factor: 4,
  maxDelaySeconds: 6 * 3600,
};

/** What a handler learns about the job it runs. `attempts` counts this attempt (1 on the first run). */
export type JobInfo = {
  id: number;
  name: string;
  attempts: number;
  maxAttempts: number;
  runAt: Date;
  singletonKey: string | null;
};

/**
 * One kind of job, defined in its own `src/jobs/<name>.job.ts`.
 *
 * Transactional handlers (the default) run in one transaction with marking the job succeeded: their database
 * writes happen exactly once, even if the process dies mid-run. They must be short and must not wait on the
 * network (PGlite is one connection, and the transaction holds it).
 *
 * Non-transactional handlers (`transactional: false`, for network I/O such as webhooks) run outside a transaction
 * and can run again after a crash or a lost lease, so they must be idempotent (e.g. send an idempotency key).
 */
export type JobDefinition<S extends z.ZodType = z.ZodType> = {
  /** Stable name stored on each job row: lowercase words joined by dots or dashes, e.g. `sla.escalate`. */
  name: string;
  payload: S;
  // Method syntax on purpose: definitions of different payloads then fit one `JobDefinition[]` registry.
  handler(ctx: AppContext, payload: z.output<S>, job: JobInfo): Promise<void>;
  retry?: Partial<JobRetryPolicy>;
  transactional?: boolean;
  /** A recurring schedule for this job, kept in job_schedules under the job's name by the worker at start. */
  schedule?: { cron: string; timeZone?: string; payload: z.input<S> };
};

const jobNamePattern = /^[a-z][a-z0-9]*(?:[.-][a-z0-9]+)*$/;

/** Declares a job; checks the name (and schedule) at import time so a typo fails at start-up, not at 3 a.m. */
export function defineJob<S extends z.ZodType>(definition: JobDefinition<S>): JobDefinition<S> {
  if (!jobNamePattern.test(definition.name)) {
    throw new Error(`Job name "${definition.name}" must be lowercase words joined by "." or "-"`);
  }
  if (definition.schedule) {
    const problem = describeCronProblem(definition.schedule.cron, definition.schedule.timeZone ?? "UTC");
    if (problem) throw new Error(`Job ${definition.name}: ${problem}`);
  }
  return definition;
}

/** Throw this from a handler for a failure that a retry cannot fix; the job is marked failed at once. */
export class UnrecoverableJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnrecoverableJobError";
  }
}

export function resolveRetryPolicy(definition: Pick<JobDefinition, "retry">): JobRetryPolicy {
  return { ...defaultRetryPolicy, ...definition.retry };
}

/** The wait before the next attempt after `failedAttempts` failures: initial × factor^(failedAttempts − 1), capped. */
export function retryDelayMs(policy: JobRetryPolicy, failedAttempts: number): number {
  const seconds = policy.initialDelaySeconds * policy.factor ** Math.max(0, failedAttempts - 1);
  return Math.min(seconds, policy.maxDelaySeconds) * 1000;
}

/** The first time strictly after `after` that the cron expression names, read as wall time in `timeZone`. */
export function nextCronOccurrence(cron: string, timeZone: string, after: Date): Date {
  return CronExpressionParser.parse(cron, { currentDate: after, tz: timeZone }).next().toDate();
}

/** Why a cron expression or time zone cannot be used, or null when both are fine. Five fields or an @alias. */
export function describeCronProblem(cron: string, timeZone: string): string | null {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
  } catch {
    return `"${timeZone}" is not a time zone; use an IANA name such as Europe/Berlin`;
  }
  const trimmed = cron.trim();
  if (!trimmed.startsWith("@") && trimmed.split(/\s+/).length !== 5) {
    return `"${cron}" is not a five-field cron expression (minute hour day-of-month month day-of-week)`;
  }
  try {
    nextCronOccurrence(trimmed, timeZone, new Date(0));
    return null;
  } catch (error) {
    return `"${cron}" is not a valid cron expression: ${(error as Error).message}`;
  }
}
