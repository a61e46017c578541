import { DateTime } from "luxon";
import type { AppContext } from "../context.ts";
import { withTransaction } from "../db/transaction.ts";
import { conflict } from "../errors.ts";
import { cancelJobBySingletonKey, enqueueJob } from "../jobs/job-queue.ts";
import { surveyRecoveryDueJob } from "../jobs/survey-recovery-due.job.ts";
import { findCustomerEmailAddress } from "../modules/customers/customers.service.ts";
import { notifyUsers } from "../modules/notifications/notifications.service.ts";
import { addBusinessMs } from "../modules/sla/business-hours.ts";
import { getWorkspaceCalendar } from "../modules/sla/sla.service.ts";
import type { SurveyMetric } from "../modules/surveys/survey-metrics.ts";
import {
  describeSendKind,
  findRecovery,
  insertRecoveryRecord,
  lockRecovery,
  type SurveyRecoveryRow,
  type SurveyResponseRow,
  type SurveySendRow,
  type SurveySettings,
  saveRecoveryOutcome,
} from "../modules/surveys/surveys.service.ts";
import {
  createTicketWithMessage,
  getTicketRow,
  type TicketPriority,
  updateTicket,
} from "../modules/tickets/tickets.service.ts";
import { recoverTag } from "../modules/tickets/tickets-inbox.service.ts";
import { recordTimelineEvent } from "../modules/timeline/timeline.service.ts";
import { listLeadIds, listUsers } from "../modules/users/users.service.ts";
import { replyToTicketInTransaction } from "./reply-to-ticket.workflow.ts";

// Closing the loop on a low score: the ticket reopened (or a follow-up ticket) for the team lead, tagged `recover`
// so it shows in the recover view, due within its own business-hours target; the lead records the outcome.

const hourMs = 3_600_000;
const scaleMax: Record<SurveyMetric, number> = { csat: 5, ces: 7, nps: 10 };
const metricNames: Record<SurveyMetric, string> = { csat: "CSAT", ces: "CES", nps: "NPS" };
const outcomeLabels: Record<NonNullable<SurveyRecoveryRow["outcome"]>, string> = {
  recovered: "recovered",
  not_recovered: "not recovered",
  unreachable: "customer unreachable",
};

function describeScore(metric: SurveyMetric, score: number): string {
  return `${metricNames[metric]} ${score}/${scaleMax[metric]}`;
}

function atLeastHigh(priority: TicketPriority): TicketPriority {
  return priority === "urgent" ? "urgent" : "high";
}

/**
 * Starts the recovery of a low score (inside the answer's transaction). With a ticket that is not closed and the
 * "reopen" setting, the ticket is reopened with priority high and the `recover` tag; otherwise (relationship NPS,
 * a closed ticket, or the "task" setting) a new follow-up ticket is opened for the lead. An internal note carries
 * the score and comment, the leads are notified, and the recovery's own due time (business hours) is watched.
 */
