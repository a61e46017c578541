import { z } from "zod";
import { bodyIdSchema, cursorSchema, idSchema, limitSchema } from "../../http/api-common.schemas.ts";

// Shapes of the surveys API and settings (one source for validation, types and OpenAPI).

const prompt = z.string().trim().min(1).max(300);
const questionId = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,31}$/, "lowercase letters, digits and _ (starting with a letter), up to 32");

export const surveyQuestionSchema = z.discriminatedUnion("type", [
  z.strictObject({
    id: questionId,
    type: z.literal("csat"),
    prompt,
    style: z.enum(["faces", "stars"]).default("faces"),
  }),
  z.strictObject({ id: questionId, type: z.enum(["ces", "nps", "yes_no"]), prompt }),
  z.strictObject({ id: questionId, type: z.literal("text"), prompt, required: z.boolean().default(false) }),
  z.strictObject({
    id: questionId,
    type: z.literal("choice"),
    prompt,
    options: z.array(z.string().trim().min(1).max(120)).min(2).max(12),
    required: z.boolean().default(false),
  }),
]);

export const surveyQuestionsSchema = z
  .array(surveyQuestionSchema)
  .min(1)
  .max(20)
  .refine((questions) => new Set(questions.map((q) => q.id)).size === questions.length, {
    message: "question ids must be unique",
  });

/** Everything an admin sets about surveys and follow-ups. Missing fields take their defaults. */
export const surveySettingsSchema = z.object({
  /** How long a survey can be answered after it was sent. */
  responseWindowDays: z.number().int().min(1).max(365).default(28),
  /** The survey after a ticket is solved (by mail after the delay; in the chat widget when a chat ends). */
  resolution: z
    .object({
      enabled: z.boolean().default(true),
      metric: z.enum(["csat", "ces"]).default("csat"),
      delayHours: z.number().min(0).max(720).default(24),
      inChat: z.boolean().default(true),
    })
    .prefault({}),
  /** "Is everything as expected?" some days after an order was placed or delivered; an answer opens a ticket. */
  checkIn: z
    .object({
      enabled: z.boolean().default(false),
      basis: z.enum(["placed", "delivered"]).default("delivered"),
      days: z.number().int().min(1).max(365).default(7),
    })
    .prefault({}),
  /** NPS about the relationship, every few months per customer, spread over working hours. */
  relationshipNps: z
    .object({
      enabled: z.boolean().default(false),
      cadenceMonths: z.union([z.literal(3), z.literal(6), z.literal(12)]).default(6),
      minDaysSinceLastSurvey: z.number().int().min(0).max(365).default(30),
      /** Set by Tend when NPS is switched on: the first cycle starts here. Read-only. */
      enabledAt: z.iso.datetime().nullable().default(null),
    })
    .prefault({}),
  /** No customer gets more than this many survey and follow-up mails in any such period. */
  contactBudget: z
    .object({
      maxMessages: z.number().int().min(0).max(50).default(2),
      periodDays: z.number().int().min(1).max(365).default(30),
    })
    .prefault({}),
  wording: z
    .object({
      csat: prompt.default("How would you rate the help you got from us?"),
      csatStyle: z.enum(["faces", "stars"]).default("faces"),
      ces: prompt.default("How easy was it to get your issue resolved?"),
      nps: prompt.default("How likely are you to recommend us to a friend or colleague?"),
      npsReason: prompt.default("What is the main reason for your score?"),
      checkIn: prompt.default("Is everything as expected with your order?"),
      comment: prompt.default("Anything you would like to add?"),
    })
    .prefault({}),
  /** What a low score starts: the ticket reopened (or a follow-up ticket) for the team lead, due in business hours. */
  recovery: z
    .object({
      enabled: z.boolean().default(true),
      action: z.enum(["reopen", "task"]).default("reopen"),
      dueHours: z.number().min(0.25).max(720).default(4),
      csatAtMost: z.number().int().min(1).max(4).default(2),
      npsAtMost: z.number().int().min(0).max(9).default(6),
      cesAtMost: z.number().int().min(1).max(6).default(2),
    })
    .prefault({}),
});
export type SurveySettings = z.output<typeof surveySettingsSchema>;

