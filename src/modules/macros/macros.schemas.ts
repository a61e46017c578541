import { z } from "zod";
import { bodyIdSchema } from "../../http/api-common.schemas.ts";
import { ticketPrioritySchema, ticketStatusSchema } from "../tickets/tickets.schemas.ts";

const tag = z.string().trim().min(1).max(64);

export const macroActionsSchema = z.strictObject({
  status: ticketStatusSchema.optional(),
  priority: ticketPrioritySchema.optional(),
  addTags: z.array(tag).max(20).optional(),
  removeTags: z.array(tag).max(20).optional(),
  assignee: z
    .union([bodyIdSchema, z.literal("me"), z.null()])
    .optional()
    .describe('A user id, "me" or null'),
  teamId: bodyIdSchema.nullable().optional(),
});

export const macroBodySchema = z.strictObject({
  title: z.string().trim().min(1).max(200),
  body: z.string().max(20_000).default(""),
  actions: macroActionsSchema.default({}),
  position: z.number().int().min(0).max(1_000_000).default(100),
});

export const macroSchema = z.object({
  id: z.number(),
  title: z.string(),
  body: z.string(),
  actions: macroActionsSchema,
  position: z.number(),
  usageCount: z.number(),
  updatedAt: z.string(),
});

export const macroResultSchema = z.object({
  macroId: z.number(),
  text: z.string().describe("The macro's text for this ticket, for the agent to review and send"),
  changes: z.record(z.string(), z.unknown()).describe("The ticket changes the macro makes"),
});
