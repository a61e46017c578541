import type { ServiceContext } from "../context.ts";
import { withTransaction } from "../db/transaction.ts";
import type { LogCallBody } from "../modules/calls/calls.schemas.ts";
import {
  addMessage,
  callSlaEffect,
  getTicketRow,
  type MessageRow,
} from "../modules/tickets/tickets.service.ts";

const outcomeWords: Record<LogCallBody["outcome"], string> = {
  answered: "answered",
  resolved: "resolved on the call",
  callback_requested: "callback requested",
  voicemail: "left a voicemail",
  no_answer: "no answer",
  missed: "missed",
};

function formatDuration(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  return `${minutes}:${String(seconds % 60).padStart(2, "0")}`;
}

/**
 * Records a phone call on a ticket as a phone-channel message carrying the call's details. A call someone picked
 * up counts as the team's response for SLAs (whoever rang); a missed incoming call is the customer waiting; an
 * unanswered outgoing call changes no clock.
 */
export async function logCall(
  ctx: ServiceContext,
  input: LogCallBody & { ticketId: number; agentUserId: number | null },
): Promise<MessageRow> {
  const slaEffect = callSlaEffect(input);
  const summary = `${input.direction === "inbound" ? "Incoming" : "Outgoing"} call, ${formatDuration(
    input.durationSeconds,
  )}, ${outcomeWords[input.outcome]}`;
  return withTransaction(ctx, async (tx) => {
    const ticket = await getTicketRow(tx, input.ticketId);
    return addMessage(tx, {
      ticketId: ticket.id,
      direction: input.direction,
      channel: "phone",
      authorUserId: input.agentUserId,
      authorCustomerId: input.direction === "inbound" ? ticket.customerId : null,
      text: input.notes ? `${summary}\n\n${input.notes}` : summary,
      deliveryStatus: input.direction === "inbound" ? "received" : "sent",
      slaEffect,
      metadata: {
        call: {
          direction: input.direction,
          durationSeconds: input.durationSeconds,
          outcome: input.outcome,
          phoneNumber: input.phoneNumber ?? null,
          occurredAt: input.occurredAt ?? null,
        },
      },
    });
  });
}
