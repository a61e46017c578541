import { aliasedTable, and, asc, eq, gte, inArray, isNotNull, isNull, lt, type SQL, sql } from "drizzle-orm";
import { frustrationModel } from "../../analytics/text/frustration.ts";
import type { Db } from "../../db/client.ts";
import {
  attachments,
  customerIdentities,
  customerRisk,
  customers,
  frustrationRankSql,
  messages,
  teams,
  tickets,
  users,
} from "../../db/schema.ts";
import type { Channel, TicketStatus } from "./tickets.service.ts";

export type TicketView =
  | "mine"
  | "unassigned"
  | "open"
  | "pending"
  | "solved"
  | "all"
  | "breaching"
  | "value_at_risk"
  | "recover"
  | "frustrated";
export const ticketViews: TicketView[] = [
  "mine",
  "unassigned",
  "open",
  "pending",
  "solved",
  "all",
  "breaching",
  "recover",
  "value_at_risk",
  "frustrated",
];

/** The tag that puts a ticket in the recover view until the lead records the recovery's outcome (surveys). */
export const recoverTag = "recover";

/**
 * The statuses each inbox view shows; `mine` and `unassigned` also filter on the assignee, `breaching` on a running
 * SLA clock, `recover` on its tag (tickets with a low survey score whose recovery is not recorded);
 * `value_at_risk` lists unsolved tickets of customers with a churn-risk score, most value at stake first;
 * `frustrated` lists unsolved tickets whose customer sounds highly frustrated (see src/analytics/text/frustration.ts).
 */
export const viewStatuses: Record<TicketView, TicketStatus[] | null> = {
  mine: ["new", "open", "pending", "on_hold"],
  unassigned: ["new", "open"],
  open: ["new", "open"],
  pending: ["pending", "on_hold"],
  solved: ["solved", "closed"],
  all: null,
  breaching: ["new", "open"],
  recover: null,
  value_at_risk: ["new", "open", "pending", "on_hold"],
  frustrated: ["new", "open", "pending", "on_hold"],
};

export type TicketListFilter = {
  view?: TicketView;
  status?: TicketStatus[];
  /** A user id, or null for "no assignee". */
  assigneeId?: number | null;
  /** Any of these channels. */
  channel?: Channel[];
  /** Every one of these tags. */
  tags?: string[];
  /** Created at or after this time. */
  createdFrom?: Date;
  /** Created before this time. */
  createdBefore?: Date;
  /** The caller's user id, for the `mine` view (null matches nothing). */
  meUserId: number | null;
  /** Now, by the app's clock: the value-at-risk view weighs tickets whose SLA is late or due within 4 hours. */
  now?: Date;
};

/** A page boundary: the sort key (microseconds, or the value-at-risk rank) and id; `rank` in the frustration order. */
export type Keyset = { atMicros: string; id: number; rank?: number };

/**
 * How a list is sorted. The open views (mine, unassigned, all open) put frustrated customers first (high, then
 * mild; see frustrationRankSql), then the latest activity; breaching soon and value at risk keep their own order;
 * the rest are latest activity first.
 */
export type InboxOrder = "frustration" | "activity" | "sla_due" | "value_at_risk";

const frustrationFirstViews = new Set<TicketView>(["mine", "unassigned", "open"]);

