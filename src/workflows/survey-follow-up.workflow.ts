import { sql } from "drizzle-orm";
import type { AppContext } from "../context.ts";
import { withTransaction } from "../db/transaction.ts";
import { conflict, notFound, validationFailed } from "../errors.ts";
import { cancelJobBySingletonKey, enqueueJob } from "../jobs/job-queue.ts";
import { surveyCheckInJob } from "../jobs/survey-check-in.job.ts";
import { surveyResolutionJob } from "../jobs/survey-resolution.job.ts";
import type { ChatConversationRow } from "../modules/chat/chat.service.ts";
import { findConversationForTicket, listVisitorMessages } from "../modules/chat/chat.service.ts";
import { customerExists } from "../modules/customers/customer-profile.service.ts";
import { findCustomerEmailAddress } from "../modules/customers/customers.service.ts";
import { buildReplyAddress } from "../modules/email/reply-address.ts";
import { getOrder, type OrderRow } from "../modules/orders/orders.service.ts";
import { nextBusinessMoment } from "../modules/sla/business-hours.ts";
import { getWorkspaceCalendar } from "../modules/sla/sla.service.ts";
import { primaryScale, scaleLabels } from "../modules/surveys/survey-questions.ts";
import { cadenceDays, checkInDueAt, nextRelationshipNpsAt } from "../modules/surveys/survey-rules.ts";
import { signSurveyToken } from "../modules/surveys/survey-token.ts";
import {
  createSurveySend,
  findChatSurveySend,
  findSendResponse,
  getSurveyConfig,
  getSurveyDefinition,
  getSurveySettings,
  hasResolutionSurvey,
  isOptedOut,
  listNpsCandidates,
  type SurveySendRow,
  sendAnswerState,
} from "../modules/surveys/surveys.service.ts";
import { getTicketRow, type TicketRow } from "../modules/tickets/tickets.service.ts";

// Follow-ups that span modules: the survey after a solved ticket (tickets, chat, customers), the check-in after an
// order (orders), relationship NPS on a cadence (customers, business hours), and the prompt at the end of a chat.

const hourMs = 3_600_000;
const dayMs = 86_400_000;

const isResolved = (status: string) => status === "solved" || status === "closed";
const resolutionKey = (ticketId: number) => `survey-resolution:${ticketId}`;

/**
 * After a ticket's status changed (called by the ticket.automation job, in its transaction): solved schedules the
 * resolution survey after the configured delay; reopened cancels it, so only the last solve counts.
 */
export async function followUpTicketStatusChange(
  ctx: AppContext,
  ticketId: number,
  change: { from: string; to: string },
): Promise<void> {
  if (isResolved(change.to) && !isResolved(change.from)) {
    const settings = await getSurveySettings(ctx);
    if (!settings.resolution.enabled) return;
    const ticket = await getTicketRow(ctx, ticketId);
    if (!isResolved(ticket.status)) return;
    const solvedAt = ticket.solvedAt ?? ctx.clock.now();
    await enqueueJob(
      ctx,
      surveyResolutionJob,
      { ticketId, solvedAt: solvedAt.toISOString() },
      {
        runAt: new Date(solvedAt.getTime() + settings.resolution.delayHours * hourMs),
        singletonKey: resolutionKey(ticketId),
      },
    );
  } else if (!isResolved(change.to) && isResolved(change.from)) {
    await cancelJobBySingletonKey(ctx, resolutionKey(ticketId));
  }
}

/** Where a ticket's customer reads mail: their email address, else the address a chat visitor left. */
async function ticketRecipient(ctx: AppContext, ticket: TicketRow) {
  const email = await findCustomerEmailAddress(ctx, ticket.customerId);
  if (email) return email;
  const conversation = await findConversationForTicket(ctx, ticket.id);
  return conversation?.contactEmail
    ? { address: conversation.contactEmail, name: conversation.visitorName }
    : null;
}

/**
 * The survey.resolution job: mails the resolution survey unless the ticket was reopened since (not solved any more,
 * or solved again at another time, which has its own job) or already had its survey.
 */
export async function sendResolutionSurvey(
  ctx: AppContext,
  payload: { ticketId: number; solvedAt: string },
): Promise<SurveySendRow | null> {
  const settings = await getSurveySettings(ctx);
  if (!settings.resolution.enabled) return null;
  const ticket = await getTicketRow(ctx, payload.ticketId).catch(() => null);
  if (!ticket || !isResolved(ticket.status)) return null;
  if (ticket.solvedAt?.getTime() !== Date.parse(payload.solvedAt)) return null;
  if (await hasResolutionSurvey(ctx, ticket.id)) return null;
  return createSurveySend(ctx, {
    kind: settings.resolution.metric,
    customerId: ticket.customerId,
    channel: "email",
    ticket: { id: ticket.id, agentId: ticket.assigneeId, teamId: ticket.teamId, channel: ticket.channel },
    recipient: await ticketRecipient(ctx, ticket),
    mailSubject: `How did we do? Re: ${ticket.subject}`,
    about: ticket.subject,
    // A reply to the survey mail joins the ticket (and reopens it), like a reply to the agent's last answer.
    replyTo: buildReplyAddress(ticket, ctx.config.mailDomain),
  });
}

