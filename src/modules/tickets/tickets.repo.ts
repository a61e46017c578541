import { aliasedTable, and, asc, eq, inArray, isNull, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import {
  attachments,
  customerIdentities,
  customers,
  messages,
  teams,
  tickets,
  users,
} from "../../db/schema.ts";
import type { TicketStatus } from "./tickets.service.ts";

export type TicketView = "mine" | "unassigned" | "open" | "pending" | "solved" | "all";
export const ticketViews: TicketView[] = ["mine", "unassigned", "open", "pending", "solved", "all"];
/** Views the list API offers beyond the inbox's counted ones: `recover`, tickets with a low score to recover. */
export type TicketListView = TicketView | "recover";

/** The tag that puts a ticket in the recover view until the lead records the recovery's outcome (surveys). */
export const recoverTag = "recover";

/** The statuses each inbox view shows; `mine` and `unassigned` also filter on the assignee, `recover` on its tag. */
export const viewStatuses: Record<TicketListView, TicketStatus[] | null> = {
  mine: ["new", "open", "pending", "on_hold"],
  unassigned: ["new", "open"],
  open: ["new", "open"],
  pending: ["pending", "on_hold"],
  solved: ["solved", "closed"],
  all: null,
  recover: null,
};

export type TicketListFilter = {
  view?: TicketListView;
  status?: TicketStatus[];
  /** A user id, or null for "no assignee". */
  assigneeId?: number | null;
  q?: string;
  /** The caller's user id, for the `mine` view (null matches nothing). */
  meUserId: number | null;
};

export type Keyset = { atMicros: string; id: number };

const previewLength = 140;

const ticketSummaryColumns = {
  id: tickets.id,
  subject: tickets.subject,
  status: tickets.status,
  priority: tickets.priority,
  channel: tickets.channel,
  tags: tickets.tags,
  createdAt: tickets.createdAt,
  updatedAt: tickets.updatedAt,
  lastMessageAt: tickets.lastMessageAt,
  customerId: customers.id,
  customerName: customers.name,
  customerEmail: sql<string | null>`(
    select ci.value from ${customerIdentities} ci
    where ci.customer_id = ${customers.id} and ci.kind = 'email'
    order by ci.is_primary desc, ci.id limit 1)`,
  assigneeId: users.id,
  assigneeName: users.name,
  teamId: teams.id,
  teamName: teams.name,
  preview: sql<string | null>`(
    select left(m.text, ${sql.raw(String(previewLength))}) from ${messages} m
    where m.ticket_id = ${tickets.id} and not m.is_internal
    order by m.created_at desc, m.id desc limit 1)`,
  // Exact microseconds for the cursor; a JS Date would round to milliseconds.
  cursorAtMicros: sql<string>`(extract(epoch from ${tickets.lastMessageAt}) * 1000000)::bigint::text`,
};

export type TicketSummaryRow = {
  id: number;
  subject: string;
  status: TicketStatus;
  priority: (typeof tickets.$inferSelect)["priority"];
  channel: (typeof tickets.$inferSelect)["channel"];
  tags: string[];
  createdAt: Date;
  updatedAt: Date;
  lastMessageAt: Date;
  customerId: number;
  customerName: string | null;
  customerEmail: string | null;
  assigneeId: number | null;
  assigneeName: string | null;
  teamId: number | null;
  teamName: string | null;
  preview: string | null;
  cursorAtMicros: string;
};

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * The text-search condition of the inbox, in one place so full-text search can replace it: case-insensitive
 * substring of the subject, the customer's name or one of their email addresses.
 */
export function ticketSearchCondition(q: string): SQL {
  const pattern = `%${escapeLike(q.trim())}%`;
  return sql`(${tickets.subject} ilike ${pattern} or ${customers.name} ilike ${pattern} or exists (
    select 1 from ${customerIdentities} ci
    where ci.customer_id = ${tickets.customerId} and ci.kind = 'email' and ci.value ilike ${pattern}))`;
}

function viewCondition(view: TicketListView, meUserId: number | null): SQL | undefined {
  const statuses = viewStatuses[view];
  const parts: (SQL | undefined)[] = [statuses ? inArray(tickets.status, statuses) : undefined];
  if (view === "mine") parts.push(meUserId === null ? sql`false` : eq(tickets.assigneeId, meUserId));
  if (view === "unassigned") parts.push(isNull(tickets.assigneeId));
  if (view === "recover") parts.push(sql`${recoverTag} = any(${tickets.tags})`);
  return and(...parts);
}

function filterConditions(filter: TicketListFilter): SQL | undefined {
  const conditions: (SQL | undefined)[] = [];
  if (filter.view) conditions.push(viewCondition(filter.view, filter.meUserId));
  if (filter.status && filter.status.length > 0) conditions.push(inArray(tickets.status, filter.status));
  if (filter.assigneeId === null) conditions.push(isNull(tickets.assigneeId));
  else if (filter.assigneeId !== undefined) conditions.push(eq(tickets.assigneeId, filter.assigneeId));
  if (filter.q?.trim()) conditions.push(ticketSearchCondition(filter.q));
  return and(...conditions);
}

const inboxOrder = [sql`${tickets.lastMessageAt} desc nulls last`, sql`${tickets.id} desc nulls last`];

function baseSummaryQuery(db: Db) {
  return db
    .select(ticketSummaryColumns)
    .from(tickets)
    .innerJoin(customers, eq(customers.id, tickets.customerId))
    .leftJoin(users, eq(users.id, tickets.assigneeId))
    .leftJoin(teams, eq(teams.id, tickets.teamId));
}

/** One page of the inbox, newest activity first; fetches limit + 1 rows so the caller knows if there is more. */
export async function selectTicketSummaries(
  db: Db,
  filter: TicketListFilter,
  page: { limit: number; after?: Keyset },
): Promise<TicketSummaryRow[]> {
  const after = page.after
    ? sql`(${tickets.lastMessageAt}, ${tickets.id}) < (timestamptz 'epoch' + ${page.after.atMicros}::bigint * interval '1 microsecond', ${page.after.id})`
    : undefined;
  return baseSummaryQuery(db)
    .where(and(filterConditions(filter), after))
    .orderBy(...inboxOrder)
    .limit(page.limit + 1);
}

export async function selectTicketSummaryById(
  db: Db,
  ticketId: number,
): Promise<TicketSummaryRow | undefined> {
  const [row] = await baseSummaryQuery(db).where(eq(tickets.id, ticketId));
  return row;
}

export async function selectCustomerTicketSummaries(
  db: Db,
  customerId: number,
  limit: number,
): Promise<TicketSummaryRow[]> {
  return baseSummaryQuery(db)
    .where(eq(tickets.customerId, customerId))
    .orderBy(...inboxOrder)
    .limit(limit);
}

/** Every view's count in one pass over the tickets. */
export async function selectTicketCounts(
  db: Db,
  meUserId: number | null,
): Promise<Record<TicketView, number>> {
  const count = (view: TicketView) => {
    const condition = viewCondition(view, meUserId);
    return condition ? sql<number>`(count(*) filter (where ${condition}))::int` : sql<number>`count(*)::int`;
  };
  const [row] = await db
    .select({
      mine: count("mine"),
      unassigned: count("unassigned"),
      open: count("open"),
      pending: count("pending"),
      solved: count("solved"),
      all: count("all"),
    })
    .from(tickets);
  return row;
}

const authorUsers = aliasedTable(users, "author_user");
const authorCustomers = aliasedTable(customers, "author_customer");

export async function selectTicketMessages(db: Db, ticketId: number) {
  return db
    .select({
      message: messages,
      authorUserName: authorUsers.name,
      authorCustomerName: authorCustomers.name,
    })
    .from(messages)
    .leftJoin(authorUsers, eq(authorUsers.id, messages.authorUserId))
    .leftJoin(authorCustomers, eq(authorCustomers.id, messages.authorCustomerId))
    .where(eq(messages.ticketId, ticketId))
    .orderBy(asc(messages.createdAt), asc(messages.id));
}

export async function selectMessageWithAuthor(db: Db, messageId: number) {
  const [row] = await db
    .select({
      message: messages,
      authorUserName: authorUsers.name,
      authorCustomerName: authorCustomers.name,
    })
    .from(messages)
    .leftJoin(authorUsers, eq(authorUsers.id, messages.authorUserId))
    .leftJoin(authorCustomers, eq(authorCustomers.id, messages.authorCustomerId))
    .where(eq(messages.id, messageId));
  return row;
}

export type AttachmentMeta = {
  id: number;
  messageId: number;
  filename: string;
  contentType: string;
  size: number;
  inline: boolean;
  contentId: string | null;
};

/** Attachment metadata (never the bytes) for several messages at once. */
export async function selectAttachmentsForMessages(db: Db, messageIds: number[]): Promise<AttachmentMeta[]> {
  if (messageIds.length === 0) return [];
  return db
    .select({
      id: attachments.id,
      messageId: attachments.messageId,
      filename: attachments.filename,
      contentType: attachments.contentType,
      size: attachments.size,
      inline: attachments.inline,
      contentId: attachments.contentId,
    })
    .from(attachments)
    .where(inArray(attachments.messageId, messageIds))
    .orderBy(asc(attachments.id));
}

export async function selectAttachmentContent(db: Db, attachmentId: number) {
  const [row] = await db
    .select({
      id: attachments.id,
      filename: attachments.filename,
      contentType: attachments.contentType,
      size: attachments.size,
      content: attachments.content,
      ticketId: messages.ticketId,
    })
    .from(attachments)
    .innerJoin(messages, eq(messages.id, attachments.messageId))
    .where(eq(attachments.id, attachmentId));
  return row;
}

/** The customer's most recently active unsolved ticket on a channel, for threading calls and texts. */
export async function selectLatestUnsolvedTicketId(
  db: Db,
  customerId: number,
  channel: (typeof tickets.$inferSelect)["channel"],
): Promise<number | null> {
  const [row] = await db
    .select({ id: tickets.id })
    .from(tickets)
    .where(
      and(
        eq(tickets.customerId, customerId),
        eq(tickets.channel, channel),
        inArray(tickets.status, ["new", "open", "pending", "on_hold"]),
      ),
    )
    .orderBy(sql`${tickets.lastMessageAt} desc nulls last`)
    .limit(1);
  return row?.id ?? null;
}

export async function selectMessageByExternalId(
  db: Db,
  channel: (typeof tickets.$inferSelect)["channel"],
  externalMessageId: string,
) {
  const [row] = await db
    .select({ id: messages.id, ticketId: messages.ticketId, customerId: tickets.customerId })
    .from(messages)
    .innerJoin(tickets, eq(tickets.id, messages.ticketId))
    .where(and(eq(messages.channel, channel), eq(messages.externalMessageId, externalMessageId)));
  return row;
}

export async function updateMessageExternalId(
  db: Db,
  messageId: number,
  externalMessageId: string,
): Promise<void> {
  await db.update(messages).set({ externalMessageId }).where(eq(messages.id, messageId));
}
