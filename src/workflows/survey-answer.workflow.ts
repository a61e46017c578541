import type { AppContext } from "../context.ts";
import { withTransaction } from "../db/transaction.ts";
import { getOrder } from "../modules/orders/orders.service.ts";
import { isRecoveryScore, type SurveyMetric } from "../modules/surveys/survey-metrics.ts";
import { type AnswerProblem, parseAnswers } from "../modules/surveys/survey-questions.ts";
import {
  type ContactPurpose,
  findSendResponse,
  getSurveySettings,
  insertSurveyResponse,
  lockSurveySend,
  optOutOfContact,
  type SurveyRecoveryRow,
  type SurveyResponseRow,
  type SurveySendRow,
  sendAnswerState,
  setResponseComment,
  setResponseOpenedTicket,
} from "../modules/surveys/surveys.service.ts";
import { createTicketWithMessage } from "../modules/tickets/tickets.service.ts";
import { startRecovery } from "./survey-recovery.workflow.ts";

// A customer's answer, from the response page, the chat widget or the API: stored once per send, and acted on in
// the same transaction: a low score starts a recovery, a check-in that reports a problem opens a ticket.

export type AnswerOutcome =
  | {
      outcome: "recorded";
      send: SurveySendRow;
      response: SurveyResponseRow;
      openedTicketId: number | null;
      recovery: SurveyRecoveryRow | null;
    }
  | { outcome: "already_answered"; send: SurveySendRow; response: SurveyResponseRow }
  | { outcome: "closed"; send: SurveySendRow }
  | { outcome: "invalid"; send: SurveySendRow; problems: AnswerProblem[] };

export async function answerSurvey(
  ctx: AppContext,
  sendId: number,
  raw: Record<string, unknown>,
  source: string,
): Promise<AnswerOutcome> {
  return withTransaction(ctx, async (tx) => {
    const send = await lockSurveySend(tx, sendId);
    const existing = await findSendResponse(tx, send.id);
    const state = sendAnswerState(send, existing, tx.clock.now());
    if (existing) return { outcome: "already_answered", send, response: existing };
    if (state === "closed") return { outcome: "closed", send };
    const parsed = parseAnswers(send.questions, raw);
    if (!parsed.ok) return { outcome: "invalid", send, problems: parsed.problems };
    let response = await insertSurveyResponse(tx, send, parsed.value, source);
    let openedTicketId: number | null = null;
    if (send.kind === "check_in" && (parsed.value.score === 0 || parsed.value.comment)) {
      openedTicketId = await openCheckInTicket(tx, send, parsed.value.comment);
      response = await setResponseOpenedTicket(tx, response.id, openedTicketId);
    }
    let recovery: SurveyRecoveryRow | null = null;
    const settings = await getSurveySettings(tx);
    if (
      settings.recovery.enabled &&
      send.metric &&
      response.score !== null &&
      isRecoveryScore(send.metric as SurveyMetric, response.score, settings.recovery)
    ) {
      recovery = await startRecovery(tx, send, response, settings);
    }
    return { outcome: "recorded", send, response, openedTicketId, recovery };
  });
}

/** A check-in answer that reports a problem (or says anything) becomes the customer's message on a new ticket. */
async function openCheckInTicket(
  ctx: AppContext,
  send: SurveySendRow,
  comment: string | null,
): Promise<number> {
  const order = send.orderId ? await getOrder(ctx, send.orderId).catch(() => null) : null;
  const reference = order ? (order.externalId ?? `#${order.id}`) : null;
  const firstLine = comment?.split(/\r?\n/)[0]?.trim().slice(0, 120);
  const text =
    comment ??
    "Answered the purchase check-in: something is not as expected (no details given). Ask what happened.";
  const { ticket } = await createTicketWithMessage(
    ctx,
    {
      subject: `${reference ? `Order ${reference}` : "Check-in"}: ${firstLine || "something is not as expected"}`,
      customerId: send.customerId,
      channel: "email",
      tags: ["check-in"],
      customFields: order ? { orderId: order.id } : {},
    },
    {
      direction: "inbound",
      channel: "email",
      authorCustomerId: send.customerId,
      text,
      deliveryStatus: "received",
      metadata: { surveySendId: send.id },
    },
  );
  return ticket.id;
}

/**
 * Adds or replaces the comment on an answered send while its window is open ("Anything to add?" after the score).
 * Null when there is no answer yet or the window has closed.
 */
export async function commentOnSurvey(
  ctx: AppContext,
  sendId: number,
  comment: string,
): Promise<SurveyResponseRow | null> {
  return withTransaction(ctx, async (tx) => {
    const send = await lockSurveySend(tx, sendId);
    const response = await findSendResponse(tx, send.id);
    if (!response || !send.expiresAt || tx.clock.now() >= send.expiresAt) return null;
    return setResponseComment(tx, response, comment);
  });
}

/** The unsubscribe link (page or one-click POST): no more mail of the send's purpose to its customer. */
export async function unsubscribeFromSend(
  ctx: AppContext,
  send: SurveySendRow,
  source: string,
): Promise<ContactPurpose> {
  await withTransaction(ctx, (tx) => optOutOfContact(tx, send.customerId, send.purpose, source));
  return send.purpose;
}
