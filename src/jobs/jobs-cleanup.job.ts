import { z } from "zod";
import { defineJob } from "./job-definition.ts";
import { purgeFinishedJobs } from "./job-queue.ts";

const dayMs = 24 * 3600_000;

/**
 * Daily: deletes succeeded and cancelled jobs that finished more than `keepDays` ago, so the queue table stays small.
 * Failed jobs are kept until someone looks at them (`tend jobs list --status failed`).
 */
export const jobsCleanupJob = defineJob({
  name: "jobs.cleanup",
  payload: z.object({ keepDays: z.number().int().min(1).max(3650).default(14) }),
  schedule: { cron: "17 3 * * *", timeZone: "UTC", payload: { keepDays: 14 } },
  async handler(ctx, payload) {
    await purgeFinishedJobs(ctx, new Date(ctx.clock.now().getTime() - payload.keepDays * dayMs));
  },
});
