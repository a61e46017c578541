import { z } from "zod";
import { bodyIdSchema, limitSchema } from "../../http/api-common.schemas.ts";
import { ticketSlaSchema } from "../sla/sla-state.schemas.ts";
import { decodeInboxCursor } from "./inbox-cursor.ts";
import { decodeSearchCursor } from "./search-cursor.ts";

export const ticketStatusSchema = z.enum(["new", "open", "pending", "on_hold", "solved", "closed"]);
export const ticketPrioritySchema = z.enum(["low", "normal", "high", "urgent"]);
export const channelSchema = z.enum(["email", "chat", "phone", "sms", "social", "web", "api"]);
export const ticketViewSchema = z
  .enum([
    "mine",
    "unassigned",
    "open",
    "pending",
    "solved",
    "all",
    "breaching",
    "recover",
    "value_at_risk",
    "frustrated",
  ])
  .describe(
    "breaching: new and open tickets with a running SLA clock, soonest due (and already late) first; recover: tickets with a low survey score whose recovery is not recorded; value_at_risk: unsolved tickets by the customer's predicted value × churn risk, weighted by SLA urgency; frustrated: unsolved tickets whose customer sounds highly frustrated",
  );

/** A comma-separated list in a query string, each part checked by `item`. */
function commaListSchema<T extends z.ZodType<unknown, string>>(item: T, max = 200) {
  return z
    .string()
    .max(max)
    .transform((value) =>
      value
        .split(",")
        .map((part) => part.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item));
}

const dateOnly = /^\d{4}-\d{2}-\d{2}$/;
/** A date (YYYY-MM-DD, UTC) or an ISO date-time with an offset. */
const dateParamSchema = z
  .string()
  .max(40)
  .refine((value) => dateOnly.test(value) || z.iso.datetime({ offset: true }).safeParse(value).success, {
    message: "must be a date (YYYY-MM-DD) or an ISO date-time",
  })
  .refine(
    (value) =>
      !Number.isNaN(Date.parse(value)) &&
      (!dateOnly.test(value) || new Date(`${value}T00:00:00Z`).toISOString().startsWith(value)),
    { message: "not a real date" },
  );

/**
 * The list cursor: the inbox's keyset ((last activity, id), with the frustration rank in the open views), or a
 * search's rank keyset with its snapshot; which one is expected depends on whether `q` is given.
 */
const ticketListCursorSchema = z
  .string()
  .max(400)
  .transform((value, ctx) => {
    const activity = decodeInboxCursor(value);
    if (activity) return { kind: "activity" as const, ...activity };
    const search = decodeSearchCursor(value);
    if (search) return { kind: "search" as const, ...search };
    ctx.addIssue({ code: "custom", message: "Invalid cursor; pass nextCursor from the previous page" });
    return z.NEVER;
  });

export const ticketListQuerySchema = z.object({
  view: ticketViewSchema.optional(),
  /** One status or several, comma-separated. */
  status: commaListSchema(ticketStatusSchema).optional(),
  assignee: z
    .union([
      z.literal("me"),
      z.literal("none"),
      z.string().regex(/^\d{1,9}$/, "must be a user id, me or none"),
    ])
    .optional(),
  /** Any of these channels (comma-separated). */
  channel: commaListSchema(channelSchema).optional(),
  /** Tickets carrying every one of these tags (comma-separated). */
  tag: commaListSchema(z.string().max(64), 500).optional(),
  /** Tickets created on or after this date (UTC day) or instant. */
  createdFrom: dateParamSchema.optional(),
  /** Tickets created up to this date (the whole UTC day included) or before this instant. */
  createdTo: dateParamSchema.optional(),
  q: z
    .string()
    .max(500)
    .optional()
    .describe(
      "Full-text search over subjects, message bodies (internal notes too) and customers' names, emails and phone " +
        'numbers, over all history. websearch syntax: "a phrase", -exclude, or. Results are ranked; ' +
        "without q the list is in the view's order (see `order` in the answer).",
    ),
  /** With q: also match the last word as the start of a word (for search as you type). */
  prefix: z
    .enum(["true", "false", "1", "0"])
    .transform((value) => value === "true" || value === "1")
    .optional(),
  limit: limitSchema,
  cursor: ticketListCursorSchema.optional(),
});

