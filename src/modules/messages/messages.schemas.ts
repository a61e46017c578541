import { z } from "zod";
import { bodyIdSchema } from "../../http/api-common.schemas.ts";

export const channelMessageBodySchema = z.strictObject({
  channel: z.enum(["phone", "sms", "social", "chat", "api", "web"]),
  customer: z
    .strictObject({
      email: z.email().max(320).optional(),
      phone: z.string().trim().min(3).max(50).optional(),
      externalId: z.string().trim().min(1).max(200).optional(),
      chatVisitorId: z.string().trim().min(1).max(200).optional(),
      socialHandle: z.string().trim().min(1).max(200).optional(),
      name: z.string().trim().min(1).max(200).optional(),
    })
    .refine((c) => c.email || c.phone || c.externalId || c.chatVisitorId || c.socialHandle, {
      message: "give at least one of email, phone, externalId, chatVisitorId, socialHandle",
    }),
  text: z.string().trim().min(1).max(100_000),
  subject: z.string().trim().min(1).max(500).optional(),
  direction: z.enum(["inbound", "outbound"]).optional(),
  ticketId: bodyIdSchema.optional(),
  externalMessageId: z.string().trim().min(1).max(200).optional(),
});

export const channelMessageResponseSchema = z.object({
  ticketId: z.number(),
  messageId: z.number(),
  customerId: z.number(),
});
