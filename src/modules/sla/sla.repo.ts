import { and, asc, eq, inArray, isNull, lte, or, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import {
  businessCalendars,
  customers,
  slaMeasurements,
  slaPolicies,
  teams,
  ticketSlaClocks,
  tickets,
  users,
} from "../../db/schema.ts";
import type { SlaClock, SlaCompletion, SlaMetric } from "./sla-clock.ts";

export type CalendarRow = typeof businessCalendars.$inferSelect;
export type PolicyRow = typeof slaPolicies.$inferSelect;
export type ClockRow = typeof ticketSlaClocks.$inferSelect;

/** What policy conditions look at: the ticket's fields and its customer's tier and tags. */
export type SlaTicketFacts = {
  id: number;
  status: (typeof tickets.$inferSelect)["status"];
  priority: (typeof tickets.$inferSelect)["priority"];
  channel: (typeof tickets.$inferSelect)["channel"];
  teamId: number | null;
  assigneeId: number | null;
  customerId: number;
  slaPolicyId: number | null;
  lastCustomerMessageAt: Date | null;
  customerTier: string | null;
  customerTags: string[];
};

export async function selectSlaTicketFacts(db: Db, ticketId: number): Promise<SlaTicketFacts | undefined> {
  const [row] = await db
    .select({
      id: tickets.id,
      status: tickets.status,
      priority: tickets.priority,
      channel: tickets.channel,
      teamId: tickets.teamId,
      assigneeId: tickets.assigneeId,
      customerId: tickets.customerId,
      slaPolicyId: tickets.slaPolicyId,
      lastCustomerMessageAt: tickets.lastCustomerMessageAt,
      customerTier: customers.tier,
      customerTags: customers.tags,
    })
    .from(tickets)
    .innerJoin(customers, eq(customers.id, tickets.customerId))
    .where(eq(tickets.id, ticketId));
  return row;
}

/** The customer's tier and tags, for policies that segment by them. */
export async function selectCustomerSegment(db: Db, customerId: number) {
  const [row] = await db
    .select({ tier: customers.tier, tags: customers.tags })
    .from(customers)
    .where(eq(customers.id, customerId));
  return row;
}

export async function selectEnabledPolicies(db: Db): Promise<PolicyRow[]> {
  return db
    .select()
    .from(slaPolicies)
    .where(eq(slaPolicies.enabled, true))
    .orderBy(asc(slaPolicies.position), asc(slaPolicies.id));
}

export async function selectPolicies(db: Db): Promise<PolicyRow[]> {
  return db.select().from(slaPolicies).orderBy(asc(slaPolicies.position), asc(slaPolicies.id));
}

export async function selectCalendars(db: Db): Promise<CalendarRow[]> {
  return db.select().from(businessCalendars).orderBy(asc(businessCalendars.id));
}

export async function selectClocks(db: Db, ticketId: number): Promise<ClockRow[]> {
  return db.select().from(ticketSlaClocks).where(eq(ticketSlaClocks.ticketId, ticketId));
}

export async function selectClocksForTickets(db: Db, ticketIds: number[]): Promise<ClockRow[]> {
  if (ticketIds.length === 0) return [];
  return db.select().from(ticketSlaClocks).where(inArray(ticketSlaClocks.ticketId, ticketIds));
}

export function clockFromRow(row: ClockRow): SlaClock {
  return {
    metric: row.metric,
    policyId: row.policyId,
    targetMs: row.targetMs,
    state: row.state,
    cycle: row.cycle,
    elapsedMs: row.elapsedMs,
    since: row.since,
    startedAt: row.startedAt,
    dueAt: row.dueAt,
    warnAt: row.warnAt,
    warnedAt: row.warnedAt,
    breachedAt: row.breachedAt,
    completedAt: row.completedAt,
  };
}

export async function saveClocks(db: Db, ticketId: number, clocks: SlaClock[], removed: SlaMetric[]) {
  if (removed.length > 0) {
    await db
      .delete(ticketSlaClocks)
      .where(and(eq(ticketSlaClocks.ticketId, ticketId), inArray(ticketSlaClocks.metric, removed)));
  }
  if (clocks.length === 0) return;
  await db
    .insert(ticketSlaClocks)
    .values(clocks.map((clock) => ({ ticketId, ...clock })))
    .onConflictDoUpdate({
      target: [ticketSlaClocks.ticketId, ticketSlaClocks.metric],
      set: {
        policyId: sql`excluded.policy_id`,
        targetMs: sql`excluded.target_ms`,
        state: sql`excluded.state`,
        cycle: sql`excluded.cycle`,
        elapsedMs: sql`excluded.elapsed_ms`,
        since: sql`excluded.since`,
        startedAt: sql`excluded.started_at`,
        dueAt: sql`excluded.due_at`,
        warnAt: sql`excluded.warn_at`,
        warnedAt: sql`excluded.warned_at`,
        breachedAt: sql`excluded.breached_at`,
        completedAt: sql`excluded.completed_at`,
      },
    });
}

export async function saveCompletions(db: Db, facts: SlaTicketFacts, completions: SlaCompletion[]) {
  if (completions.length === 0) return;
  await db
    .insert(slaMeasurements)
    .values(
      completions.map((completion) => ({
        ticketId: facts.id,
        ...completion,
        teamId: facts.teamId,
        assigneeId: facts.assigneeId,
        priority: facts.priority,
        channel: facts.channel,
      })),
    )
    .onConflictDoUpdate({
      // A reopened ticket's resolution completes again: its measurement is the latest one.
      target: [slaMeasurements.ticketId, slaMeasurements.metric, slaMeasurements.cycle],
      set: {
        policyId: sql`excluded.policy_id`,
        completedAt: sql`excluded.completed_at`,
        businessMs: sql`excluded.business_ms`,
        targetMs: sql`excluded.target_ms`,
        met: sql`excluded.met`,
        teamId: sql`excluded.team_id`,
        assigneeId: sql`excluded.assignee_id`,
        priority: sql`excluded.priority`,
        channel: sql`excluded.channel`,
      },
    });
}

export async function updateTicketSlaSummary(
  db: Db,
  ticketId: number,
  summary: {
    slaPolicyId: number | null;
    slaDueAt: Date | null;
    slaDueMetric: SlaMetric | null;
    slaBreachedAt: Date | null;
  },
) {
  await db.update(tickets).set(summary).where(eq(tickets.id, ticketId));
}

/** Running clocks whose warning or due time has come, locked so two sweeping processes never act twice. */
export async function claimDueClocks(db: Db, now: Date, limit: number): Promise<ClockRow[]> {
  return db
    .select()
    .from(ticketSlaClocks)
    .where(
      and(
        eq(ticketSlaClocks.state, "running"),
        or(
          and(isNull(ticketSlaClocks.breachedAt), lte(ticketSlaClocks.dueAt, now)),
          and(isNull(ticketSlaClocks.warnedAt), lte(ticketSlaClocks.warnAt, now)),
        ),
      ),
    )
    .orderBy(asc(ticketSlaClocks.dueAt))
    .limit(limit)
    .for("update", { skipLocked: true });
}

export async function markClockAlerts(
  db: Db,
  ticketId: number,
  metric: SlaMetric,
  alerts: { warnedAt?: Date; breachedAt?: Date },
) {
  const set: Partial<typeof ticketSlaClocks.$inferInsert> = {};
  if (alerts.warnedAt) {
    set.warnedAt = alerts.warnedAt;
    set.warnAt = null;
  }
  if (alerts.breachedAt) set.breachedAt = alerts.breachedAt;
  if (Object.keys(set).length === 0) return;
  await db
    .update(ticketSlaClocks)
    .set(set)
    .where(and(eq(ticketSlaClocks.ticketId, ticketId), eq(ticketSlaClocks.metric, metric)));
}

export async function selectPolicyById(db: Db, id: number): Promise<PolicyRow | undefined> {
  const [row] = await db.select().from(slaPolicies).where(eq(slaPolicies.id, id));
  return row;
}

export async function insertCalendar(
  db: Db,
  values: typeof businessCalendars.$inferInsert,
): Promise<CalendarRow> {
  const [row] = await db.insert(businessCalendars).values(values).returning();
  return row;
}

export async function updateCalendarRow(
  db: Db,
  id: number,
  values: Partial<typeof businessCalendars.$inferInsert>,
): Promise<CalendarRow | undefined> {
  const [row] = await db
    .update(businessCalendars)
    .set(values)
    .where(eq(businessCalendars.id, id))
    .returning();
  return row;
}

export async function deleteCalendarRow(db: Db, id: number): Promise<boolean> {
  const rows = await db
    .delete(businessCalendars)
    .where(eq(businessCalendars.id, id))
    .returning({ id: businessCalendars.id });
  return rows.length > 0;
}

export async function countPoliciesUsingCalendar(db: Db, calendarId: number): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(slaPolicies)
    .where(eq(slaPolicies.calendarId, calendarId));
  return row?.n ?? 0;
}

