import { z } from "zod";
import type { AppContext } from "../context.ts";
import { defineJob } from "./job-definition.ts";
import { enqueueJob } from "./job-queue.ts";

/**
 * Nightly: train the churn-risk model on what is known, backtest it, and score every active customer with their
 * predicted value. Not transactional as a whole: it reads everything, computes in memory, then writes.
 */
export const riskNightlyJob = defineJob({
  name: "risk.nightly",
  payload: z.object({}).default({}),
  transactional: false,
  retry: { maxAttempts: 3, initialDelaySeconds: 600 },
  schedule: { cron: "40 2 * * *", timeZone: "UTC", payload: {} },
  async handler(ctx) {
    const { rescoreAllCustomers } = await import("../modules/risk/risk.service.ts");
    await rescoreAllCustomers(ctx);
  },
});

/** One customer's score again after something happened to them (a ticket change, a survey answer, an order). */
export const riskCustomerJob = defineJob({
  name: "risk.customer",
  payload: z.object({ customerId: z.number().int().positive() }),
  retry: { maxAttempts: 3, initialDelaySeconds: 60 },
  async handler(ctx, payload) {
    const { rescoreCustomer } = await import("../modules/risk/risk.service.ts");
    await rescoreCustomer(ctx, payload.customerId);
  },
});

/**
 * At start: a workspace with orders and no risk model yet (the demo on first start, or an upgrade) is scored now in
 * the background rather than at 02:40, so the dashboard and the inbox show risk from the first hour. Returns whether
 * it queued the job (once: the singleton key holds while it is queued or running).
 */
export async function enqueueFirstRiskScoringIfNeeded(ctx: AppContext): Promise<boolean> {
  const { needsFirstRiskScoring } = await import("../modules/risk/risk.service.ts");
  if (!(await needsFirstRiskScoring(ctx))) return false;
  const queued = await enqueueJob(ctx, riskNightlyJob, {}, { singletonKey: "risk:first-scoring" });
  return queued.created;
}
