import { z } from "zod";

// The SLA state every ticket carries in the API. Only zod here: the tickets schemas import it.

export const slaMetricSchema = z.enum(["first_response", "next_response", "resolution"]);

/** A ticket's SLA state per target, as every ticket in the API carries it. */
export const slaTargetStateSchema = z.object({
  metric: slaMetricSchema,
  targetMinutes: z.number().nullable().describe("Business minutes allowed; null when the policy sets none"),
  dueAt: z
    .string()
    .nullable()
    .describe("When the target runs out; null while paused, stopped or without target"),
  paused: z.boolean().describe("The clock waits on the customer (pending or on hold)"),
  breached: z.boolean(),
  breachedAt: z.string().nullable(),
  completedAt: z.string().nullable(),
  elapsedMinutes: z.number().describe("Business minutes used"),
  remainingMinutes: z.number().nullable().describe("Business minutes left; negative once late"),
  warning: z.boolean().describe("Running and past the policy's warning share of the target, not yet late"),
  cycle: z.number(),
});

/** A ticket's SLA summary: the policy, the earliest due time the inbox sorts by, and each target's state. */
export const ticketSlaSchema = z.object({
  policyId: z.number().nullable(),
  dueAt: z.string().nullable().describe("The earliest due time among running clocks"),
  dueMetric: slaMetricSchema.nullable(),
  breached: z.boolean().describe("A clock that is still going has passed its target"),
  warning: z.boolean().describe("Breaching soon: a running clock is past its warning share"),
  targets: z.array(slaTargetStateSchema),
});
