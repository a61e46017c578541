import { z } from "zod";
import { defineJob } from "./job-definition.ts";

/**
 * The survey after a ticket was solved, enqueued for solved time + the configured delay (one pending per ticket).
 * When it runs, a ticket that was reopened meanwhile (or solved again later) gets nothing from this job.
 */
export const surveyResolutionJob = defineJob({
  name: "survey.resolution",
  payload: z.object({ ticketId: z.number().int().positive(), solvedAt: z.iso.datetime() }),
  retry: { maxAttempts: 5, initialDelaySeconds: 60, factor: 4 },
  async handler(ctx, payload) {
    const { sendResolutionSurvey } = await import("../workflows/survey-follow-up.workflow.ts");
    await sendResolutionSurvey(ctx, payload);
  },
});
