import type { AppContext } from "../context.ts";
import { withTransaction } from "../db/transaction.ts";
import { isUniqueViolation } from "../db/unique-violation.ts";
import { AppError, validationFailed } from "../errors.ts";
import {
  addCustomerIdentity,
  findCustomerIdByIdentity,
  findOrCreateCustomerByIdentity,
} from "../modules/customers/customers.service.ts";
import type { IdentityKind } from "../modules/customers/identities.ts";
import { addMessage, type Channel, createTicket, getTicketRow } from "../modules/tickets/tickets.service.ts";
import {
  findLatestUnsolvedTicketId,
  findMessageByExternalId,
  setMessageExternalId,
} from "../modules/tickets/tickets-inbox.service.ts";

export type ChannelCustomer = {
  email?: string;
  phone?: string;
  externalId?: string;
  chatVisitorId?: string;
  socialHandle?: string;
  name?: string;
};

export type RecordChannelMessageInput = {
  channel: Exclude<Channel, "email">;
  customer: ChannelCustomer;
  text: string;
  subject?: string;
  direction?: "inbound" | "outbound";
  ticketId?: number;
  externalMessageId?: string;
  /** The agent recording an outbound call or text; null for integrations. */
  authorUserId?: number | null;
};

export type RecordChannelMessageResult = {
  ticketId: number;
  messageId: number;
  customerId: number;
  /** False when externalMessageId was seen before and the earlier message is returned. */
  created: boolean;
};

/** The identities in the customer object, the one that best identifies a sender on this channel first. */
export function channelIdentities(
  channel: RecordChannelMessageInput["channel"],
  customer: ChannelCustomer,
): { kind: IdentityKind; value: string }[] {
  const all: { kind: IdentityKind; value: string | undefined }[] = [
    { kind: "external", value: customer.externalId },
    { kind: "phone", value: customer.phone },
    { kind: "social", value: customer.socialHandle },
    { kind: "chat", value: customer.chatVisitorId },
    { kind: "email", value: customer.email },
  ];
  const preferred: IdentityKind | null =
    channel === "phone" || channel === "sms"
      ? "phone"
      : channel === "social"
        ? "social"
        : channel === "chat"
          ? "chat"
          : null;
  const present = all.filter((i): i is { kind: IdentityKind; value: string } => Boolean(i.value?.trim()));
  return preferred
    ? [...present.filter((i) => i.kind === preferred), ...present.filter((i) => i.kind !== preferred)]
    : present;
}

function defaultSubject(channel: RecordChannelMessageInput["channel"], who: string, text: string): string {
  const label = {
    phone: "Phone call",
    sms: "SMS",
    social: "Social message",
    chat: "Chat",
    web: "Web form",
    api: "Message",
  }[channel];
  const firstLine = text.split("\n")[0].trim();
  return `${label} from ${who}${firstLine ? `: ${firstLine.slice(0, 80)}` : ""}`;
}

/**
 * Records a call, text, social or API message: finds or creates the customer by any identity given, joins their
 * latest unsolved ticket on that channel (or the given ticket, when it is theirs) or opens one. The same
 * externalMessageId twice gives back the first message instead of a duplicate.
 */
export async function recordChannelMessage(
  ctx: AppContext,
  input: RecordChannelMessageInput,
): Promise<RecordChannelMessageResult> {
  const identities = channelIdentities(input.channel, input.customer);
  if (identities.length === 0) {
    throw validationFailed(
      "customer needs at least one of email, phone, externalId, chatVisitorId, socialHandle",
    );
  }
  if (input.externalMessageId) {
    const existing = await findMessageByExternalId(ctx, input.channel, input.externalMessageId);
    if (existing) {
      return {
        ticketId: existing.ticketId,
        messageId: existing.id,
        customerId: existing.customerId,
        created: false,
      };
    }
  }
  try {
    return await withTransaction(ctx, async (tx) => {
      let customerId: number | null = null;
      for (const identity of identities) {
        customerId = await findCustomerIdByIdentity(tx.db, identity.kind, identity.value);
        if (customerId !== null) break;
      }
      if (customerId === null) {
        ({ customerId } = await findOrCreateCustomerByIdentity(tx, {
          ...identities[0],
          name: input.customer.name ?? null,
        }));
      }
      // Learn the other identities; one that belongs to someone else stays theirs.
      for (const identity of identities) await addCustomerIdentity(tx, customerId, identity);

      let ticketId: number | null = null;
      if (input.ticketId !== undefined) {
        const ticket = await getTicketRow(tx, input.ticketId);
        if (ticket.customerId !== customerId) {
          throw new AppError("validation_failed", `Ticket ${input.ticketId} belongs to another customer`, {
            path: "body.ticketId",
          });
        }
        ticketId = ticket.id;
      } else {
        ticketId = await findLatestUnsolvedTicketId(tx, customerId, input.channel);
      }
      if (ticketId === null) {
        const ticket = await createTicket(tx, {
          subject:
            input.subject ??
            defaultSubject(input.channel, input.customer.name ?? identities[0].value, input.text),
          customerId,
          channel: input.channel,
          actorUserId: input.authorUserId ?? null,
        });
        ticketId = ticket.id;
      }
      const direction = input.direction ?? "inbound";
      const message = await addMessage(tx, {
        ticketId,
        direction,
        channel: input.channel,
        authorUserId: direction === "outbound" ? (input.authorUserId ?? null) : null,
        authorCustomerId: direction === "inbound" ? customerId : null,
        text: input.text,
        deliveryStatus: direction === "inbound" ? "received" : "sent",
      });
      if (input.externalMessageId) await setMessageExternalId(tx, message.id, input.externalMessageId);
      return { ticketId, messageId: message.id, customerId, created: true };
    });
  } catch (error) {
    // Two deliveries of the same provider message raced; the loser returns the winner's message.
    if (input.externalMessageId && isUniqueViolation(error)) {
      const existing = await findMessageByExternalId(ctx, input.channel, input.externalMessageId);
      if (existing) {
        return {
          ticketId: existing.ticketId,
          messageId: existing.id,
          customerId: existing.customerId,
          created: false,
        };
      }
    }
    throw error;
  }
}