export type ChatSurveyPrompt = {
  token: string;
  question: { type: string; prompt: string; points: { value: number; label: string; symbol: string }[] };
  commentPrompt: string | null;
};

/**
 * What the widget shows when a chat ends: the resolution question (CSAT or CES), once per chat ticket, when the
 * chat survey is on, an agent answered, and the customer has not opted out. Null when there is nothing to ask.
 */
export async function offerEndOfChatSurvey(
  ctx: AppContext,
  conversation: Pick<ChatConversationRow, "ticketId">,
): Promise<ChatSurveyPrompt | null> {
  if (conversation.ticketId === null) return null;
  const ticketId = conversation.ticketId;
  const { settings, secret } = await getSurveyConfig(ctx);
  if (!settings.resolution.enabled || !settings.resolution.inChat) return null;
  const messages = await listVisitorMessages(ctx, conversation);
  if (!messages.some((message) => message.from === "agent")) return null;
  const send = await withTransaction(ctx, async (tx) => {
    const existing = await findChatSurveySend(tx, ticketId);
    if (existing) return existing;
    const ticket = await getTicketRow(tx, ticketId);
    if (await isOptedOut(tx, ticket.customerId, "surveys")) return null;
    return (
      (await createSurveySend(tx, {
        kind: settings.resolution.metric,
        customerId: ticket.customerId,
        channel: "chat",
        ticket: { id: ticket.id, agentId: ticket.assigneeId, teamId: ticket.teamId, channel: ticket.channel },
      })) ?? (await findChatSurveySend(tx, ticketId))
    );
  });
  if (send?.status !== "sent") return null;
  if (sendAnswerState(send, await findSendResponse(ctx, send.id), ctx.clock.now()) !== "open") return null;
  const primary = primaryScale(send.questions);
  if (!primary) return null;
  const comment = send.questions.find((q) => q.id === "comment");
  return {
    token: signSurveyToken(secret, "respond", send.id),
    question: { type: primary.type, prompt: primary.prompt, points: scaleLabels(primary) },
    commentPrompt: comment?.prompt ?? null,
  };
}

/**
 * After an order was placed or delivered (in the transaction that recorded it): schedules the check-in when the
 * settings key it off this event. Orders recorded long after the fact (an import of history) get none.
 */
export async function scheduleOrderCheckIn(
  ctx: AppContext,
  order: OrderRow,
  event: "placed" | "delivered",
): Promise<void> {
  const settings = await getSurveySettings(ctx);
  const checkIn = settings.checkIn;
  if (!checkIn.enabled || checkIn.basis !== event) return;
  if (order.status === "cancelled" || order.status === "refunded") return;
  const now = ctx.clock.now();
  const basisAt = event === "placed" ? order.placedAt : now;
  const staleBefore = now.getTime() - (event === "placed" ? checkIn.days + 2 : 90) * dayMs;
  if (order.placedAt.getTime() < staleBefore) return;
  const dueAt = checkInDueAt(await getWorkspaceCalendar(ctx), basisAt, checkIn.days);
  await enqueueJob(
    ctx,
    surveyCheckInJob,
    { orderId: order.id },
    { runAt: dueAt, singletonKey: `survey-check-in:${order.id}` },
  );
}

/** The survey.check-in job: "is everything as expected?" for an order that was not cancelled or refunded. */
export async function sendOrderCheckIn(ctx: AppContext, orderId: number): Promise<SurveySendRow | null> {
  const settings = await getSurveySettings(ctx);
  if (!settings.checkIn.enabled) return null;
  const order = await getOrder(ctx, orderId).catch(() => null);
  if (!order || order.status === "cancelled" || order.status === "refunded") return null;
  const reference = order.externalId ?? `#${order.id}`;
  return createSurveySend(ctx, {
    kind: "check_in",
    customerId: order.customerId,
    channel: "email",
    orderId: order.id,
    recipient: await findCustomerEmailAddress(ctx, order.customerId),
    mailSubject: `Is everything as expected with your order ${reference}?`,
    about: reference,
  });
}

/** Most relationship NPS surveys one sweep queues; the rest follow in the next hour's sweep. */
const npsSweepLimit = 500;

