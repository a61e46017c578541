import type { ServiceContext } from "../../context.ts";
import { notFound } from "../../errors.ts";
import {
  conditionsHold,
  type RuleAction,
  type RuleConditions,
  type RuleEventName,
  type RuleFacts,
} from "./rule-conditions.ts";
import {
  deleteRuleRow,
  insertRule,
  markRulesFired,
  type RuleRow,
  selectEnabledRulesForEvent,
  selectRuleFactsRows,
  selectRules,
  updateRuleRow,
} from "./rules.repo.ts";

type Ctx = Pick<ServiceContext, "db" | "clock">;

export type { RuleRow } from "./rules.repo.ts";

export type RuleInput = {
  name: string;
  enabled: boolean;
  position: number;
  events: RuleEventName[];
  conditions: RuleConditions;
  actions: RuleAction[];
};

export async function listRules(ctx: Pick<Ctx, "db">): Promise<RuleRow[]> {
  return selectRules(ctx.db);
}

export async function createRule(ctx: Ctx, input: RuleInput): Promise<RuleRow> {
  const now = ctx.clock.now();
  return insertRule(ctx.db, { ...input, createdAt: now, updatedAt: now });
}

export async function updateRule(ctx: Ctx, id: number, input: RuleInput): Promise<RuleRow> {
  const row = await updateRuleRow(ctx.db, id, { ...input, updatedAt: ctx.clock.now() });
  if (!row) throw notFound("Rule", id);
  return row;
}

export async function deleteRule(ctx: Pick<Ctx, "db">, id: number): Promise<void> {
  if (!(await deleteRuleRow(ctx.db, id))) throw notFound("Rule", id);
}

export type RuleTrigger = {
  event: RuleEventName;
  ticketId: number;
  messageId?: number | null;
  statusChange?: { from: string; to: string } | null;
  slaMetric?: string | null;
};

/** Facts about the ticket now; for a new ticket the message is its first one. */
export async function loadRuleFacts(ctx: Pick<Ctx, "db">, trigger: RuleTrigger): Promise<RuleFacts | null> {
  const row = await selectRuleFactsRows(ctx.db, trigger.ticketId, trigger.messageId ?? null);
  if (!row) return null;
  const text = row.messageText ?? (trigger.event === "ticket.created" ? row.firstMessageText : null);
  return {
    ticket: {
      priority: row.priority,
      status: row.status,
      channel: row.channel,
      teamId: row.teamId,
      assigneeId: row.assigneeId,
      tags: row.tags,
      subject: row.subject,
      frustrationScore: row.frustrationScore,
    },
    customer: {
      tier: row.customerTier,
      tags: row.customerTags,
      emails: row.emails,
      riskBand: row.customerRiskBand,
    },
    message: text === null ? null : { text },
    statusChange: trigger.statusChange ?? null,
    sla: trigger.slaMetric ? { metric: trigger.slaMetric } : null,
  };
}

/**
 * Runs `act` for each rule this trigger fires, in order, each checked against the ticket as the earlier rules left
 * it (the facts are read again before every rule). Records which rules fired and returns them.
 */
export async function runMatchingRules(
  ctx: Ctx,
  trigger: RuleTrigger,
  act: (rule: RuleRow) => Promise<void>,
): Promise<RuleRow[]> {
  const fired: RuleRow[] = [];
  for (const rule of await selectEnabledRulesForEvent(ctx.db, trigger.event)) {
    const facts = await loadRuleFacts(ctx, trigger);
    if (!facts) break;
    if (!conditionsHold(rule.conditions as RuleConditions, facts)) continue;
    await act(rule);
    fired.push(rule);
  }
  await markRulesFired(
    ctx.db,
    fired.map((rule) => rule.id),
    ctx.clock.now(),
  );
  return fired;
}

/** Cancellation wording: "cancel" also finds "cancellation" and "cancelled" (words are matched at their start). */
export const cancellationPhrases = [
  "cancel",
  "close my account",
  "delete my account",
  "end my subscription",
  "stop my subscription",
  "unsubscribe me",
];

/** Shipped example: a customer who sounds highly frustrated (src/analytics/text/frustration.ts) gets high priority. */
export const frustratedCustomerRule: RuleInput = {
  name: "Frustrated customers get high priority",
  enabled: true,
  position: 30,
  events: ["ticket.created", "message.received"],
  conditions: {
    all: [
      { field: "ticket.frustration_level", operator: "is", value: "high" },
      { field: "ticket.priority", operator: "in", value: ["low", "normal"] },
    ],
    any: [],
  },
  actions: [
    { type: "set_priority", value: "high" },
    { type: "add_tags", value: ["frustrated"] },
  ],
};

/**
 * The shipped examples, for a workspace without rules: VIP customers get high priority; a message that mentions
 * cancelling goes to the retention team; a customer who sounds highly frustrated gets high priority.
 */
export async function ensureStarterRules(
  ctx: Ctx,
  options: { retentionTeamId: () => Promise<number> },
): Promise<boolean> {
  if ((await selectRules(ctx.db)).length > 0) return false;
  const retentionTeamId = await options.retentionTeamId();
  await createRule(ctx, {
    name: "VIP customers get high priority",
    enabled: true,
    position: 10,
    events: ["ticket.created"],
    conditions: {
      all: [{ field: "ticket.priority", operator: "in", value: ["low", "normal"] }],
      any: [
        { field: "customer.tier", operator: "is", value: "vip" },
        { field: "customer.tags", operator: "includes_any", value: ["vip"] },
      ],
    },
    actions: [{ type: "set_priority", value: "high" }],
  });
  await createRule(ctx, {
    name: "Messages about cancelling go to the retention team",
    enabled: true,
    position: 20,
    events: ["ticket.created", "message.received"],
    conditions: {
      all: [{ field: "message.text", operator: "contains_any", value: cancellationPhrases }],
      any: [],
    },
    actions: [
      { type: "assign_team", value: retentionTeamId },
      { type: "add_tags", value: ["cancellation-risk"] },
    ],
  });
  await createRule(ctx, frustratedCustomerRule);
  return true;
}