export function inboxOrderOf(filter: Pick<TicketListFilter, "view">): InboxOrder {
  if (filter.view === "breaching") return "sla_due";
  if (filter.view === "value_at_risk") return "value_at_risk";
  return filter.view && frustrationFirstViews.has(filter.view) ? "frustration" : "activity";
}

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
  customerRiskScore: customerRisk.score,
  customerRiskBand: customerRisk.band,
  customerPredictedValueMinor: customerRisk.predictedValueMinor,
  customerValueCurrency: customerRisk.currency,
  customerValueAtRiskMinor: customerRisk.valueAtRiskMinor,
  frustrationScore: tickets.frustrationScore,
  frustrationCues: tickets.frustrationCues,
  slaPolicyId: tickets.slaPolicyId,
  slaDueAt: tickets.slaDueAt,
  slaDueMetric: tickets.slaDueMetric,
  slaBreachedAt: tickets.slaBreachedAt,
  // Exact microseconds for the cursor; a JS Date would round to milliseconds.
  cursorAtMicros: sql<string>`(extract(epoch from ${tickets.lastMessageAt}) * 1000000)::bigint::text`,
  slaDueMicros: sql<string | null>`(extract(epoch from ${tickets.slaDueAt}) * 1000000)::bigint::text`,
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
  customerRiskScore: number | null;
  customerRiskBand: string | null;
  customerPredictedValueMinor: number | null;
  customerValueCurrency: string | null;
  customerValueAtRiskMinor: number | null;
  frustrationScore: number | null;
  frustrationCues: string[];
  slaPolicyId: number | null;
  slaDueAt: Date | null;
  slaDueMetric: (typeof tickets.$inferSelect)["slaDueMetric"];
  slaBreachedAt: Date | null;
  cursorAtMicros: string;
  slaDueMicros: string | null;
};

function viewCondition(view: TicketView, meUserId: number | null): SQL | undefined {
  const statuses = viewStatuses[view];
  const parts: (SQL | undefined)[] = [statuses ? inArray(tickets.status, statuses) : undefined];
  if (view === "mine") parts.push(meUserId === null ? sql`false` : eq(tickets.assigneeId, meUserId));
  if (view === "unassigned") parts.push(isNull(tickets.assigneeId));
  if (view === "breaching") parts.push(isNotNull(tickets.slaDueAt));
  if (view === "recover") parts.push(sql`${recoverTag} = any(${tickets.tags})`);
  if (view === "value_at_risk") parts.push(isNotNull(customerRisk.valueAtRiskMinor));
  if (view === "frustrated") parts.push(gte(tickets.frustrationScore, frustrationModel.flagThreshold));
  return and(...parts);
}

/** The inbox filters as one condition on `tickets` (search applies the same ones to its candidates). */
export function filterConditions(filter: TicketListFilter): SQL | undefined {
  const conditions: (SQL | undefined)[] = [];
  if (filter.view) conditions.push(viewCondition(filter.view, filter.meUserId));
  if (filter.status && filter.status.length > 0) conditions.push(inArray(tickets.status, filter.status));
  if (filter.assigneeId === null) conditions.push(isNull(tickets.assigneeId));
  else if (filter.assigneeId !== undefined) conditions.push(eq(tickets.assigneeId, filter.assigneeId));
  if (filter.channel && filter.channel.length > 0) conditions.push(inArray(tickets.channel, filter.channel));
  if (filter.tags && filter.tags.length > 0) {
    conditions.push(sql`${tickets.tags} @> ${sql.param(filter.tags, tickets.tags)}::text[]`);
  }
  if (filter.createdFrom) conditions.push(gte(tickets.createdAt, filter.createdFrom));
  if (filter.createdBefore) conditions.push(lt(tickets.createdAt, filter.createdBefore));
  return and(...conditions);
}

const inboxOrder = [sql`${tickets.lastMessageAt} desc nulls last`, sql`${tickets.id} desc nulls last`];

export function baseSummaryQuery(db: Db) {
  return db
    .select(ticketSummaryColumns)
    .from(tickets)
    .innerJoin(customers, eq(customers.id, tickets.customerId))
    .leftJoin(users, eq(users.id, tickets.assigneeId))
    .leftJoin(teams, eq(teams.id, tickets.teamId))
    .leftJoin(customerRisk, eq(customerRisk.customerId, tickets.customerId));
}

/** The value-at-risk view's order: the customer's value at risk, doubled when an SLA is late, ×1.5 when due soon. */
function valueAtRiskRank(now: Date): SQL<number> {
  const soon = new Date(now.getTime() + 4 * 3_600_000);
  return sql<number>`(coalesce(${customerRisk.valueAtRiskMinor}, 0) * case
    when ${tickets.slaBreachedAt} is not null then 2
    when ${tickets.slaDueAt} < ${soon} then 1.5 else 1 end)::bigint`;
}

