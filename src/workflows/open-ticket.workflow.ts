import type { AppContext } from "../context.ts";
import { withTransaction } from "../db/transaction.ts";
import { notFound } from "../errors.ts";
import { customerExists } from "../modules/customers/customer-profile.service.ts";
import { findOrCreateCustomerByIdentity } from "../modules/customers/customers.service.ts";
import {
  type Channel,
  createTicket,
  type MessageRow,
  type TicketRow,
} from "../modules/tickets/tickets.service.ts";
import { replyToTicket } from "./reply-to-ticket.workflow.ts";

export type OpenTicketAsAgentInput = {
  customerId?: number;
  customer?: { email: string; name?: string };
  subject: string;
  text: string;
  channel?: Channel;
  authorUserId: number | null;
};

/**
 * An agent starts a conversation: the customer (found or created by email), the ticket and its first message,
 * all or nothing. On email the first message is queued for delivery like any reply.
 */
export async function openTicketAsAgent(
  ctx: AppContext,
  input: OpenTicketAsAgentInput,
): Promise<{ ticket: TicketRow; message: MessageRow }> {
  return withTransaction(ctx, async (tx) => {
    let customerId: number;
    if (input.customerId !== undefined) {
      if (!(await customerExists(tx, input.customerId))) throw notFound("Customer", input.customerId);
      customerId = input.customerId;
    } else {
      if (!input.customer) throw notFound("Customer");
      ({ customerId } = await findOrCreateCustomerByIdentity(tx, {
        kind: "email",
        value: input.customer.email,
        name: input.customer.name ?? null,
      }));
    }
    const ticket = await createTicket(tx, {
      subject: input.subject,
      customerId,
      channel: input.channel ?? "email",
      assigneeId: input.authorUserId,
      actorUserId: input.authorUserId,
    });
    // Nested: replyToTicket's own transaction becomes a savepoint inside this one.
    const message = await replyToTicket(tx, {
      ticketId: ticket.id,
      authorUserId: input.authorUserId,
      text: input.text,
    });
    return { ticket, message };
  });
}
