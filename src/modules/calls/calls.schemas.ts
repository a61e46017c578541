import { z } from "zod";

export const callDirectionSchema = z.enum(["inbound", "outbound"]);
export const callOutcomeSchema = z.enum([
  "answered",
  "resolved",
  "callback_requested",
  "voicemail",
  "no_answer",
  "missed",
]);

export const logCallBodySchema = z.strictObject({
  direction: callDirectionSchema.describe("inbound: the customer rang; outbound: an agent rang the customer"),
  durationSeconds: z
    .number()
    .int()
    .min(0)
    .max(24 * 3600),
  outcome: callOutcomeSchema,
  notes: z.string().trim().max(20_000).default(""),
  phoneNumber: z.string().trim().max(40).optional(),
  occurredAt: z.iso.datetime({ offset: true }).optional().describe("When the call started; default now"),
});

export type LogCallBody = z.infer<typeof logCallBodySchema>;
