import { and, desc, eq, inArray, isNotNull, lte, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { rowsOf } from "../../db/execute-rows.ts";
import {
  customerRisk,
  customerRiskScores,
  customers,
  orders,
  riskModels,
  slaMeasurements,
  surveyResponses,
  ticketSlaClocks,
  tickets,
} from "../../db/schema.ts";

export type RiskModelRow = typeof riskModels.$inferSelect;
export type CustomerRiskRow = typeof customerRisk.$inferSelect;

/** A customer's primary email (else their first), by the customer id column. */
const primaryEmailOf = (customerId: unknown) =>
  sql<string | null>`(select i.value from customer_identities i where i.customer_id = ${customerId}
    and i.kind = 'email' order by i.is_primary desc, i.id limit 1)`;

const dayNumber = (column: unknown) => sql<number>`floor(extract(epoch from ${column}) / 86400)::int`;

/** Orders that count toward buying behaviour (cancelled and refunded ones do not), by customer and day. */
export async function selectCountedOrders(db: Db, customerId?: number) {
  return db
    .select({
      customerId: orders.customerId,
      day: dayNumber(orders.placedAt),
      amountMinor: orders.amountMinor,
      currency: orders.currency,
    })
    .from(orders)
    .where(
      and(
        sql`${orders.status} not in ('cancelled', 'refunded')`,
        customerId === undefined ? undefined : eq(orders.customerId, customerId),
      ),
    )
    .orderBy(orders.customerId, orders.placedAt);
}

export async function selectTicketFacts(db: Db, customerId?: number) {
  return db
    .select({
      customerId: tickets.customerId,
      openedDay: dayNumber(tickets.createdAt),
      solvedDay: sql<
        number | null
      >`case when ${tickets.solvedAt} is null then null else ${dayNumber(tickets.solvedAt)} end`,
      reopened: sql<boolean>`'reopened' = any(${tickets.tags}) or exists (select 1 from timeline_events e
        where e.ticket_id = ${tickets.id} and e.kind = 'ticket.status_changed'
        and e.data->>'from' in ('solved', 'closed') and e.data->>'to' not in ('solved', 'closed'))`,
    })
    .from(tickets)
    .where(customerId === undefined ? undefined : eq(tickets.customerId, customerId));
}

/** Days of missed SLA targets: finished cycles that missed, and running clocks already breached. */
export async function selectSlaBreachDays(db: Db, customerId?: number) {
  const finished = await db
    .select({ customerId: tickets.customerId, day: dayNumber(slaMeasurements.completedAt) })
    .from(slaMeasurements)
    .innerJoin(tickets, eq(tickets.id, slaMeasurements.ticketId))
    .where(
      and(
        eq(slaMeasurements.met, false),
        customerId === undefined ? undefined : eq(tickets.customerId, customerId),
      ),
    );
  const running = await db
    .select({ customerId: tickets.customerId, day: dayNumber(ticketSlaClocks.breachedAt) })
    .from(ticketSlaClocks)
    .innerJoin(tickets, eq(tickets.id, ticketSlaClocks.ticketId))
    .where(
      and(
        isNotNull(ticketSlaClocks.breachedAt),
        sql`${ticketSlaClocks.state} <> 'stopped'`,
        customerId === undefined ? undefined : eq(tickets.customerId, customerId),
      ),
    );
  return [...finished, ...running];
}

/** Days of low survey answers: CSAT 1-2, CES 1-3, NPS 0-6. */
export async function selectLowScoreDays(db: Db, customerId?: number) {
  return db
    .select({ customerId: surveyResponses.customerId, day: dayNumber(surveyResponses.respondedAt) })
    .from(surveyResponses)
    .where(
      and(
        sql`(${surveyResponses.metric} = 'csat' and ${surveyResponses.score} <= 2)
          or (${surveyResponses.metric} = 'ces' and ${surveyResponses.score} <= 3)
          or (${surveyResponses.metric} = 'nps' and ${surveyResponses.score} <= 6)`,
        customerId === undefined ? undefined : eq(surveyResponses.customerId, customerId),
      ),
    );
}

export async function selectAllCustomerIds(db: Db): Promise<number[]> {
  return (await db.select({ id: customers.id }).from(customers)).map((row) => row.id);
}

export async function insertRiskModel(db: Db, values: typeof riskModels.$inferInsert): Promise<RiskModelRow> {
  const [row] = await db.insert(riskModels).values(values).returning();
  return row;
}

/** Whether the workspace has any order to learn churn from. */
export async function selectHasOrders(db: Db): Promise<boolean> {
  const [row] = rowsOf<{ present: boolean }>(
    await db.execute(sql`select exists (select 1 from orders) as present`),
  );
  return Boolean(row?.present);
}

export async function selectLatestRiskModel(db: Db): Promise<RiskModelRow | undefined> {
  const [row] = await db
    .select()
    .from(riskModels)
    .orderBy(desc(riskModels.trainedAt), desc(riskModels.id))
    .limit(1);
  return row;
}

const chunk = 500;

/** Stores scores: one history row each, and each customer's latest in customer_risk. */
export async function saveRiskScores(
  db: Db,
  rows: (typeof customerRisk.$inferInsert & { modelId: number | null })[],
) {
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk);
    await db.insert(customerRiskScores).values(
      part.map((row) => ({
        customerId: row.customerId,
        modelId: row.modelId,
        scoredAt: row.scoredAt,
        score: row.score,
        band: row.band,
        pAlive: row.pAlive,
        reasons: row.reasons,
        predictedValueMinor: row.predictedValueMinor,
      })),
    );
    await db
      .insert(customerRisk)
      .values(part.map(({ modelId: _model, ...row }) => row))
      .onConflictDoUpdate({
        target: customerRisk.customerId,
        set: {
          scoredAt: sql`excluded.scored_at`,
          score: sql`excluded.score`,
          band: sql`excluded.band`,
          pAlive: sql`excluded.p_alive`,
          reasons: sql`excluded.reasons`,
          predictedValueMinor: sql`excluded.predicted_value_minor`,
          currency: sql`excluded.currency`,
          valueAtRiskMinor: sql`excluded.value_at_risk_minor`,
        },
      });
  }
}

