import type { AppContext } from "../context.ts";
import { withTransaction } from "../db/transaction.ts";
import {
  attachConversationTicket,
  type ChatConversationRow,
  lockOpenConversation,
} from "../modules/chat/chat.service.ts";
import { findOrCreateCustomerByIdentity } from "../modules/customers/customers.service.ts";
import {
  addMessage,
  createTicketWithMessage,
  getTicketRow,
  type MessageRow,
} from "../modules/tickets/tickets.service.ts";

export type RecordChatMessageResult = { conversation: ChatConversationRow; message: MessageRow };

function chatSubject(conversation: ChatConversationRow, text: string): string {
  const who = conversation.visitorName ?? (conversation.identityVerified ? conversation.contactEmail : null);
  const firstLine = text.split("\n")[0].trim();
  return `Chat from ${who ?? "a website visitor"}${firstLine ? `: ${firstLine.slice(0, 80)}` : ""}`;
}

/**
 * A visitor's message from the widget, as an inbound chat message on the conversation's ticket. The first message
 * finds the customer (by the signed email when the business signed it, else by the widget's visitor id: an unsigned
 * email never picks a customer) and opens the ticket; later ones join it, reopening it when it was solved.
 */
export async function recordVisitorChatMessage(
  ctx: AppContext,
  input: { conversationId: number; text: string },
): Promise<RecordChatMessageResult> {
  return withTransaction(ctx, async (tx) => {
    const conversation = await lockOpenConversation(tx, input.conversationId);
    const customerId =
      conversation.customerId ??
      (
        await findOrCreateCustomerByIdentity(
          tx,
          conversation.identityVerified && conversation.contactEmail
            ? { kind: "email", value: conversation.contactEmail, name: conversation.visitorName }
            : { kind: "chat", value: conversation.visitorId, name: conversation.visitorName },
        )
      ).customerId;
    const messageInput = {
      direction: "inbound" as const,
      channel: "chat" as const,
      authorCustomerId: customerId,
      text: input.text,
      deliveryStatus: "received" as const,
    };
    let message: MessageRow;
    let ticketId: number;
    if (conversation.ticketId !== null) {
      const ticket = await getTicketRow(tx, conversation.ticketId);
      ticketId = ticket.id;
      message = await addMessage(tx, { ...messageInput, ticketId });
    } else {
      const created = await createTicketWithMessage(
        tx,
        {
          subject: chatSubject(conversation, input.text),
          customerId,
          channel: "chat",
          customFields: { chatConversationId: conversation.id },
        },
        messageInput,
      );
      ticketId = created.ticket.id;
      message = created.message;
    }
    const updated = await attachConversationTicket(tx, conversation, { customerId, ticketId });
    return { conversation: updated, message };
  });
}
