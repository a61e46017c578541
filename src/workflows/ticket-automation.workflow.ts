import { randomUUID } from "node:crypto";
import type { z } from "zod";
import type { AppContext } from "../context.ts";
import { enqueueJob } from "../jobs/job-queue.ts";
import { riskCustomerJob } from "../jobs/risk-scoring.job.ts";
import type { ticketAutomationPayload } from "../jobs/ticket-automation.job.ts";
import { webhookDeliveryJob } from "../jobs/webhook-delivery.job.ts";
import { applyMacro } from "../modules/macros/macros.service.ts";
import { routeTeam, routeTeamsOfUser } from "../modules/routing/routing.service.ts";
import type { RuleAction } from "../modules/rules/rule-conditions.ts";
import { type RuleRow, type RuleTrigger, runMatchingRules } from "../modules/rules/rules.service.ts";
import { getTicketRow, type UpdateTicketInput, updateTicket } from "../modules/tickets/tickets.service.ts";
import { replyToTicketInTransaction } from "./reply-to-ticket.workflow.ts";
import { followUpTicketStatusChange } from "./survey-follow-up.workflow.ts";

type Payload = z.output<typeof ticketAutomationPayload>;

/**
 * What happens after a ticket changed, in the job's transaction: follow-ups (a solved ticket schedules its
 * survey, a reopened one cancels it), the rules for each trigger (unless the change came from a rule), then
 * routing: an unassigned ticket of a routed team goes to an agent with room, and an agent whose load went down may
 * take waiting work.
 */
export async function runTicketAutomation(ctx: AppContext, payload: Payload): Promise<void> {
  // Follow-ups come first and whoever made the change: a solve by a rule is still a solve.
  for (const trigger of payload.triggers) {
    if (trigger.event === "ticket.status_changed" && trigger.statusChange) {
      await followUpTicketStatusChange(ctx, payload.ticketId, trigger.statusChange);
    }
  }
  if (!payload.fromRule) {
    for (const trigger of payload.triggers) {
      const ruleTrigger: RuleTrigger = { ...trigger, ticketId: payload.ticketId };
      await runMatchingRules(ctx, ruleTrigger, (rule) => executeRuleActions(ctx, rule, ruleTrigger));
    }
  }
  const ticket = await getTicketRow(ctx, payload.ticketId);
  if (
    ticket.teamId !== null &&
    ticket.assigneeId === null &&
    (ticket.status === "new" || ticket.status === "open")
  ) {
    await routeTeam(ctx, ticket.teamId);
  }
  if (payload.freedAssigneeId !== null) await routeTeamsOfUser(ctx, payload.freedAssigneeId);
  // Service signals feed the customer's churn risk: score them again shortly (bursts of changes coalesce).
  await enqueueJob(
    ctx,
    riskCustomerJob,
    { customerId: ticket.customerId },
    {
      singletonKey: `risk:customer:${ticket.customerId}`,
      runAt: new Date(ctx.clock.now().getTime() + 30_000),
    },
  );
}

/** A rule's actions: ticket changes together in one update, then macros, then webhooks (queued). */
async function executeRuleActions(ctx: AppContext, rule: RuleRow, trigger: RuleTrigger): Promise<void> {
  const actions = rule.actions as RuleAction[];
  const ticket = await getTicketRow(ctx, trigger.ticketId);
  const changes: UpdateTicketInput = {};
  let tags = [...ticket.tags];
  for (const action of actions) {
    if (action.type === "set_priority") changes.priority = action.value;
    else if (action.type === "set_status") changes.status = action.value;
    else if (action.type === "assign_team") changes.teamId = action.value;
    else if (action.type === "assign_agent") changes.assigneeId = action.value;
    else if (action.type === "add_tags") tags = [...tags, ...action.value];
    else if (action.type === "remove_tags") {
      const removed = new Set(action.value.map((tag) => tag.toLowerCase()));
      tags = tags.filter((tag) => !removed.has(tag));
    }
  }
  if (actions.some((action) => action.type === "add_tags" || action.type === "remove_tags"))
    changes.tags = tags;
  if (Object.keys(changes).length > 0) await updateTicket(ctx, ticket.id, changes, null, { fromRule: true });

  for (const action of actions) {
    if (action.type === "apply_macro") {
      const applied = await applyMacro(ctx, action.value, ticket.id, null, { fromRule: true });
      if (applied.text.trim()) {
        await replyToTicketInTransaction(
          ctx,
          { ticketId: ticket.id, authorUserId: null, text: applied.text },
          { fromRule: true },
        );
      }
    } else if (action.type === "send_webhook") {
      const current = await getTicketRow(ctx, ticket.id);
      await enqueueJob(ctx, webhookDeliveryJob, {
        url: action.url,
        secret: action.secret ?? null,
        deliveryId: randomUUID(),
        body: {
          event: trigger.event,
          rule: { id: rule.id, name: rule.name },
          ticket: {
            id: current.id,
            subject: current.subject,
            status: current.status,
            priority: current.priority,
            channel: current.channel,
            customerId: current.customerId,
            assigneeId: current.assigneeId,
            teamId: current.teamId,
            tags: current.tags,
          },
          messageId: trigger.messageId ?? null,
          statusChange: trigger.statusChange ?? null,
          occurredAt: ctx.clock.now().toISOString(),
        },
      });
    }
  }
}
