import { z } from "zod";
import { defineJob } from "./job-definition.ts";

/**
 * Mails one survey or follow-up. Outside a transaction (it waits on the mail server); idempotent by the send id:
 * the send row moves queued → sending → sent, every attempt carries the same Message-ID, and a send already sent,
 * skipped or failed is left alone, so a worker that dies mid-send is simply taken over.
 */
export const surveyDeliveryJob = defineJob({
  name: "survey.deliver",
  payload: z.object({ sendId: z.number().int().positive() }),
  transactional: false,
  retry: { maxAttempts: 6, initialDelaySeconds: 60, factor: 4, maxDelaySeconds: 6 * 3600 },
  async handler(ctx, payload, job) {
    // Imported when run: the surveys service enqueues this job (no import cycle).
    const { deliverSurveySend } = await import("../modules/surveys/survey-delivery.service.ts");
    await deliverSurveySend(ctx, payload.sendId, job);
  },
});
