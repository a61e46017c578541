import { z } from "zod";
import { defineJob } from "./job-definition.ts";

/**
 * Every minute: SLA warnings and breaches whose time has come (see runSlaSweep). Not transactional: the sweep
 * commits in batches and claims clocks with SKIP LOCKED, so running it twice is harmless.
 */
export const slaSweepJob = defineJob({
  name: "sla.sweep",
  payload: z.object({}).default({}),
  transactional: false,
  retry: { maxAttempts: 2, initialDelaySeconds: 30 },
  schedule: { cron: "* * * * *", timeZone: "UTC", payload: {} },
  async handler(ctx) {
    const { runSlaSweep } = await import("../workflows/sla-sweep.workflow.ts");
    await runSlaSweep(ctx);
  },
});
