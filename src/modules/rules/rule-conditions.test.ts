import { describe, expect, it } from "vitest";
import {
  conditionsHold,
  mentions,
  type RuleFacts,
  ruleActionSchema,
  ruleConditionsSchema,
} from "./rule-conditions.ts";

const facts: RuleFacts = {
  ticket: {
    priority: "normal",
    status: "new",
    channel: "email",
    teamId: null,
    assigneeId: null,
    tags: [],
    subject: "Help",
    frustrationScore: null,
  },
  customer: { tier: "VIP", tags: ["wholesale"], emails: ["ana@marigold.example"] },
  message: { text: "Please CANCEL my subscription — third time asking." },
  statusChange: null,
  sla: null,
};

describe("rule conditions", () => {
  it("finds phrases at word starts, in any case, across spacing", () => {
    expect(mentions("I want a cancellation", "cancel")).toBe(true);
    expect(mentions("It was uncancelled", "cancel")).toBe(false);
    expect(mentions("close   my\\naccount".replace("\\n", "\n"), "close my account")).toBe(true);
    expect(mentions("a (b) c", "(b)")).toBe(true);
  });

  it("evaluates all and any", () => {
    const vip = ruleConditionsSchema.parse({
      any: [
        { field: "customer.tier", operator: "is", value: "vip" },
        { field: "customer.tags", operator: "includes_any", value: ["vip"] },
      ],
    });
    expect(conditionsHold(vip, facts)).toBe(true);
    expect(conditionsHold(vip, { ...facts, customer: { ...facts.customer, tier: null } })).toBe(false);
    const cancelUnassigned = ruleConditionsSchema.parse({
      all: [
        { field: "message.text", operator: "contains_any", value: ["cancel", "close my account"] },
        { field: "ticket.team_id", operator: "is_not_set" },
        { field: "customer.email_domain", operator: "in", value: ["marigold.example"] },
      ],
    });
    expect(conditionsHold(cancelUnassigned, facts)).toBe(true);
    expect(conditionsHold(cancelUnassigned, { ...facts, ticket: { ...facts.ticket, teamId: 3 } })).toBe(
      false,
    );
    expect(conditionsHold(ruleConditionsSchema.parse({}), facts)).toBe(true);
  });

  it("refuses malformed conditions and actions with a path", () => {
    const badCondition = ruleConditionsSchema.safeParse({
      all: [{ field: "ticket.tags", operator: "is", value: "x" }],
    });
    expect(badCondition.success).toBe(false);
    const badWebhook = ruleActionSchema.safeParse({ type: "send_webhook", url: "ftp://example.com/hook" });
    expect(badWebhook.success).toBe(false);
    expect(ruleActionSchema.parse({ type: "assign_team", value: 2 })).toEqual({
      type: "assign_team",
      value: 2,
    });
  });

  it("looks at the customer's churn-risk band, and an unscored customer has none", () => {
    const highRisk = ruleConditionsSchema.parse({
      all: [{ field: "customer.risk_band", operator: "in", value: ["high", "medium"] }],
    });
    const withBand = (riskBand: string | null) => ({ ...facts, customer: { ...facts.customer, riskBand } });
    expect(conditionsHold(highRisk, withBand("high"))).toBe(true);
    expect(conditionsHold(highRisk, withBand("low"))).toBe(false);
    expect(conditionsHold(highRisk, withBand(null))).toBe(false);
  });

  it("looks at the ticket's frustration by level and by score", () => {
    const high = ruleConditionsSchema.parse({
      all: [{ field: "ticket.frustration_level", operator: "is", value: "high" }],
    });
    const atLeast = ruleConditionsSchema.parse({
      all: [{ field: "ticket.frustration_score", operator: "at_least", value: 0.4 }],
    });
    const withScore = (score: number | null) => ({
      ...facts,
      ticket: { ...facts.ticket, frustrationScore: score },
    });
    expect(conditionsHold(high, withScore(0.8))).toBe(true);
    expect(conditionsHold(high, withScore(0.35))).toBe(false);
    expect(conditionsHold(atLeast, withScore(0.35))).toBe(false);
    expect(conditionsHold(atLeast, withScore(0.45))).toBe(true);
    expect(conditionsHold(atLeast, withScore(null))).toBe(false);
    expect(
      ruleConditionsSchema.safeParse({
        all: [{ field: "ticket.frustration_score", operator: "at_least", value: 2 }],
      }).success,
    ).toBe(false);
  });
});
