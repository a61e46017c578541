import { DateTime } from "luxon";
import type { ServiceContext } from "../context.ts";
import { withTransaction } from "../db/transaction.ts";
import { enqueueJob } from "../jobs/job-queue.ts";
import { ticketAutomationJob } from "../jobs/ticket-automation.job.ts";
import { notifyUsers } from "../modules/notifications/notifications.service.ts";
import {
  claimDueSlaClocks,
  type DueClock,
  getSlaPolicy,
  recordSlaAlerts,
} from "../modules/sla/sla.service.ts";
import { getTicketRow, type TicketPriority, updateTicket } from "../modules/tickets/tickets.service.ts";
import { recordTimelineEvent } from "../modules/timeline/timeline.service.ts";
import { listLeadIds } from "../modules/users/users.service.ts";
import { getWorkspaceTimezone } from "../modules/workspace/workspace.service.ts";

const metricNames: Record<DueClock["metric"], string> = {
  first_response: "first response",
  next_response: "next response",
  resolution: "resolution",
};

const raisedPriority: Record<TicketPriority, TicketPriority> = {
  low: "normal",
  normal: "high",
  high: "urgent",
  urgent: "urgent",
};

/**
 * Finds SLA clocks whose warning share or target has passed and acts once on each: a warning tells the assignee
 * (or the team's leads when nobody has the ticket); a breach is recorded at the due time and runs the policy's
 * escalation: raise the priority, notify the team lead, hand the ticket to another team. Safe to run in several
 * processes at once (claimed rows are locked and skipped by others). Returns what it did.
 */
export async function runSlaSweep(
  ctx: ServiceContext,
  options: { batch?: number } = {},
): Promise<{ warned: number; breached: number }> {
  const totals = { warned: 0, breached: 0 };
  for (;;) {
    const done = await withTransaction(ctx, async (tx) => {
      const due = await claimDueSlaClocks(tx, options.batch ?? 100);
      for (const clock of due) await actOnClock(tx, clock, totals);
      return due.length;
    });
    if (done < (options.batch ?? 100)) return totals;
  }
}

async function actOnClock(
  ctx: ServiceContext,
  clock: DueClock,
  totals: { warned: number; breached: number },
): Promise<void> {
  const ticket = await getTicketRow(ctx, clock.ticketId);
  await recordSlaAlerts(ctx, clock);
  const what = metricNames[clock.metric];
  const now = ctx.clock.now();
  if (clock.breach) {
    totals.breached += 1;
    ctx.events.publish({ type: "sla.breached", ticketId: ticket.id, metric: clock.metric });
    await recordTimelineEvent(ctx.db, {
      customerId: ticket.customerId,
      ticketId: ticket.id,
      kind: "sla.breached",
      summary: `Ticket #${ticket.id} missed its ${what} target`,
      data: { metric: clock.metric, dueAt: clock.dueAt?.toISOString() ?? null },
      occurredAt: now,
    });
    await escalate(ctx, ticket.id, clock, what);
    return;
  }
  totals.warned += 1;
  ctx.events.publish({ type: "sla.warning", ticketId: ticket.id, metric: clock.metric });
  // Rules may react to the warning ("SLA warning" event), after this commits.
  await enqueueJob(ctx, ticketAutomationJob, {
    ticketId: ticket.id,
    triggers: [{ event: "sla.warning", slaMetric: clock.metric }],
  });
  const recipients = ticket.assigneeId !== null ? [ticket.assigneeId] : await listLeadIds(ctx, ticket.teamId);
  await notifyUsers(ctx, recipients, {
    kind: "sla.warning",
    ticketId: ticket.id,
    text: `#${ticket.id} “${ticket.subject}”: ${what} due ${clock.dueAt ? `at ${formatDueAt(clock.dueAt, now, await getWorkspaceTimezone(ctx))}` : "soon"}`,
  });
}

/** "14:30 Europe/London" today, "Mon 7 Dec 09:00 Europe/London" on another day: in the workspace's zone. */
export function formatDueAt(dueAt: Date, now: Date, zone: string): string {
  const due = DateTime.fromJSDate(dueAt, { zone });
  const sameDay = due.hasSame(DateTime.fromJSDate(now, { zone }), "day");
  return `${due.toFormat(sameDay ? "HH:mm" : "ccc d LLL HH:mm")} ${zone}`;
}

async function escalate(ctx: ServiceContext, ticketId: number, clock: DueClock, what: string) {
  const policy = clock.policyId !== null ? await getSlaPolicy(ctx, clock.policyId) : null;
  const escalation = policy?.escalation ?? {};
  let ticket = await getTicketRow(ctx, ticketId);
  if (escalation.raisePriority && ticket.priority !== "urgent") {
    ticket = await updateTicket(ctx, ticketId, { priority: raisedPriority[ticket.priority] });
  }
  if (escalation.reassignTeamId && escalation.reassignTeamId !== ticket.teamId) {
    ticket = await updateTicket(ctx, ticketId, { teamId: escalation.reassignTeamId, assigneeId: null });
  }
  const recipients = new Set<number>();
  if (ticket.assigneeId !== null) recipients.add(ticket.assigneeId);
  if (escalation.notifyLead || ticket.assigneeId === null) {
    for (const id of await listLeadIds(ctx, ticket.teamId)) recipients.add(id);
  }
  await notifyUsers(ctx, [...recipients], {
    kind: "sla.breached",
    ticketId,
    text: `#${ticketId} “${ticket.subject}” missed its ${what} target${policy ? ` (${policy.name})` : ""}`,
  });
}
