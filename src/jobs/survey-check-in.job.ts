import { z } from "zod";
import { defineJob } from "./job-definition.ts";

/** "Is everything as expected?" some days after an order was placed or delivered (one per order). */
export const surveyCheckInJob = defineJob({
  name: "survey.check-in",
  payload: z.object({ orderId: z.number().int().positive() }),
  retry: { maxAttempts: 5, initialDelaySeconds: 60, factor: 4 },
  async handler(ctx, payload) {
    const { sendOrderCheckIn } = await import("../workflows/survey-follow-up.workflow.ts");
    await sendOrderCheckIn(ctx, payload.orderId);
  },
});