export async function insertPolicy(db: Db, values: typeof slaPolicies.$inferInsert): Promise<PolicyRow> {
  const [row] = await db.insert(slaPolicies).values(values).returning();
  return row;
}

export async function updatePolicyRow(
  db: Db,
  id: number,
  values: Partial<typeof slaPolicies.$inferInsert>,
): Promise<PolicyRow | undefined> {
  const [row] = await db.update(slaPolicies).set(values).where(eq(slaPolicies.id, id)).returning();
  return row;
}

export async function deletePolicyRow(db: Db, id: number): Promise<boolean> {
  const rows = await db.delete(slaPolicies).where(eq(slaPolicies.id, id)).returning({ id: slaPolicies.id });
  return rows.length > 0;
}

/** Tickets with a clock still running or paused, in id order after `afterId`, for re-applying edited policies. */
export async function selectTicketIdsWithActiveClocks(
  db: Db,
  afterId: number,
  limit: number,
): Promise<number[]> {
  const rows = await db
    .selectDistinct({ id: ticketSlaClocks.ticketId })
    .from(ticketSlaClocks)
    .where(and(sql`${ticketSlaClocks.state} <> 'stopped'`, sql`${ticketSlaClocks.ticketId} > ${afterId}`))
    .orderBy(asc(ticketSlaClocks.ticketId))
    .limit(limit);
  return rows.map((row) => row.id);
}

