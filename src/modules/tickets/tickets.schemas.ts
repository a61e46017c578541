import { z } from "zod";
import { bodyIdSchema, cursorSchema, limitSchema } from "../../http/api-common.schemas.ts";

export const ticketStatusSchema = z.enum(["new", "open", "pending", "on_hold", "solved", "closed"]);
export const ticketPrioritySchema = z.enum(["low", "normal", "high", "urgent"]);
export const channelSchema = z.enum(["email", "chat", "phone", "sms", "social", "web", "api"]);
export const ticketViewSchema = z.enum(["mine", "unassigned", "open", "pending", "solved", "all"]);
/** The list's views: the inbox's, plus `recover` (tickets with a low survey score whose outcome is not recorded). */
export const ticketListViewSchema = z.enum([
  "mine",
  "unassigned",
  "open",
  "pending",
  "solved",
  "all",
  "recover",
]);

export const ticketListQuerySchema = z.object({
  view: ticketListViewSchema.optional(),
  /** One status or several, comma-separated. */
  status: z
    .string()
    .max(200)
    .transform((value) =>
      value
        .split(",")
        .map((part) => part.trim())
        .filter(Boolean),
    )
    .pipe(z.array(ticketStatusSchema))
    .optional(),
  assignee: z
    .union([
      z.literal("me"),
      z.literal("none"),
      z.string().regex(/^\d{1,9}$/, "must be a user id, me or none"),
    ])
    .optional(),
  q: z.string().max(200).optional(),
  limit: limitSchema,
  cursor: cursorSchema.optional(),
});

export const ticketSummarySchema = z.object({
  id: z.number(),
  subject: z.string(),
  status: ticketStatusSchema,
  priority: ticketPrioritySchema,
  channel: channelSchema,
  customer: z.object({ id: z.number(), name: z.string(), email: z.string().nullable() }),
  assignee: z.object({ id: z.number(), name: z.string() }).nullable(),
  team: z.object({ id: z.number(), name: z.string() }).nullable(),
  tags: z.array(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
  lastMessageAt: z.string(),
  preview: z.string(),
});

const mailAddressSchema = z.object({ name: z.string().optional(), address: z.string() });

export const attachmentSchema = z.object({
  id: z.number(),
  filename: z.string(),
  contentType: z.string(),
  size: z.number(),
  url: z.string(),
});

export const messageSchema = z.object({
  id: z.number(),
  ticketId: z.number(),
  direction: z.enum(["inbound", "outbound"]),
  isInternal: z.boolean(),
  channel: channelSchema,
  author: z.object({
    type: z.enum(["customer", "agent", "system"]),
    id: z.number().nullable(),
    name: z.string(),
  }),
  text: z.string(),
  html: z.string().nullable(),
  createdAt: z.string(),
  deliveryStatus: z.enum(["received", "queued", "sending", "sent", "failed"]),
  deliveryError: z.string().nullable(),
  deliveryAttempts: z.number(),
  isAutomated: z.boolean(),
  from: mailAddressSchema.nullable(),
  to: z.array(mailAddressSchema),
  cc: z.array(mailAddressSchema),
  attachments: z.array(attachmentSchema),
});

export const ticketDetailSchema = ticketSummarySchema.extend({
  customFields: z.record(z.string(), z.unknown()),
  replyAddress: z.string(),
  messages: z.array(messageSchema),
});

export const ticketListResponseSchema = z.object({
  items: z.array(ticketSummarySchema),
  nextCursor: z.string().nullable(),
});

export const ticketCountsSchema = z.object({
  mine: z.number(),
  unassigned: z.number(),
  open: z.number(),
  pending: z.number(),
  solved: z.number(),
  all: z.number(),
});

const tagsSchema = z.array(z.string().trim().min(1).max(64)).max(50);
const customFieldsSchema = z
  .record(z.string().max(100), z.unknown())
  .refine((value) => Object.keys(value).length <= 100, {
    message: "at most 100 custom fields",
  });

export const updateTicketBodySchema = z.strictObject({
  status: ticketStatusSchema.optional(),
  priority: ticketPrioritySchema.optional(),
  assigneeId: bodyIdSchema.nullable().optional(),
  teamId: bodyIdSchema.nullable().optional(),
  tags: tagsSchema.optional(),
  subject: z.string().trim().min(1).max(500).optional(),
  customFields: customFieldsSchema.optional(),
});

export const replyBodySchema = z.strictObject({
  text: z.string().trim().min(1).max(100_000),
  isInternal: z.boolean().optional(),
});

export const createTicketBodySchema = z
  .strictObject({
    customer: z
      .strictObject({ email: z.email().max(320), name: z.string().trim().max(200).optional() })
      .optional(),
    customerId: bodyIdSchema.optional(),
    subject: z.string().trim().min(1).max(500),
    text: z.string().trim().min(1).max(100_000),
    channel: channelSchema.optional(),
  })
  .refine((body) => (body.customer === undefined) !== (body.customerId === undefined), {
    message: "give either customer or customerId",
    path: ["customer"],
  });