/**
 * The survey.nps-sweep job: queues every relationship NPS survey due before the next sweep, each at its customer's
 * slot (see nextRelationshipNpsAt), or at the next business moment when the slot was missed (downtime). Customers
 * the contact budget holds back are asked again at the next sweep. Sweeps run one at a time (an advisory lock).
 */
export async function queueDueRelationshipNps(ctx: AppContext): Promise<number> {
  const settings = await getSurveySettings(ctx);
  const nps = settings.relationshipNps;
  if (!nps.enabled || !nps.enabledAt) return 0;
  await ctx.db.execute(sql`select pg_advisory_xact_lock(7461003)`);
  const calendar = await getWorkspaceCalendar(ctx);
  const now = ctx.clock.now();
  const horizon = now.getTime() + hourMs;
  const enabledAt = new Date(nps.enabledAt);
  // A lower bound of any cadence (a month is at least 28 days); the exact due time is computed below.
  const notSurveyedSince = new Date(
    now.getTime() - Math.min(28 * nps.cadenceMonths, cadenceDays(nps.cadenceMonths)) * dayMs,
  );
  let queued = 0;
  let afterId = 0;
  for (;;) {
    const candidates = await listNpsCandidates(ctx, { notSurveyedSince, afterId, limit: 1000 });
    for (const candidate of candidates) {
      const dueAt = nextRelationshipNpsAt({
        customerId: candidate.customerId,
        anchor: candidate.createdAt > enabledAt ? candidate.createdAt : enabledAt,
        lastNpsAt: candidate.lastNpsAt,
        lastSurveyAt: candidate.lastSurveyAt,
        cadenceMonths: nps.cadenceMonths,
        minDaysBetweenSurveys: nps.minDaysSinceLastSurvey,
        calendar,
      });
      if (dueAt.getTime() > horizon) continue;
      const send = await createSurveySend(ctx, {
        kind: "nps",
        customerId: candidate.customerId,
        channel: "email",
        recipient: await findCustomerEmailAddress(ctx, candidate.customerId),
        deliverAt: dueAt.getTime() >= now.getTime() ? dueAt : nextBusinessMoment(calendar, now),
        dropIfRefused: true,
      });
      if (send) queued++;
      if (queued >= npsSweepLimit) return queued;
    }
    if (candidates.length < 1000) return queued;
    afterId = candidates[candidates.length - 1].customerId;
  }
}

/**
 * A survey asked for through the API: mailed by Tend (contact rules apply) or, on the "api" channel, opened for
 * the caller to show its link anywhere. A ticket or order named must belong to the customer.
 */
export async function requestSurvey(
  ctx: AppContext,
  input: {
    customerId: number;
    kind: "csat" | "ces" | "nps" | "check_in" | "custom";
    definitionId?: number;
    ticketId?: number;
    orderId?: number;
    channel: "email" | "api";
  },
): Promise<SurveySendRow> {
  return withTransaction(ctx, async (tx) => {
    if (!(await customerExists(tx, input.customerId))) throw notFound("Customer", input.customerId);
    const definition = input.definitionId ? await getSurveyDefinition(tx, input.definitionId) : undefined;
    if (definition && !definition.active) {
      throw validationFailed(`Survey ${definition.id} is not active`, { path: "body.definitionId" });
    }
    const ticket = input.ticketId ? await getTicketRow(tx, input.ticketId) : null;
    if (ticket && ticket.customerId !== input.customerId) {
      throw validationFailed("The ticket belongs to another customer", { path: "body.ticketId" });
    }
    const order = input.orderId ? await getOrder(tx, input.orderId) : null;
    if (order && order.customerId !== input.customerId) {
      throw validationFailed("The order belongs to another customer", { path: "body.orderId" });
    }
    const reference = order ? (order.externalId ?? `#${order.id}`) : null;
    const send = await createSurveySend(tx, {
      kind: input.kind,
      definition,
      customerId: input.customerId,
      channel: input.channel,
      ticket: ticket
        ? { id: ticket.id, agentId: ticket.assigneeId, teamId: ticket.teamId, channel: ticket.channel }
        : undefined,
      orderId: order?.id ?? null,
      recipient: ticket
        ? await ticketRecipient(tx, ticket)
        : await findCustomerEmailAddress(tx, input.customerId),
      about: ticket?.subject ?? reference,
      mailSubject: ticket ? `How did we do? Re: ${ticket.subject}` : definition ? definition.name : undefined,
      replyTo: ticket ? buildReplyAddress(ticket, ctx.config.mailDomain) : null,
    });
    if (!send) throw conflict("Such a survey was already sent for this order or chat", { kind: input.kind });
    return send;
  });
}