export async function startRecovery(
  ctx: AppContext,
  send: SurveySendRow,
  response: SurveyResponseRow,
  settings: SurveySettings,
): Promise<SurveyRecoveryRow> {
  const metric = send.metric as SurveyMetric;
  const score = response.score as number;
  const now = ctx.clock.now();
  const calendar = await getWorkspaceCalendar(ctx);
  const dueAt = addBusinessMs(calendar, now, Math.round(settings.recovery.dueHours * hourMs));
  const ticket = send.ticketId ? await getTicketRow(ctx, send.ticketId).catch(() => null) : null;
  const leads = (await listLeadIds(ctx, ticket?.teamId ?? null)).sort((a, b) => a - b);
  const ownerId = leads[0] ?? null;
  const owner = ownerId ? (await listUsers(ctx)).find((user) => user.id === ownerId) : undefined;
  const scoreText = describeScore(metric, score);
  const dueText = DateTime.fromJSDate(dueAt, { zone: calendar.timezone }).toFormat("ccc d LLL HH:mm ZZZZ");
  const note = [
    `${scoreText} on the ${describeSendKind(send.kind).toLowerCase()}${response.comment ? `: “${response.comment}”` : " (no comment)."}`,
    `Recovery due by ${dueText}${owner ? `, owned by ${owner.name}` : ""}. Record the outcome when done.`,
  ].join("\n");

  let ticketId: number;
  let action: "reopened" | "follow_up_ticket";
  if (ticket && settings.recovery.action === "reopen" && ticket.status !== "closed") {
    await updateTicket(ctx, ticket.id, {
      status: "open",
      priority: atLeastHigh(ticket.priority),
      tags: [...ticket.tags, recoverTag],
    });
    await replyToTicketInTransaction(ctx, {
      ticketId: ticket.id,
      authorUserId: null,
      text: note,
      isInternal: true,
    });
    ticketId = ticket.id;
    action = "reopened";
  } else {
    const email = await findCustomerEmailAddress(ctx, send.customerId);
    const who = email?.name ?? email?.address ?? `customer #${send.customerId}`;
    const channel = email ? "email" : "web";
    const created = await createTicketWithMessage(
      ctx,
      {
        subject: `Follow up: ${scoreText} from ${who}`,
        customerId: send.customerId,
        channel,
        status: "open",
        priority: "high",
        assigneeId: ownerId,
        teamId: ticket?.teamId ?? null,
        tags: [recoverTag],
      },
      {
        direction: "outbound",
        channel,
        isInternal: true,
        text: ticket ? `${note}\nAbout ticket #${ticket.id}: ${ticket.subject}` : note,
        deliveryStatus: "sent",
      },
    );
    ticketId = created.ticket.id;
    action = "follow_up_ticket";
  }
  const recovery = await insertRecoveryRecord(ctx, {
    responseId: response.id,
    customerId: send.customerId,
    ticketId,
    ownerUserId: ownerId,
    action,
    metric,
    score,
    dueAt,
    createdAt: now,
  });
  await enqueueJob(
    ctx,
    surveyRecoveryDueJob,
    { recoveryId: recovery.id },
    { runAt: dueAt, singletonKey: `survey-recovery:${recovery.id}` },
  );
  await notifyUsers(ctx, leads, {
    kind: "survey.recovery",
    ticketId,
    text: `${scoreText} on ticket #${ticketId}: recover by ${dueText}`,
  });
  await recordTimelineEvent(ctx.db, {
    customerId: send.customerId,
    ticketId,
    kind: "survey.recovery_opened",
    summary: `Low score (${scoreText}): ${action === "reopened" ? `ticket #${ticketId} reopened` : `follow-up ticket #${ticketId} opened`} for recovery`,
    data: { recoveryId: recovery.id, responseId: response.id, dueAt: dueAt.toISOString() },
    occurredAt: now,
  });
  return recovery;
}

/**
 * The lead records how the recovery went: the task is done, the ticket leaves the recover view (its `recover` tag
 * goes), and the outcome is noted on the ticket and the customer's timeline.
 */
export async function recordRecoveryOutcome(
  ctx: AppContext,
  recoveryId: number,
  input: { outcome: NonNullable<SurveyRecoveryRow["outcome"]>; note?: string },
  actorUserId: number | null,
): Promise<SurveyRecoveryRow> {
  return withTransaction(ctx, async (tx) => {
    const recovery = await lockRecovery(tx, recoveryId);
    if (recovery.status === "done") {
      throw conflict(`Recovery ${recoveryId} already has its outcome (${recovery.outcome})`, {
        outcome: recovery.outcome,
      });
    }
    const note = input.note?.trim() || null;
    const done = await saveRecoveryOutcome(tx, recoveryId, {
      outcome: input.outcome,
      note,
      userId: actorUserId,
    });
    const summary = `Recovery outcome: ${outcomeLabels[input.outcome]}${note ? ` – ${note}` : ""}`;
    if (recovery.ticketId !== null) {
      const ticket = await getTicketRow(tx, recovery.ticketId).catch(() => null);
      if (ticket) {
        await updateTicket(
          tx,
          ticket.id,
          { tags: ticket.tags.filter((tag) => tag !== recoverTag) },
          actorUserId,
        );
        await replyToTicketInTransaction(tx, {
          ticketId: ticket.id,
          authorUserId: actorUserId,
          text: summary,
          isInternal: true,
        });
      }
    }
    await cancelJobBySingletonKey(tx, `survey-recovery:${recoveryId}`);
    await recordTimelineEvent(tx.db, {
      customerId: recovery.customerId,
      ticketId: recovery.ticketId,
      kind: "survey.recovery_closed",
      summary,
      actorUserId,
      data: { recoveryId, outcome: input.outcome },
      occurredAt: tx.clock.now(),
    });
    return done;
  });
}

/** The survey.recovery-due job: an open recovery at its due time is overdue; its owner and the leads hear of it. */
export async function notifyOverdueRecovery(ctx: AppContext, recoveryId: number): Promise<void> {
  const recovery = await findRecovery(ctx, recoveryId);
  if (recovery?.status !== "open") return;
  const ticket = recovery.ticketId ? await getTicketRow(ctx, recovery.ticketId).catch(() => null) : null;
  const leads = await listLeadIds(ctx, ticket?.teamId ?? null);
  await notifyUsers(ctx, [...(recovery.ownerUserId ? [recovery.ownerUserId] : []), ...leads], {
    kind: "survey.recovery_overdue",
    ticketId: recovery.ticketId,
    text: `Recovery on ticket #${recovery.ticketId ?? "?"} is overdue: record what happened with the customer`,
  });
}
