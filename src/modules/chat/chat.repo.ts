import { and, asc, desc, eq, inArray, or, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import {
  type ChatWidgetSettings,
  chatConversations,
  chatSettings,
  customers,
  messages,
  users,
} from "../../db/schema.ts";

export type ChatSettingsRow = typeof chatSettings.$inferSelect;
export type ChatConversationRow = typeof chatConversations.$inferSelect;
export type ChatConversationInsert = typeof chatConversations.$inferInsert;

export async function selectChatSettings(db: Db): Promise<ChatSettingsRow | null> {
  const [row] = await db.select().from(chatSettings).where(eq(chatSettings.id, 1));
  return row ?? null;
}

/** Inserts the one settings row unless another request did first; the caller reads it back. */
export async function insertChatSettingsIfMissing(
  db: Db,
  values: { widgetKey: string; identitySecret: string; widget: ChatWidgetSettings; now: Date },
): Promise<void> {
  await db
    .insert(chatSettings)
    .values({
      id: 1,
      widgetKey: values.widgetKey,
      identitySecret: values.identitySecret,
      widget: values.widget,
      createdAt: values.now,
      updatedAt: values.now,
    })
    .onConflictDoNothing();
}

export async function updateChatSettingsRow(
  db: Db,
  set: Partial<Pick<ChatSettingsRow, "widgetKey" | "identitySecret" | "widget">> & { updatedAt: Date },
): Promise<ChatSettingsRow> {
  const [row] = await db.update(chatSettings).set(set).where(eq(chatSettings.id, 1)).returning();
  return row;
}

export async function insertConversation(
  db: Db,
  values: ChatConversationInsert,
): Promise<ChatConversationRow> {
  const [row] = await db.insert(chatConversations).values(values).returning();
  return row;
}

export async function selectConversationByTokenHash(
  db: Db,
  tokenHash: string,
): Promise<ChatConversationRow | null> {
  const [row] = await db
    .select()
    .from(chatConversations)
    .where(eq(chatConversations.visitorTokenHash, tokenHash));
  return row ?? null;
}

export async function selectConversationById(
  db: Db,
  id: number,
  options: { forUpdate?: boolean } = {},
): Promise<ChatConversationRow | null> {
  const query = db.select().from(chatConversations).where(eq(chatConversations.id, id));
  const [row] = options.forUpdate ? await query.for("update") : await query;
  return row ?? null;
}

/** The conversation a chat ticket came from (the newest, should a ticket ever carry two). */
export async function selectConversationByTicketId(
  db: Db,
  ticketId: number,
): Promise<ChatConversationRow | null> {
  const [row] = await db
    .select()
    .from(chatConversations)
    .where(eq(chatConversations.ticketId, ticketId))
    .orderBy(desc(chatConversations.id))
    .limit(1);
  return row ?? null;
}

export async function updateConversation(
  db: Db,
  id: number,
  set: Partial<Omit<ChatConversationRow, "id" | "visitorTokenHash" | "createdAt">>,
): Promise<ChatConversationRow> {
  const [row] = await db.update(chatConversations).set(set).where(eq(chatConversations.id, id)).returning();
  return row;
}

export async function countOnlineAgents(db: Db): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(users)
    .where(and(eq(users.active, true), eq(users.status, "online")));
  return row?.n ?? 0;
}

export type VisitorMessageRow = {
  id: number;
  direction: "inbound" | "outbound";
  channel: (typeof messages.$inferSelect)["channel"];
  text: string;
  createdAt: Date;
  authorUserName: string | null;
  authorCustomerName: string | null;
};

const visitorMessageColumns = {
  id: messages.id,
  direction: messages.direction,
  channel: messages.channel,
  text: messages.text,
  createdAt: messages.createdAt,
  authorUserName: users.name,
  authorCustomerName: customers.name,
};

/**
 * What a visitor may see of a ticket: their own chat messages and the agents' public replies (live or by email).
 * Internal notes, and mail that reached the ticket by other routes, never leave Tend through the widget.
 */
const visibleToVisitor = and(
  eq(messages.isInternal, false),
  or(eq(messages.direction, "outbound"), eq(messages.channel, "chat")),
);

/** The newest `limit` messages a visitor may see on a ticket, oldest first. */
export async function selectVisitorMessages(
  db: Db,
  ticketId: number,
  limit: number,
): Promise<VisitorMessageRow[]> {
  const rows = await db
    .select(visitorMessageColumns)
    .from(messages)
    .leftJoin(users, eq(users.id, messages.authorUserId))
    .leftJoin(customers, eq(customers.id, messages.authorCustomerId))
    .where(and(eq(messages.ticketId, ticketId), visibleToVisitor))
    .orderBy(desc(messages.createdAt), desc(messages.id))
    .limit(limit);
  return rows.reverse();
}

/** One message if, and only if, it is on this ticket and visible to the visitor. */
export async function selectVisitorMessage(
  db: Db,
  ticketId: number,
  messageId: number,
): Promise<VisitorMessageRow | null> {
  const [row] = await db
    .select(visitorMessageColumns)
    .from(messages)
    .leftJoin(users, eq(users.id, messages.authorUserId))
    .leftJoin(customers, eq(customers.id, messages.authorCustomerId))
    .where(and(eq(messages.id, messageId), eq(messages.ticketId, ticketId), visibleToVisitor));
  return row ?? null;
}

/** Conversations by id, for the socket hub to refresh several at once. */
export async function selectConversationsByIds(db: Db, ids: number[]): Promise<ChatConversationRow[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(chatConversations)
    .where(inArray(chatConversations.id, ids))
    .orderBy(asc(chatConversations.id));
}
