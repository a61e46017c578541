import { z } from "zod";
import { defineJob } from "./job-definition.ts";

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
