import { z } from "zod";
import { frustrationLevel } from "../../analytics/text/frustration.ts";

// Rules: "when EVENT, if CONDITIONS, then ACTIONS". This file is pure: the shapes (zod, shared by the API and the
// engine) and the evaluation of conditions against facts about a ticket.

export const ruleEventSchema = z.enum([
  "ticket.created",
  "message.received",
  "ticket.status_changed",
  "sla.warning",
]);
export type RuleEventName = z.infer<typeof ruleEventSchema>;

const textFields = ["ticket.subject", "message.text"] as const;
const valueFields = [
  "ticket.priority",
  "ticket.status",
  "ticket.channel",
  "ticket.team_id",
  "ticket.assignee_id",
  "customer.tier",
  "customer.email_domain",
  "status.from",
  "status.to",
  "sla.metric",
  "ticket.frustration_level",
  "customer.risk_band",
] as const;
const numberFields = ["ticket.frustration_score"] as const;
const listFields = ["ticket.tags", "customer.tags"] as const;

const scalar = z.union([z.string().max(200), z.number(), z.null()]);
const words = z.array(z.string().trim().min(1).max(200)).min(1).max(100);

export const ruleConditionSchema = z.discriminatedUnion("operator", [
  z.strictObject({ field: z.enum(valueFields), operator: z.literal("is"), value: scalar }),
  z.strictObject({ field: z.enum(valueFields), operator: z.literal("is_not"), value: scalar }),
  z.strictObject({
    field: z.enum(valueFields),
    operator: z.literal("in"),
    value: z.array(scalar).min(1).max(100),
  }),
  z.strictObject({
    field: z.enum(valueFields),
    operator: z.literal("not_in"),
    value: z.array(scalar).min(1).max(100),
  }),
  z.strictObject({ field: z.enum(valueFields), operator: z.literal("is_set") }),
  z.strictObject({ field: z.enum(valueFields), operator: z.literal("is_not_set") }),
  z.strictObject({
    field: z.enum(textFields),
    operator: z.literal("contains_any").describe("Any of the words or phrases, at a word start, any case"),
    value: words,
  }),
  z.strictObject({ field: z.enum(textFields), operator: z.literal("contains_none"), value: words }),
  z.strictObject({ field: z.enum(listFields), operator: z.literal("includes_any"), value: words }),
  z.strictObject({ field: z.enum(listFields), operator: z.literal("includes_none"), value: words }),
  z.strictObject({
    field: z.enum(numberFields),
    operator: z.literal("at_least").describe("The value is set and at least this (frustration: 0..1)"),
    value: z.number().min(0).max(1),
  }),
]);
export type RuleCondition = z.infer<typeof ruleConditionSchema>;

export const ruleConditionsSchema = z.strictObject({
  all: z.array(ruleConditionSchema).max(50).default([]).describe("Every one must hold"),
  any: z
    .array(ruleConditionSchema)
    .max(50)
    .default([])
    .describe("At least one must hold (ignored when empty)"),
});
export type RuleConditions = z.infer<typeof ruleConditionsSchema>;

const tag = z.string().trim().min(1).max(64);
const positiveId = z.number().int().positive().max(2_147_483_647);

export const ruleActionSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("set_priority"), value: z.enum(["low", "normal", "high", "urgent"]) }),
  z.strictObject({
    type: z.literal("set_status"),
    value: z.enum(["new", "open", "pending", "on_hold", "solved", "closed"]),
  }),
  z.strictObject({ type: z.literal("add_tags"), value: z.array(tag).min(1).max(20) }),
  z.strictObject({ type: z.literal("remove_tags"), value: z.array(tag).min(1).max(20) }),
  z.strictObject({ type: z.literal("assign_team"), value: positiveId }),
  z.strictObject({ type: z.literal("assign_agent"), value: positiveId }),
  z.strictObject({
    type: z.literal("apply_macro"),
    value: positiveId.describe("The macro's ticket changes apply and its text is sent as a public reply"),
  }),
  z.strictObject({
    type: z.literal("send_webhook"),
    url: z.url({ protocol: /^https?$/ }).max(2000),
    secret: z
      .string()
      .min(16)
      .max(200)
      .optional()
      .describe("Signs the body: X-Tend-Signature: sha256=<hex HMAC>"),
  }),
]);
export type RuleAction = z.infer<typeof ruleActionSchema>;