/** Customers no longer active lose their live score (they are lapsed, not at risk). */
export async function deleteRiskNotIn(db: Db, keep: number[], scoredBefore: Date) {
  await db
    .delete(customerRisk)
    .where(
      and(
        lte(customerRisk.scoredAt, scoredBefore),
        keep.length > 0 ? sql`${customerRisk.customerId} <> all(${sql.param(keep)}::int[])` : undefined,
      ),
    );
}

export async function selectCustomerRisk(db: Db, customerId: number) {
  const [row] = await db.select().from(customerRisk).where(eq(customerRisk.customerId, customerId));
  return row;
}

export async function selectCustomerRiskHistory(db: Db, customerId: number, limit: number) {
  return db
    .select({
      scoredAt: customerRiskScores.scoredAt,
      score: customerRiskScores.score,
      band: customerRiskScores.band,
    })
    .from(customerRiskScores)
    .where(eq(customerRiskScores.customerId, customerId))
    .orderBy(desc(customerRiskScores.scoredAt), desc(customerRiskScores.id))
    .limit(limit);
}

export async function selectRiskList(
  db: Db,
  options: { band?: string; limit: number; offset: number; orderBy: "value" | "score" },
) {
  return db
    .select({
      customerId: customerRisk.customerId,
      name: customers.name,
      email: primaryEmailOf(customerRisk.customerId),
      pAlive: customerRisk.pAlive,
      score: customerRisk.score,
      band: customerRisk.band,
      reasons: customerRisk.reasons,
      predictedValueMinor: customerRisk.predictedValueMinor,
      valueAtRiskMinor: customerRisk.valueAtRiskMinor,
      currency: customerRisk.currency,
      scoredAt: customerRisk.scoredAt,
    })
    .from(customerRisk)
    .innerJoin(customers, eq(customers.id, customerRisk.customerId))
    .where(options.band ? eq(customerRisk.band, options.band) : undefined)
    .orderBy(
      options.orderBy === "value"
        ? sql`${customerRisk.valueAtRiskMinor} desc nulls last`
        : desc(customerRisk.score),
      customerRisk.customerId,
    )
    .limit(options.limit)
    .offset(options.offset);
}