const slaDueOrder = [sql`${tickets.slaDueAt} asc`, sql`${tickets.id} asc`];

const ticketFrustrationRank = frustrationRankSql(tickets.frustrationScore);
/** Matches tickets_unsolved_frustration_idx (columns and directions), so a page reads the index in order. */
const frustrationOrder = [
  sql`${ticketFrustrationRank} desc`,
  sql`${tickets.lastMessageAt} desc nulls last`,
  sql`${tickets.id} desc nulls last`,
];

/**
 * One page of the inbox in the list's order (see inboxOrderOf); fetches limit + 1 rows so the caller knows if
 * there is more.
 */
export async function selectTicketSummaries(
  db: Db,
  filter: TicketListFilter,
  page: { limit: number; after?: Keyset },
): Promise<TicketSummaryRow[]> {
  return ticketSummariesQuery(db, filter, page);
}

/** The query behind selectTicketSummaries, unexecuted (the inbox benchmark reads its plan). */
export function ticketSummariesQuery(
  db: Db,
  filter: TicketListFilter,
  page: { limit: number; after?: Keyset },
) {
  if (filter.view === "value_at_risk") {
    const rank = valueAtRiskRank(filter.now ?? new Date(0));
    const afterRank = page.after
      ? sql`(${rank}, ${tickets.id}) < (${page.after.atMicros}::bigint, ${page.after.id})`
      : undefined;
    return baseSummaryQuery(db)
      .where(and(filterConditions(filter), afterRank))
      .orderBy(sql`${rank} desc`, sql`${tickets.id} desc`)
      .limit(page.limit + 1);
  }
  if (filter.view === "breaching") {
    const afterDue = page.after
      ? sql`(${tickets.slaDueAt}, ${tickets.id}) > (timestamptz 'epoch' + ${page.after.atMicros}::bigint * interval '1 microsecond', ${page.after.id})`
      : undefined;
    return baseSummaryQuery(db)
      .where(and(filterConditions(filter), afterDue))
      .orderBy(...slaDueOrder)
      .limit(page.limit + 1);
  }
  if (inboxOrderOf(filter) === "frustration") {
    const afterRanked = page.after
      ? sql`(${ticketFrustrationRank}, ${tickets.lastMessageAt}, ${tickets.id}) < (${page.after.rank ?? 0}::int, timestamptz 'epoch' + ${page.after.atMicros}::bigint * interval '1 microsecond', ${page.after.id})`
      : undefined;
    return baseSummaryQuery(db)
      .where(and(filterConditions(filter), afterRanked))
      .orderBy(...frustrationOrder)
      .limit(page.limit + 1);
  }
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

/**
 * Every view's count in one pass over the tickets. Without parallel workers: the search columns widened the table
 * enough for PostgreSQL to plan a parallel scan at 100,000 tickets, and starting the worker took longer than the
 * whole scan (19 ms before, 140-190 ms with the worker on the benchmark machine).
 */
export async function selectTicketCounts(
  db: Db,
  meUserId: number | null,
): Promise<Record<TicketView, number>> {
  const count = (view: TicketView) => {
    const condition = viewCondition(view, meUserId);
    return condition ? sql<number>`(count(*) filter (where ${condition}))::int` : sql<number>`count(*)::int`;
  };
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local max_parallel_workers_per_gather = 0`);
    const [row] = await tx
      .select({
        mine: count("mine"),
        unassigned: count("unassigned"),
        open: count("open"),
        pending: count("pending"),
        solved: count("solved"),
        all: count("all"),
        breaching: count("breaching"),
        recover: count("recover"),
        value_at_risk: count("value_at_risk"),
        frustrated: count("frustrated"),
      })
      .from(tickets)
      .leftJoin(customerRisk, eq(customerRisk.customerId, tickets.customerId));
    return row;
  });
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
