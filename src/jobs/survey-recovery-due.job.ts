import { z } from "zod";
import { defineJob } from "./job-definition.ts";

/** At a recovery's due time: if the lead has not recorded an outcome, tell them (and the other leads) it is overdue. */
export const surveyRecoveryDueJob = defineJob({
  name: "survey.recovery-due",
  payload: z.object({ recoveryId: z.number().int().positive() }),
  async handler(ctx, payload) {
    const { notifyOverdueRecovery } = await import("../workflows/survey-recovery.workflow.ts");
    await notifyOverdueRecovery(ctx, payload.recoveryId);
  },
});