/** Names and primary emails of a few customers, for a list of scores computed in memory. */
export async function selectCustomerLabels(db: Db, customerIds: readonly number[]) {
  if (customerIds.length === 0) return [];
  return db
    .select({
      id: customers.id,
      name: customers.name,
      email: primaryEmailOf(customers.id),
    })
    .from(customers)
    .where(inArray(customers.id, [...customerIds]));
}

export async function selectRiskForCustomers(db: Db, customerIds: number[]) {
  if (customerIds.length === 0) return [];
  return db.select().from(customerRisk).where(inArray(customerRisk.customerId, customerIds));
}

export async function countRiskBands(db: Db) {
  return db
    .select({
      band: customerRisk.band,
      n: sql<number>`count(*)::int`,
      value: sql<number>`coalesce(sum(${customerRisk.valueAtRiskMinor}), 0)::float8`,
    })
    .from(customerRisk)
    .groupBy(customerRisk.band);
}

export async function countRiskList(db: Db, band?: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(customerRisk)
    .where(band ? eq(customerRisk.band, band) : undefined);
  return row?.n ?? 0;
}

/**
 * Each ticket as a service contact: when it opened (fractional days), whether its first response missed the SLA
 * target (null without a target or before it is known), whether it was reopened, and its CSAT answer if any.
 */
export async function selectServiceContacts(db: Db) {
  const rows = await db.execute(sql`
    select t.customer_id as "customerId",
      extract(epoch from t.created_at)::float8 / 86400 as "day",
      coalesce(
        (select not m.met from sla_measurements m
          where m.ticket_id = t.id and m.metric = 'first_response' and m.met is not null
          order by m.cycle limit 1),
        (select true from ticket_sla_clocks c
          where c.ticket_id = t.id and c.metric = 'first_response' and c.breached_at is not null limit 1)
      ) as "slowFirstResponse",
      ('reopened' = any(t.tags) or exists (select 1 from timeline_events e
        where e.ticket_id = t.id and e.kind = 'ticket.status_changed'
        and e.data->>'from' in ('solved', 'closed') and e.data->>'to' not in ('solved', 'closed'))) as "reopened",
      (select max(m.frustration_score) >= 0.5 from messages m
        where m.ticket_id = t.id and m.direction = 'inbound' and m.frustration_score is not null) as "frustrated",
      (select r.score from survey_responses r join survey_sends s on s.id = r.send_id
        where s.ticket_id = t.id and r.metric = 'csat' and r.score is not null
        order by r.responded_at limit 1) as "csat"
    from tickets t
    order by t.customer_id, t.created_at`);
  return rowsOf<{
    customerId: number;
    day: number;
    slowFirstResponse: boolean | null;
    reopened: boolean;
    frustrated: boolean | null;
    csat: number | null;
  }>(rows).map((row) => ({
    ...row,
    day: Number(row.day),
    csat: row.csat === null ? null : Number(row.csat),
  }));
}

/** Days of frustrated inbound messages (score at or above the flag threshold, 0.5). */
export async function selectFrustratedDays(db: Db, customerId?: number) {
  const rows = await db.execute(sql`
    select t.customer_id as "customerId", floor(extract(epoch from m.created_at) / 86400)::int as "day"
    from messages m join tickets t on t.id = m.ticket_id
    where m.direction = 'inbound' and m.frustration_score >= 0.5
      ${customerId === undefined ? sql`` : sql`and t.customer_id = ${customerId}`}`);
  return rowsOf<{ customerId: number; day: number }>(rows);
}
