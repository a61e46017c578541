import { z } from "zod";
import { defineJob } from "./job-definition.ts";

/**
 * Hourly: queues the relationship NPS surveys that fall due within the next hour, each at its customer's own
 * working-hours time (nothing when relationship NPS is off).
 */
export const surveyNpsSweepJob = defineJob({
  name: "survey.nps-sweep",
  payload: z.object({}),
  schedule: { cron: "7 * * * *", payload: {} },
  async handler(ctx) {
    const { queueDueRelationshipNps } = await import("../workflows/survey-follow-up.workflow.ts");
    await queueDueRelationshipNps(ctx);
  },
});
