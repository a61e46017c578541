import { sql } from "drizzle-orm";
import { z } from "zod";
import { defineJob } from "../../src/jobs/job-definition.ts";

/** Where the job's effect goes; the test creates it (no unique key, so a doubled effect would show). */
export const slowEffectTableSql =
  "create table if not exists e2e_job_effects (key text not null, attempt int not null)";

/**
 * A test-only transactional job: writes its effect, then on its first attempt keeps its transaction open (a long
 * job) so the test can kill the process in the middle of it. Later attempts finish at once.
 */
export const slowEffectJob = defineJob({
  name: "e2e.slow-effect",
  payload: z.object({ key: z.string(), holdFirstAttemptMs: z.number().int().min(0) }),
  retry: { maxAttempts: 3, initialDelaySeconds: 1 },
  async handler(ctx, payload, job) {
    await ctx.db.execute(
      sql`insert into e2e_job_effects (key, attempt) values (${payload.key}, ${job.attempts})`,
    );
    console.log(`e2e job ${payload.key} attempt ${job.attempts} wrote its effect`);
    if (job.attempts === 1) {
      await new Promise((resolve) => setTimeout(resolve, payload.holdFirstAttemptMs));
    }
    console.log(`e2e job ${payload.key} attempt ${job.attempts} finishing`);
  },
});
