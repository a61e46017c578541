import { and, desc, eq, gt, inArray, lt, lte, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import {
  contactOptOuts,
  customerIdentities,
  customers,
  orders,
  surveyDefinitions,
  surveyRecoveries,
  surveyResponses,
  surveySends,
  surveySettings,
  teams,
  users,
} from "../../db/schema.ts";
import { scoreBands } from "./survey-metrics.ts";

// SQL for the surveys module only; the rules live in survey-rules.ts and the services.

export type SurveySettingsRow = typeof surveySettings.$inferSelect;
export type SurveyDefinitionRow = typeof surveyDefinitions.$inferSelect;
export type SurveySendRow = typeof surveySends.$inferSelect;
export type SurveyResponseRow = typeof surveyResponses.$inferSelect;
export type SurveyRecoveryRow = typeof surveyRecoveries.$inferSelect;
export type ContactPurpose = (typeof contactOptOuts.$inferSelect)["purpose"];
export type SurveySendStatus = SurveySendRow["status"];
export type SurveyMetricName = NonNullable<SurveySendRow["metric"]>;

/** Sends that reached (or are about to reach) the customer: what the contact budget and cadences count. */
const contactingStatuses: SurveySendStatus[] = ["queued", "sending", "sent"];

// ---- settings and definitions -------------------------------------------------------------------------------------

export async function selectSurveySettings(db: Db): Promise<SurveySettingsRow | undefined> {
  const [row] = await db.select().from(surveySettings).where(eq(surveySettings.id, 1));
  return row;
}

export async function insertSurveySettingsIfMissing(
  db: Db,
  values: { tokenSecret: string; settings: Record<string, unknown>; now: Date },
): Promise<void> {
  await db
    .insert(surveySettings)
    .values({
      id: 1,
      tokenSecret: values.tokenSecret,
      settings: values.settings,
      createdAt: values.now,
      updatedAt: values.now,
    })
    .onConflictDoNothing();
}

export async function updateSurveySettingsRow(db: Db, settings: Record<string, unknown>, now: Date) {
  const [row] = await db
    .update(surveySettings)
    .set({ settings, updatedAt: now })
    .where(eq(surveySettings.id, 1))
    .returning();
  return row;
}

export async function selectDefinitions(db: Db): Promise<SurveyDefinitionRow[]> {
  return db.select().from(surveyDefinitions).orderBy(surveyDefinitions.id);
}

export async function selectDefinitionById(db: Db, id: number): Promise<SurveyDefinitionRow | undefined> {
  const [row] = await db.select().from(surveyDefinitions).where(eq(surveyDefinitions.id, id));
  return row;
}

export async function insertDefinition(db: Db, values: typeof surveyDefinitions.$inferInsert) {
  const [row] = await db.insert(surveyDefinitions).values(values).returning();
  return row;
}

export async function updateDefinitionRow(
  db: Db,
  id: number,
  values: Partial<typeof surveyDefinitions.$inferInsert>,
): Promise<SurveyDefinitionRow | undefined> {
  const [row] = await db
    .update(surveyDefinitions)
    .set(values)
    .where(eq(surveyDefinitions.id, id))
    .returning();
  return row;
}

// ---- contact rules ------------------------------------------------------------------------------------------------

/**
 * Serialises contact decisions per customer until the transaction ends, so two sends deciding at once cannot both
 * take the last place in the budget. An advisory lock: it locks no table row that other work needs.
 */
export async function lockCustomerContact(db: Db, customerId: number): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(7461002, ${customerId})`);
}

export async function selectOptOutPurposes(db: Db, customerId: number): Promise<ContactPurpose[]> {
  const rows = await db
    .select({ purpose: contactOptOuts.purpose })
    .from(contactOptOuts)
    .where(eq(contactOptOuts.customerId, customerId));
  return rows.map((row) => row.purpose);
}

export async function insertOptOut(
  db: Db,
  values: { customerId: number; purpose: ContactPurpose; source: string; now: Date },
): Promise<boolean> {
  const rows = await db
    .insert(contactOptOuts)
    .values({
      customerId: values.customerId,
      purpose: values.purpose,
      source: values.source,
      createdAt: values.now,
    })
    .onConflictDoNothing()
    .returning({ customerId: contactOptOuts.customerId });
  return rows.length > 0;
}

export async function deleteOptOut(db: Db, customerId: number, purpose: ContactPurpose): Promise<boolean> {
  const rows = await db
    .delete(contactOptOuts)
    .where(and(eq(contactOptOuts.customerId, customerId), eq(contactOptOuts.purpose, purpose)))
    .returning({ customerId: contactOptOuts.customerId });
  return rows.length > 0;
}

/** When the customer's survey and follow-up mails since `since` were queued (what the contact budget counts). */
export async function selectRecentMailTimes(db: Db, customerId: number, since: Date): Promise<Date[]> {
  const rows = await db
    .select({ at: surveySends.createdAt })
    .from(surveySends)
    .where(
      and(
        eq(surveySends.customerId, customerId),
        eq(surveySends.channel, "email"),
        inArray(surveySends.status, contactingStatuses),
        gt(surveySends.createdAt, since),
      ),
    );
  return rows.map((row) => row.at);
}

// ---- sends ----------------------------------------------------------------------------------------------------------

/** Inserts a send; null when a unique rule (one check-in per order, one chat prompt per ticket) already holds one. */
export async function insertSend(
  db: Db,
  values: typeof surveySends.$inferInsert,
): Promise<SurveySendRow | null> {
  const [row] = await db.insert(surveySends).values(values).onConflictDoNothing().returning();
  return row ?? null;
}

export async function selectSendById(
  db: Db,
  id: number,
  options: { forUpdate?: boolean } = {},
): Promise<SurveySendRow | undefined> {
  const query = db.select().from(surveySends).where(eq(surveySends.id, id));
  const [row] = options.forUpdate ? await query.for("update") : await query;
  return row;
}

export async function updateSendRow(
  db: Db,
  id: number,
  values: Partial<typeof surveySends.$inferInsert>,
): Promise<SurveySendRow> {
  const [row] = await db.update(surveySends).set(values).where(eq(surveySends.id, id)).returning();
  return row;
}

/** Moves a queued (or interrupted) mail send to `sending` and counts the attempt; null when it is no longer due. */
export async function claimSendForDelivery(db: Db, id: number): Promise<SurveySendRow | null> {
  const [row] = await db
    .update(surveySends)
    .set({ status: "sending", attempts: sql`${surveySends.attempts} + 1` })
    .where(and(eq(surveySends.id, id), inArray(surveySends.status, ["queued", "sending"])))
    .returning();
  return row ?? null;
}

export async function selectSendsForTicket(db: Db, ticketId: number): Promise<SurveySendRow[]> {
  return db.select().from(surveySends).where(eq(surveySends.ticketId, ticketId)).orderBy(surveySends.id);
}

export async function selectChatSendForTicket(db: Db, ticketId: number): Promise<SurveySendRow | undefined> {
  const [row] = await db
    .select()
    .from(surveySends)
    .where(and(eq(surveySends.ticketId, ticketId), eq(surveySends.channel, "chat")));
  return row;
}

export type SendListFilter = {
  customerId?: number;
  ticketId?: number;
  status?: SurveySendStatus;
  beforeId?: number;
  limit: number;
};

export async function selectSends(db: Db, filter: SendListFilter) {
  return db
    .select({ send: surveySends, response: surveyResponses })
    .from(surveySends)
    .leftJoin(surveyResponses, eq(surveyResponses.sendId, surveySends.id))
    .where(
      and(
        filter.customerId !== undefined ? eq(surveySends.customerId, filter.customerId) : undefined,
        filter.ticketId !== undefined ? eq(surveySends.ticketId, filter.ticketId) : undefined,
        filter.status !== undefined ? eq(surveySends.status, filter.status) : undefined,
        filter.beforeId !== undefined ? lt(surveySends.id, filter.beforeId) : undefined,
      ),
    )
    .orderBy(desc(surveySends.id))
    .limit(filter.limit);
}

export type NpsCandidateRow = {
  customerId: number;
  createdAt: Date;
  lastNpsAt: Date | null;
  lastSurveyAt: Date | null;
};

/**
 * Customers who may be due a relationship NPS survey: with an email address, not opted out of surveys, and no NPS
 * since `notSurveyedSince`; in id order after `afterId`.
 */
export async function selectNpsCandidates(
  db: Db,
  options: { notSurveyedSince: Date; afterId: number; limit: number },
): Promise<NpsCandidateRow[]> {
  const statuses = sql.join(
    contactingStatuses.map((status) => sql`${status}`),
    sql`, `,
  );
  const rows = await db
    .select({
      customerId: customers.id,
      createdAt: customers.createdAt,
      lastNpsAt: sql<string | null>`(select max(s.created_at) from ${surveySends} s
        where s.customer_id = ${customers.id} and s.kind = 'nps' and s.status in (${statuses}))`,
      lastSurveyAt: sql<string | null>`(select max(s.created_at) from ${surveySends} s
        where s.customer_id = ${customers.id} and s.status in (${statuses}))`,
    })
    .from(customers)
    .where(
      and(
        gt(customers.id, options.afterId),
        sql`exists (select 1 from ${customerIdentities} ci where ci.customer_id = ${customers.id} and ci.kind = 'email')`,
        sql`not exists (select 1 from ${contactOptOuts} o where o.customer_id = ${customers.id} and o.purpose = 'surveys')`,
        sql`not exists (select 1 from ${surveySends} s where s.customer_id = ${customers.id} and s.kind = 'nps'
          and s.status in (${statuses}) and s.created_at > ${options.notSurveyedSince})`,
      ),
    )
    .orderBy(customers.id)
    .limit(options.limit);
  const toDate = (value: string | Date | null) => (value === null ? null : new Date(value));
  return rows.map((row) => ({
    customerId: row.customerId,
    createdAt: row.createdAt,
    lastNpsAt: toDate(row.lastNpsAt),
    lastSurveyAt: toDate(row.lastSurveyAt),
  }));
}

/** Whether the customer got an NPS survey after `since` (checked again under the contact lock). */
export async function hasNpsSince(db: Db, customerId: number, since: Date): Promise<boolean> {
  const [row] = await db
    .select({ id: surveySends.id })
    .from(surveySends)
    .where(
      and(
        eq(surveySends.customerId, customerId),
        eq(surveySends.kind, "nps"),
        inArray(surveySends.status, contactingStatuses),
        gt(surveySends.createdAt, since),
      ),
    )
    .limit(1);
  return row !== undefined;
}

// ---- responses ------------------------------------------------------------------------------------------------------

/** Inserts the one response of a send; null when the send already has one. */
export async function insertResponse(
  db: Db,
  values: typeof surveyResponses.$inferInsert,
): Promise<SurveyResponseRow | null> {
  const [row] = await db.insert(surveyResponses).values(values).onConflictDoNothing().returning();
  return row ?? null;
}

export async function selectResponseBySendId(db: Db, sendId: number): Promise<SurveyResponseRow | undefined> {
  const [row] = await db.select().from(surveyResponses).where(eq(surveyResponses.sendId, sendId));
  return row;
}

export async function updateResponseRow(
  db: Db,
  id: number,
  values: Partial<typeof surveyResponses.$inferInsert>,
): Promise<SurveyResponseRow> {
  const [row] = await db.update(surveyResponses).set(values).where(eq(surveyResponses.id, id)).returning();
  return row;
}

export type ResponseListFilter = {
  metric?: SurveyMetricName;
  agentId?: number;
  teamId?: number;
  channel?: string;
  from?: Date;
  to?: Date;
  maxScore?: number;
  withComment?: boolean;
  after?: { atMicros: string; id: number };
  limit: number;
};

export async function selectResponses(db: Db, filter: ResponseListFilter) {
  return db
    .select({
      response: surveyResponses,
      kind: surveySends.kind,
      ticketId: surveySends.ticketId,
      agentId: surveySends.agentId,
      agentName: users.name,
      teamId: surveySends.teamId,
      teamName: teams.name,
      ticketChannel: surveySends.ticketChannel,
      customerName: customers.name,
      cursorAtMicros: sql<string>`(extract(epoch from ${surveyResponses.respondedAt}) * 1000000)::bigint::text`,
    })
    .from(surveyResponses)
    .innerJoin(surveySends, eq(surveySends.id, surveyResponses.sendId))
    .innerJoin(customers, eq(customers.id, surveyResponses.customerId))
    .leftJoin(users, eq(users.id, surveySends.agentId))
    .leftJoin(teams, eq(teams.id, surveySends.teamId))
    .where(
      and(
        filter.metric ? eq(surveyResponses.metric, filter.metric) : undefined,
        filter.agentId !== undefined ? eq(surveySends.agentId, filter.agentId) : undefined,
        filter.teamId !== undefined ? eq(surveySends.teamId, filter.teamId) : undefined,
        filter.channel ? sql`${surveySends.ticketChannel} = ${filter.channel}` : undefined,
        filter.from ? sql`${surveyResponses.respondedAt} >= ${filter.from}` : undefined,
        filter.to ? lt(surveyResponses.respondedAt, filter.to) : undefined,
        filter.maxScore !== undefined ? lte(surveyResponses.score, filter.maxScore) : undefined,
        filter.withComment === true ? sql`coalesce(${surveyResponses.comment}, '') <> ''` : undefined,
        filter.withComment === false ? sql`coalesce(${surveyResponses.comment}, '') = ''` : undefined,
        filter.after
          ? sql`(${surveyResponses.respondedAt}, ${surveyResponses.id}) < (timestamptz 'epoch' + ${filter.after.atMicros}::bigint * interval '1 microsecond', ${filter.after.id})`
          : undefined,
      ),
    )
    .orderBy(desc(surveyResponses.respondedAt), desc(surveyResponses.id))
    .limit(filter.limit + 1);
}

export type ReportGroup = "agent" | "team" | "channel" | "none";

export type ReportRow = {
  groupKey: string | null;
  groupLabel: string | null;
  period: string;
  responses: number;
  sum: number;
  positive: number;
  negative: number;
};

/** Score tallies per group and period (the period's first local date, in `timezone`). */
export async function selectReportTallies(
  db: Db,
  options: {
    metric: SurveyMetricName;
    groupBy: ReportGroup;
    period: "day" | "week" | "month";
    timezone: string;
    from: Date;
    to: Date;
  },
): Promise<ReportRow[]> {
  const bands = scoreBands[options.metric];
  const keyAndLabel: Record<ReportGroup, [SQL, SQL]> = {
    agent: [sql`${surveySends.agentId}::text`, sql`${users.name}`],
    team: [sql`${surveySends.teamId}::text`, sql`${teams.name}`],
    channel: [sql`${surveySends.ticketChannel}::text`, sql`${surveySends.ticketChannel}::text`],
    none: [sql`null::text`, sql`null::text`],
  };
  const [key, label] = keyAndLabel[options.groupBy];
  const period = sql`to_char(date_trunc(${options.period}, ${surveyResponses.respondedAt} at time zone ${options.timezone}), 'YYYY-MM-DD')`;
  const rows = await db
    .select({
      groupKey: sql<string | null>`${key}`,
      groupLabel: sql<string | null>`${label}`,
      period: sql<string>`${period}`,
      responses: sql<number>`count(*)::int`,
      sum: sql<number>`coalesce(sum(${surveyResponses.score}), 0)::int`,
      positive: sql<number>`(count(*) filter (where ${surveyResponses.score} >= ${bands.positiveFrom}))::int`,
      negative: sql<number>`(count(*) filter (where ${surveyResponses.score} <= ${bands.negativeTo}))::int`,
    })
    .from(surveyResponses)
    .innerJoin(surveySends, eq(surveySends.id, surveyResponses.sendId))
    .leftJoin(users, eq(users.id, surveySends.agentId))
    .leftJoin(teams, eq(teams.id, surveySends.teamId))
    .where(
      and(
        eq(surveyResponses.metric, options.metric),
        sql`${surveyResponses.score} is not null`,
        sql`${surveyResponses.respondedAt} >= ${options.from}`,
        lt(surveyResponses.respondedAt, options.to),
      ),
    )
    .groupBy(sql`1`, sql`2`, sql`3`)
    .orderBy(sql`1`, sql`3`);
  return rows;
}

// ---- recoveries -----------------------------------------------------------------------------------------------------

export async function insertRecovery(db: Db, values: typeof surveyRecoveries.$inferInsert) {
  const [row] = await db.insert(surveyRecoveries).values(values).onConflictDoNothing().returning();
  return row ?? null;
}

export async function selectRecoveryById(
  db: Db,
  id: number,
  options: { forUpdate?: boolean } = {},
): Promise<SurveyRecoveryRow | undefined> {
  const query = db.select().from(surveyRecoveries).where(eq(surveyRecoveries.id, id));
  const [row] = options.forUpdate ? await query.for("update") : await query;
  return row;
}

export async function updateRecoveryRow(
  db: Db,
  id: number,
  values: Partial<typeof surveyRecoveries.$inferInsert>,
): Promise<SurveyRecoveryRow> {
  const [row] = await db.update(surveyRecoveries).set(values).where(eq(surveyRecoveries.id, id)).returning();
  return row;
}

const firstOrderAfterLowScore = sql<string | null>`(select min(o.placed_at) from ${orders} o
  where o.customer_id = ${surveyRecoveries.customerId} and o.placed_at > ${surveyRecoveries.createdAt}
  and o.status not in ('cancelled', 'refunded'))`;

export async function selectRecoveries(
  db: Db,
  filter: { status?: "open" | "done"; ids?: number[]; beforeId?: number; limit: number },
) {
  return db
    .select({
      recovery: surveyRecoveries,
      comment: surveyResponses.comment,
      customerName: customers.name,
      ownerName: users.name,
      boughtAgainAt: firstOrderAfterLowScore,
    })
    .from(surveyRecoveries)
    .innerJoin(surveyResponses, eq(surveyResponses.id, surveyRecoveries.responseId))
    .innerJoin(customers, eq(customers.id, surveyRecoveries.customerId))
    .leftJoin(users, eq(users.id, surveyRecoveries.ownerUserId))
    .where(
      and(
        filter.status ? eq(surveyRecoveries.status, filter.status) : undefined,
        filter.ids ? inArray(surveyRecoveries.id, filter.ids) : undefined,
        filter.beforeId !== undefined ? lt(surveyRecoveries.id, filter.beforeId) : undefined,
      ),
    )
    .orderBy(desc(surveyRecoveries.id))
    .limit(filter.limit);
}

/** Recoveries by outcome (open ones as "open"), with how many of their customers ordered after the low score. */
export async function selectRecoverySummary(db: Db, options: { from: Date; to: Date; now: Date }) {
  const outcome = sql<string>`coalesce(${surveyRecoveries.outcome}::text, 'open')`;
  const byOutcome = await db
    .select({
      outcome,
      recoveries: sql<number>`count(*)::int`,
      customers: sql<number>`count(distinct ${surveyRecoveries.customerId})::int`,
      boughtAgain: sql<number>`(count(distinct ${surveyRecoveries.customerId}) filter (where ${firstOrderAfterLowScore} is not null))::int`,
    })
    .from(surveyRecoveries)
    .where(
      and(sql`${surveyRecoveries.createdAt} >= ${options.from}`, lt(surveyRecoveries.createdAt, options.to)),
    )
    .groupBy(sql`1`)
    .orderBy(sql`1`);
  const [open] = await db
    .select({
      open: sql<number>`count(*)::int`,
      overdue: sql<number>`(count(*) filter (where ${surveyRecoveries.dueAt} < ${options.now}))::int`,
    })
    .from(surveyRecoveries)
    .where(eq(surveyRecoveries.status, "open"));
  return { byOutcome, open: open?.open ?? 0, overdue: open?.overdue ?? 0 };
}
