import { z } from "zod";
import type { AppContext } from "../context.ts";
import { defineJob } from "./job-definition.ts";
import { enqueueJob, listJobs } from "./job-queue.ts";

/**
 * Scores customers' messages stored before the frustration scorer existed, one batch per job (see
 * tickets/frustration-backfill.service): the batch commits with the job, exactly once, and enqueues the next job
 * while unscored messages remain. A worker killed mid-batch rolls the batch back and the job is claimed again, so
 * the backfill resumes where it stopped; between batches the worker runs other due jobs.
 */
export const frustrationBackfillJob = defineJob({
  name: "frustration.backfill",
  payload: z
    .object({ batchSize: z.number().int().min(1).max(5000).default(200) })
    .default({ batchSize: 200 }),
  retry: { maxAttempts: 5, initialDelaySeconds: 60 },
  async handler(ctx, payload, job) {
    const { backfillFrustrationBatch } = await import("../modules/tickets/frustration-backfill.service.ts");
    const batch = await backfillFrustrationBatch(ctx, payload.batchSize);
    if (batch.more) {
      await enqueueJob(ctx, frustrationBackfillJob, payload, {
        singletonKey: `frustration-backfill:after-${job.id}`,
      });
    }
  },
});

/**
 * At start: queues the backfill if some customer message has no score and no backfill job is already queued or
 * running. Returns whether it queued one.
 */
export async function enqueueFrustrationBackfillIfNeeded(ctx: AppContext): Promise<boolean> {
  const { hasMessagesToBackfill } = await import("../modules/tickets/frustration-backfill.service.ts");
  if (!(await hasMessagesToBackfill(ctx))) return false;
  for (const status of ["queued", "running"] as const) {
    const pending = await listJobs(ctx, { status, name: frustrationBackfillJob.name, limit: 1 });
    if (pending.length > 0) return false;
  }
  const queued = await enqueueJob(
    ctx,
    frustrationBackfillJob,
    {},
    { singletonKey: "frustration-backfill:start" },
  );
  return queued.created;
}