/** What conditions can look at when a rule is evaluated. */
export type RuleFacts = {
  ticket: {
    priority: string;
    status: string;
    channel: string;
    teamId: number | null;
    assigneeId: number | null;
    tags: string[];
    subject: string;
    /** How frustrated the customer sounds, 0..1 (null when not scored). */
    frustrationScore: number | null;
  };
  /** riskBand: the churn-risk band (low, medium, high) from the latest scoring; null when not scored. */
  customer: { tier: string | null; tags: string[]; emails: string[]; riskBand?: string | null };
  /** The message that triggered the event (the first one for a new ticket), if any. */
  message: { text: string } | null;
  statusChange: { from: string; to: string } | null;
  sla: { metric: string } | null;
};

function fieldValue(field: (typeof valueFields)[number], facts: RuleFacts): string | number | null {
  switch (field) {
    case "ticket.priority":
      return facts.ticket.priority;
    case "ticket.status":
      return facts.ticket.status;
    case "ticket.channel":
      return facts.ticket.channel;
    case "ticket.team_id":
      return facts.ticket.teamId;
    case "ticket.assignee_id":
      return facts.ticket.assigneeId;
    case "customer.tier":
      return facts.customer.tier;
    case "customer.email_domain":
      return facts.customer.emails[0]?.split("@")[1] ?? null;
    case "status.from":
      return facts.statusChange?.from ?? null;
    case "status.to":
      return facts.statusChange?.to ?? null;
    case "sla.metric":
      return facts.sla?.metric ?? null;
    case "ticket.frustration_level":
      return frustrationLevel(facts.ticket.frustrationScore);
    case "customer.risk_band":
      return facts.customer.riskBand ?? null;
  }
}

const same = (a: unknown, b: unknown) =>
  typeof a === "string" && typeof b === "string" ? a.toLowerCase() === b.toLowerCase() : a === b;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Whether `text` mentions a phrase at a word start ("cancel" finds "Cancellation", not "uncancelled"). */
export function mentions(text: string, phrase: string): boolean {
  const pattern = phrase.trim().split(/\s+/).map(escapeRegExp).join("\\s+");
  return new RegExp(`(?<![\\p{L}\\p{N}])${pattern}`, "iu").test(text);
}

function textOf(field: (typeof textFields)[number], facts: RuleFacts): string {
  return field === "ticket.subject" ? facts.ticket.subject : (facts.message?.text ?? "");
}

export function conditionHolds(condition: RuleCondition, facts: RuleFacts): boolean {
  switch (condition.operator) {
    case "is":
      return same(fieldValue(condition.field, facts), condition.value);
    case "is_not":
      return !same(fieldValue(condition.field, facts), condition.value);
    case "in":
      return condition.value.some((value) => same(fieldValue(condition.field, facts), value));
    case "not_in":
      return !condition.value.some((value) => same(fieldValue(condition.field, facts), value));
    case "is_set":
      return fieldValue(condition.field, facts) !== null;
    case "is_not_set":
      return fieldValue(condition.field, facts) === null;
    case "contains_any":
      return condition.value.some((phrase) => mentions(textOf(condition.field, facts), phrase));
    case "contains_none":
      return !condition.value.some((phrase) => mentions(textOf(condition.field, facts), phrase));
    case "includes_any":
    case "includes_none": {
      const tags = new Set(
        (condition.field === "ticket.tags" ? facts.ticket.tags : facts.customer.tags).map((t) =>
          t.toLowerCase(),
        ),
      );
      const found = condition.value.some((value) => tags.has(value.toLowerCase()));
      return condition.operator === "includes_any" ? found : !found;
    }
    case "at_least": {
      const score = facts.ticket.frustrationScore;
      return score !== null && score >= condition.value;
    }
  }
}

/** All of `all` and, when `any` is not empty, at least one of `any`. */
export function conditionsHold(conditions: RuleConditions, facts: RuleFacts): boolean {
  return (
    conditions.all.every((condition) => conditionHolds(condition, facts)) &&
    (conditions.any.length === 0 || conditions.any.some((condition) => conditionHolds(condition, facts)))
  );
}