export const surveyKindSchema = z.enum(["csat", "ces", "nps", "check_in", "custom"]);
export const surveyMetricSchema = z.enum(["csat", "ces", "nps"]);
export const surveyChannelSchema = z.enum(["email", "chat", "api"]);
export const surveySendStatusSchema = z.enum(["queued", "sending", "sent", "skipped", "failed"]);
export const contactPurposeSchema = z.enum(["surveys", "follow_ups"]);

export const surveyDefinitionBodySchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  questions: surveyQuestionsSchema,
  purpose: contactPurposeSchema.default("surveys"),
  active: z.boolean().default(true),
});

export const surveyDefinitionSchema = z.object({
  id: z.number(),
  name: z.string(),
  questions: z.array(z.record(z.string(), z.unknown())),
  purpose: contactPurposeSchema,
  active: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const createSendBodySchema = z
  .strictObject({
    customerId: bodyIdSchema,
    /** A built-in survey, or `custom` with definitionId. */
    kind: surveyKindSchema,
    definitionId: bodyIdSchema.optional(),
    ticketId: bodyIdSchema.optional(),
    orderId: bodyIdSchema.optional(),
    /** email: Tend mails it (contact budget and opt-outs apply); api: you show the returned link yourself. */
    channel: z.enum(["email", "api"]).default("email"),
  })
  .refine((body) => (body.kind === "custom") === (body.definitionId !== undefined), {
    message: "definitionId is needed for kind custom, and only for it",
    path: ["definitionId"],
  });

export const surveySendSchema = z.object({
  id: z.number(),
  kind: surveyKindSchema,
  metric: surveyMetricSchema.nullable(),
  channel: surveyChannelSchema,
  status: surveySendStatusSchema,
  skipReason: z.string().nullable(),
  customerId: z.number(),
  ticketId: z.number().nullable(),
  orderId: z.number().nullable(),
  recipientEmail: z.string().nullable(),
  attempts: z.number(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
  /** The public response page; present once the send can be answered (sent and not expired). */
  responseUrl: z.string().nullable(),
  response: z
    .object({ score: z.number().nullable(), comment: z.string().nullable(), respondedAt: z.string() })
    .nullable(),
});

export const sendListQuerySchema = z.object({
  customerId: idSchema.optional(),
  ticketId: idSchema.optional(),
  status: surveySendStatusSchema.optional(),
  limit: limitSchema,
  beforeId: idSchema.optional(),
});

export const consentSchema = z.object({
  customerId: z.number(),
  surveys: z.boolean().describe("true: the customer may get surveys (CSAT, CES, NPS, custom)"),
  followUps: z.boolean().describe("true: the customer may get follow-ups (purchase check-ins)"),
});
export const consentBodySchema = z.strictObject({
  surveys: z.boolean().optional(),
  followUps: z.boolean().optional(),
});

/** The public answer API (the chat widget and integrations), keyed by the signed token. */
export const publicSurveySchema = z.object({
  state: z.enum(["open", "answered", "closed"]),
  kind: surveyKindSchema,
  questions: z.array(z.record(z.string(), z.unknown())),
  expiresAt: z.string().nullable(),
  response: z
    .object({
      score: z.number().nullable(),
      answers: z.record(z.string(), z.union([z.string(), z.number()])),
      comment: z.string().nullable(),
    })
    .nullable(),
});

export const publicResponseBodySchema = z.strictObject({
  /** Answers by question id: numbers for scales (yes_no: 1 yes, 0 no), text for text and choice questions. */
  answers: z.record(z.string().max(32), z.union([z.number().int(), z.string().max(5000)])).optional(),
  /** Shorthand for the first question's score. */
  score: z.number().int().optional(),
  comment: z.string().trim().max(5000).optional(),
});

export const publicResponseResultSchema = z.object({
  state: z.enum(["answered"]),
  score: z.number().nullable(),
  comment: z.string().nullable(),
  /** A ticket the answer opened (a check-in that reported a problem). */
  openedTicketId: z.number().nullable(),
});

export const reportQuerySchema = z.object({
  metric: surveyMetricSchema,
  groupBy: z.enum(["agent", "team", "channel", "none"]).default("none"),
  period: z.enum(["day", "week", "month"]).default("week"),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});

const tallyFields = {
  responses: z.number(),
  /** CSAT %, NPS points, CES mean; null without responses. */
  value: z.number().nullable(),
  positive: z.number().describe("CSAT 4-5, NPS promoters 9-10, CES 5-7"),
  negative: z.number().describe("CSAT 1-2, NPS detractors 0-6, CES 1-3"),
};

export const reportSchema = z.object({
  metric: surveyMetricSchema,
  groupBy: z.enum(["agent", "team", "channel", "none"]),
  period: z.enum(["day", "week", "month"]),
  timezone: z.string(),
  from: z.string(),
  to: z.string(),
  overall: z.object(tallyFields),
  groups: z.array(
    z.object({
      key: z.string().nullable(),
      label: z.string().nullable(),
      ...tallyFields,
      /** Value per period, oldest first, and the change from the previous period with responses to the last. */
      trend: z.array(z.object({ period: z.string(), ...tallyFields })),
      change: z.number().nullable(),
    }),
  ),
});

export const responseListQuerySchema = z.object({
  metric: surveyMetricSchema.optional(),
  agentId: idSchema.optional(),
  teamId: idSchema.optional(),
  channel: z.enum(["email", "chat", "phone", "sms", "social", "web", "api"]).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  maxScore: z.coerce.number().int().min(0).max(10).optional(),
  withComment: z.enum(["true", "false"]).optional(),
  limit: limitSchema,
  cursor: cursorSchema.optional(),
});

export const surveyResponseItemSchema = z.object({
  id: z.number(),
  sendId: z.number(),
  kind: surveyKindSchema,
  metric: surveyMetricSchema.nullable(),
  score: z.number().nullable(),
  comment: z.string().nullable(),
  answers: z.record(z.string(), z.union([z.string(), z.number()])),
  source: z.string(),
  respondedAt: z.string(),
  customer: z.object({ id: z.number(), name: z.string().nullable() }),
  ticketId: z.number().nullable(),
  agent: z.object({ id: z.number(), name: z.string() }).nullable(),
  team: z.object({ id: z.number(), name: z.string() }).nullable(),
  ticketChannel: z.string().nullable(),
});

export const recoveryOutcomeSchema = z.enum(["recovered", "not_recovered", "unreachable"]);

export const recoverySchema = z.object({
  id: z.number(),
  status: z.enum(["open", "done"]),
  action: z.string(),
  metric: surveyMetricSchema.nullable(),
  score: z.number().nullable(),
  comment: z.string().nullable(),
  customer: z.object({ id: z.number(), name: z.string().nullable() }),
  ticketId: z.number().nullable(),
  owner: z.object({ id: z.number(), name: z.string() }).nullable(),
  dueAt: z.string(),
  overdue: z.boolean(),
  createdAt: z.string(),
  outcome: recoveryOutcomeSchema.nullable(),
  outcomeNote: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  /** The customer's first order placed after the low score, if any. */
  boughtAgainAt: z.string().nullable(),
});

export const recoveryListQuerySchema = z.object({
  status: z.enum(["open", "done"]).optional(),
  limit: limitSchema,
  beforeId: idSchema.optional(),
});

export const recoveryOutcomeBodySchema = z.strictObject({
  outcome: recoveryOutcomeSchema,
  note: z.string().trim().max(5000).optional(),
});

export const recoverySummaryQuerySchema = z.object({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});

export const recoverySummarySchema = z.object({
  open: z.number(),
  overdue: z.number(),
  byOutcome: z.array(
    z.object({
      outcome: z.enum(["recovered", "not_recovered", "unreachable", "open"]),
      recoveries: z.number(),
      customers: z.number(),
      /** Customers of these recoveries who placed an order after their low score. */
      boughtAgain: z.number(),
      boughtAgainShare: z.number().nullable(),
    }),
  ),
});