export const frustrationSchema = z.object({
  score: z.number().describe("0..1"),
  level: z.enum(["none", "mild", "high"]),
  cues: z
    .array(z.string())
    .describe('What was noticed, e.g. "threatens to cancel or leave", "third contact in 5 days"'),
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
  customerRisk: z
    .object({
      score: z.number().describe("0-100: chance the customer places no order in the risk horizon"),
      band: z.enum(["low", "medium", "high"]),
      predictedValueMinor: z.number().nullable().describe("Predicted discounted value of the next 12 months"),
      valueAtRiskMinor: z.number().nullable(),
      currency: z.string().nullable(),
    })
    .nullable(),
  frustration: frustrationSchema
    .nullable()
    .describe(
      "How frustrated the customer sounds: the highest since the last agent reply, halved by each reply",
    ),
  sla: ticketSlaSchema,
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
  call: z
    .object({
      direction: z.enum(["inbound", "outbound"]),
      durationSeconds: z.number(),
      outcome: z.enum(["answered", "resolved", "callback_requested", "voicemail", "no_answer", "missed"]),
      phoneNumber: z.string().nullable(),
    })
    .nullable()
    .describe("A phone call logged on the ticket"),
  frustration: frustrationSchema.nullable().describe("Customers' messages only"),
});

export const ticketDetailSchema = ticketSummarySchema.extend({
  customFields: z.record(z.string(), z.unknown()),
  replyAddress: z.string(),
  messages: z.array(messageSchema),
});

/** One highlighted place a search matched; `html` is escaped text in which only <mark>…</mark> is markup. */
export const searchSnippetSchema = z.discriminatedUnion("source", [
  z.object({ source: z.literal("subject"), html: z.string() }),
  z.object({
    source: z.literal("message"),
    messageId: z.number(),
    direction: z.enum(["inbound", "outbound"]),
    isInternal: z.boolean(),
    createdAt: z.string(),
    html: z.string(),
  }),
  z.object({
    source: z.literal("customer"),
    field: z.enum(["name", "email", "phone", "chat", "external", "social"]),
    html: z.string(),
  }),
]);

export const ticketMatchSchema = z.object({
  /** Relevance (higher is better); only comparable within one search. */
  score: z.number(),
  /** Messages of the ticket that matched (among the ranked candidates). */
  matchedMessages: z.number(),
  snippets: z.array(searchSnippetSchema),
});

export const ticketListItemSchema = ticketSummarySchema.extend({
  /** Present when the list answers a search (q). */
  match: ticketMatchSchema.optional(),
});

export const ticketListResponseSchema = z.object({
  items: z.array(ticketListItemSchema),
  nextCursor: z.string().nullable(),
  order: z
    .enum(["frustration", "activity", "sla_due", "value_at_risk", "relevance"])
    .describe(
      "How the items are sorted: frustration = the open views' default (mine, unassigned, open): customers who " +
        "sound frustrated first, then annoyed ones, then the rest, each by latest activity; activity = latest " +
        "activity first; sla_due = soonest SLA due first (breaching); value_at_risk = most value at stake first; " +
        "relevance = best search match first (with q)",
    ),
  /** Present when the list answers a search (q). */
  search: z
    .object({
      /** Matching tickets; a lower bound when `capped`. */
      matches: z.number(),
      /** Too many matches to rank all: the newest 1,000 per source (bodies, subjects, customers) were ranked. */
      capped: z.boolean(),
    })
    .optional(),
});

export const ticketCountsSchema = z.object({
  mine: z.number(),
  unassigned: z.number(),
  open: z.number(),
  pending: z.number(),
  solved: z.number(),
  all: z.number(),
  breaching: z.number(),
  recover: z.number(),
  value_at_risk: z.number(),
  frustrated: z.number(),
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