export type SlaReportGroup = "team" | "agent" | "priority" | "channel" | "period" | "none";

export type SlaReportRow = {
  groupKey: string | null;
  groupLabel: string | null;
  metric: SlaMetric;
  completed: number;
  withTarget: number;
  met: number;
  medianMs: number | null;
  p90Ms: number | null;
};

/** Completed SLA cycles in [from, to), grouped, with counts met and median and 90th percentile business times. */
export async function selectSlaReport(
  db: Db,
  options: {
    from: Date;
    to: Date;
    groupBy: SlaReportGroup;
    period: "day" | "week" | "month";
    timezone: string;
  },
): Promise<SlaReportRow[]> {
  const m = slaMeasurements;
  const group = {
    team: { key: sql`${m.teamId}::text`, label: sql`coalesce(${teams.name}, 'No team')` },
    agent: { key: sql`${m.assigneeId}::text`, label: sql`coalesce(${users.name}, 'Unassigned')` },
    priority: { key: sql`${m.priority}::text`, label: sql`${m.priority}::text` },
    channel: { key: sql`${m.channel}::text`, label: sql`${m.channel}::text` },
    period: {
      key: sql`to_char(date_trunc(${options.period}, ${m.completedAt} at time zone ${options.timezone}), 'YYYY-MM-DD')`,
      label: sql`to_char(date_trunc(${options.period}, ${m.completedAt} at time zone ${options.timezone}), 'YYYY-MM-DD')`,
    },
    none: { key: sql`null::text`, label: sql`null::text` },
  }[options.groupBy];
  const rows = await db
    .select({
      groupKey: sql<string | null>`${group.key}`,
      groupLabel: sql<string | null>`${group.label}`,
      metric: m.metric,
      completed: sql<number>`count(*)::int`,
      withTarget: sql<number>`count(*) filter (where ${m.met} is not null)::int`,
      met: sql<number>`count(*) filter (where ${m.met})::int`,
      medianMs: sql<number | null>`percentile_cont(0.5) within group (order by ${m.businessMs})::float8`,
      p90Ms: sql<number | null>`percentile_cont(0.9) within group (order by ${m.businessMs})::float8`,
    })
    .from(m)
    .leftJoin(teams, eq(teams.id, m.teamId))
    .leftJoin(users, eq(users.id, m.assigneeId))
    .where(and(sql`${m.completedAt} >= ${options.from}`, sql`${m.completedAt} < ${options.to}`))
    .groupBy(sql`1`, sql`2`, m.metric)
    .orderBy(sql`1`, m.metric);
  return rows;
}

const bulkChunk = 1000;

export async function insertClocks(db: Db, rows: (SlaClock & { ticketId: number })[]): Promise<void> {
  for (let i = 0; i < rows.length; i += bulkChunk) {
    await db.insert(ticketSlaClocks).values(rows.slice(i, i + bulkChunk));
  }
}

export async function insertMeasurements(
  db: Db,
  rows: (typeof slaMeasurements.$inferInsert)[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += bulkChunk) {
    await db.insert(slaMeasurements).values(rows.slice(i, i + bulkChunk));
  }
}

/** Sets many tickets' SLA summaries in a few statements (UPDATE ... FROM a VALUES list). */
export async function updateTicketSlaSummaries(
  db: Db,
  rows: {
    id: number;
    summary: {
      slaPolicyId: number | null;
      slaDueAt: Date | null;
      slaDueMetric: SlaMetric | null;
      slaBreachedAt: Date | null;
    };
  }[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += bulkChunk) {
    const values = rows.slice(i, i + bulkChunk).map(
      ({ id, summary }) =>
        sql`(${id}::int, ${summary.slaPolicyId}::int, ${summary.slaDueAt?.toISOString() ?? null}::timestamptz,
          ${summary.slaDueMetric}::sla_metric, ${summary.slaBreachedAt?.toISOString() ?? null}::timestamptz)`,
    );
    await db.execute(sql`update ${tickets} set sla_policy_id = v.policy_id, sla_due_at = v.due_at,
      sla_due_metric = v.metric, sla_breached_at = v.breached_at
      from (values ${sql.join(values, sql`, `)}) as v(id, policy_id, due_at, metric, breached_at)
      where ${tickets.id} = v.id`);
  }
}
