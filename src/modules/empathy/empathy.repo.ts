import { and, eq, gte, inArray, lte, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { messages, tickets } from "../../db/schema.ts";

/**
 * A customer's inbound contacts since `since`: each mail, call, SMS or API message counts once, a chat
 * conversation (many messages in minutes) once per ticket. `chatTicketId`: whether that chat ticket already counts.
 */
export async function countInboundContacts(
  db: Db,
  customerId: number,
  since: Date,
  chatTicketId: number | null,
): Promise<{ contacts: number; chatTicketCounted: boolean }> {
  const [row] = await db
    .select({
      contacts: sql<number>`(count(*) filter (where ${messages.channel} <> 'chat')
        + count(distinct ${messages.ticketId}) filter (where ${messages.channel} = 'chat'))::int`,
      chatTicketCounted: sql<boolean>`coalesce(bool_or(${messages.channel} = 'chat'
        and ${messages.ticketId} = ${chatTicketId ?? 0}), false)`,
    })
    .from(messages)
    .innerJoin(tickets, eq(tickets.id, messages.ticketId))
    .where(
      and(
        eq(tickets.customerId, customerId),
        eq(messages.direction, "inbound"),
        eq(messages.isInternal, false),
        eq(messages.isAutomated, false),
        gte(messages.createdAt, since),
      ),
    );
  return { contacts: Number(row?.contacts ?? 0), chatTicketCounted: row?.chatTicketCounted ?? false };
}

/** The stored inbound contacts (as countInboundContacts counts them) of some customers between two times. */
export async function selectInboundContacts(db: Db, customerIds: readonly number[], from: Date, to: Date) {
  if (customerIds.length === 0) return [];
  return db
    .select({
      ticketId: messages.ticketId,
      customerId: tickets.customerId,
      channel: messages.channel,
      at: messages.createdAt,
    })
    .from(messages)
    .innerJoin(tickets, eq(tickets.id, messages.ticketId))
    .where(
      and(
        inArray(tickets.customerId, [...customerIds]),
        eq(messages.direction, "inbound"),
        eq(messages.isInternal, false),
        eq(messages.isAutomated, false),
        gte(messages.createdAt, from),
        lte(messages.createdAt, to),
      ),
    );
}
