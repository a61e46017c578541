import type { AppContext } from "../context.ts";
import { withTransaction } from "../db/transaction.ts";
import { chatReplyDelivery } from "../modules/chat/chat.service.ts";
import { sanitizeMailHtml } from "../modules/email/mail-html.ts";
import { buildOutboundMailFields } from "../modules/email/outbound-mail.service.ts";
import {
  addMessage,
  type ChangeOrigin,
  getTicketRow,
  type MessageRow,
} from "../modules/tickets/tickets.service.ts";

export type ReplyToTicketInput = {
  ticketId: number;
  authorUserId: number | null;
  text: string;
  html?: string | null;
  isInternal?: boolean;
};

/**
 * An agent's reply or internal note, in one transaction. A public reply on an email ticket is queued for the
 * outbound worker with its Message-ID, threading headers and per-ticket Reply-To already fixed, so retries send
 * the same mail. Internal notes are never sent. A reply on a live chat is recorded as sent (the widget shows it);
 * on a chat that fell back to email it is queued as mail to the visitor's address. Other channels are recorded as
 * sent (their delivery comes later).
 */
export async function replyToTicket(ctx: AppContext, input: ReplyToTicketInput): Promise<MessageRow> {
  return withTransaction(ctx, (tx) => replyToTicketInTransaction(tx, input));
}

/** replyToTicket inside the caller's transaction (rules replying with a macro, for instance). */
export async function replyToTicketInTransaction(
  tx: AppContext,
  input: ReplyToTicketInput,
  origin: ChangeOrigin = {},
): Promise<MessageRow> {
  const ticket = await getTicketRow(tx, input.ticketId);
  const isInternal = input.isInternal ?? false;
  const base = {
    ticketId: ticket.id,
    direction: "outbound" as const,
    channel: ticket.channel,
    isInternal,
    authorUserId: input.authorUserId,
    text: input.text,
    // Stored HTML is always sanitised, whoever wrote it (see messages.html).
    html: input.html ? sanitizeMailHtml(input.html, () => null) : null,
  };
  if (isInternal) return addMessage(tx, { ...base, deliveryStatus: "sent" }, origin);
  if (ticket.channel === "chat") {
    // Live chat replies reach the widget through message.created; a chat that fell back to email is mailed.
    const delivery = await chatReplyDelivery(tx, ticket.id);
    if (delivery.kind === "chat") return addMessage(tx, { ...base, deliveryStatus: "sent" }, origin);
    const mail = await buildOutboundMailFields(tx, ticket, {
      recipient: { address: delivery.address, name: delivery.name },
    });
    return addMessage(tx, { ...base, channel: "email", ...mail, deliveryStatus: "queued" }, origin);
  }
  if (ticket.channel !== "email") return addMessage(tx, { ...base, deliveryStatus: "sent" }, origin);
  const mail = await buildOutboundMailFields(tx, ticket);
  return addMessage(tx, { ...base, ...mail, deliveryStatus: "queued" }, origin);
}
