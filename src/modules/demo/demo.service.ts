import { randomBytes } from "node:crypto";
import { inArray, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import { replayFrustration } from "../../analytics/text/frustration.ts";
import type { AppContext, ServiceContext } from "../../context.ts";
import type { Db } from "../../db/client.ts";
import {
  customerIdentities,
  customers,
  messages,
  orders,
  organizations,
  surveyResponses,
  surveySends,
  teamMembers,
  teams,
  tickets,
  timelineEvents,
  users,
  workspace,
} from "../../db/schema.ts";
import { withTransaction } from "../../db/transaction.ts";
import { contactWindowDays } from "../empathy/frustration.service.ts";
import { ensureStarterMacros } from "../macros/macros.service.ts";
import { createRule, ensureStarterRules } from "../rules/rules.service.ts";
import { ensureSlaDefaults, seedSlaFromHistory } from "../sla/sla.service.ts";
import type { TicketStatusName } from "../sla/sla-clock.ts";
import type { SlaHistoryStep } from "../sla/sla-history.ts";
import { createUser } from "../users/users.service.ts";
import { agentProfiles, teamNames } from "./demo-catalogue.ts";
import { type DemoIdBase, type DemoPlan, defaultDemoSeed, planDemoWorkspace } from "./demo-model.ts";
import { demoSurveyQuestions, planDemoSurveys } from "./demo-surveys.ts";

export type CreateDemoWorkspaceOptions = {
  onProgress?: (step: string, done: number, total: number) => void;
  /** 1 = about 2,000 customers, 20,000 orders and 5,000 tickets; tests use a small fraction. */
  scale?: number;
  seed?: number;
};

// Rows per INSERT: large enough to be fast, small enough to stay far below PostgreSQL's 65,535 parameters.
const chunkSize = 1000;

/** True once this database has a workspace (set up by hand or by the demo). */
export async function isWorkspaceInitialised(ctx: Pick<ServiceContext, "db">): Promise<boolean> {
  const rows = await ctx.db.select({ id: workspace.id }).from(workspace).limit(1);
  return rows.length > 0;
}

/**
 * Fills the database with the demo business (see README.md beside this file): agents and teams, customers,
 * two years of orders and tickets, in one transaction. Returns the admin login; its password is random and
 * shown only here. On a database that already has data (`tend demo --force`) the demo rows are added after
 * the existing ones and the existing workspace row is kept.
 */
export async function createDemoWorkspace(
  ctx: AppContext,
  options: CreateDemoWorkspaceOptions = {},
): Promise<{ login: { email: string; password: string } }> {
  const progress = options.onProgress ?? (() => undefined);
  const totalSteps = 10;
  const mailDomain = ctx.config.mailDomain;
  return withTransaction(ctx, async (tx) => {
    // Two processes starting on an empty database must not both fill it.
    await tx.db.execute(sql`select pg_advisory_xact_lock(7461002)`);
    progress("Planning the demo business", 0, totalSteps);
    const idBase = await nextIds(tx.db);
    const plan = planDemoWorkspace({
      now: ctx.clock.now(),
      seed: options.seed ?? defaultDemoSeed,
      scale: options.scale ?? 1,
      mailDomain,
      idBase,
    });

    await tx.db
      .insert(workspace)
      .values({
        name: plan.workspace.name,
        supportAddress: plan.workspace.supportAddress,
        timezone: plan.workspace.timezone,
        isDemo: true,
        settings: { demo: { seed: plan.seed, scale: plan.scale, generatedAt: plan.now.toISOString() } },
        createdAt: new Date(plan.now.getTime() - 731 * 24 * 3600 * 1000),
      })
      .onConflictDoNothing();

    progress("Agents and teams", 1, totalSteps);
    const { userIds, teamIds, login } = await createAgents(tx, mailDomain);

    progress(`Organisations and ${plan.customers.length} customers`, 2, totalSteps);
    await insertChunks(tx.db, organizations, plan.organisations);
    await insertChunks(tx.db, customers, plan.customers);
    await insertChunks(tx.db, customerIdentities, plan.identities, true);

    progress(`${plan.orders.length} orders`, 3, totalSteps);
    await insertChunks(tx.db, orders, plan.orders);

    // Frustration as intake would have scored each customer message (see src/analytics/text/frustration.ts).
    const frustration = replayDemoFrustration(plan);

    progress(`${plan.tickets.length} tickets`, 4, totalSteps);
    await insertChunks(
      tx.db,
      tickets,
      plan.tickets.map(({ assigneeAgent, teamIndex, ...ticket }) => ({
        ...ticket,
        frustrationScore: frustration.tickets.get(ticket.id)?.score ?? null,
        frustrationCues: frustration.tickets.get(ticket.id)?.cues ?? [],
        assigneeId: assigneeAgent === null ? null : userIds[assigneeAgent],
        teamId: teamIds[teamIndex],
        // A secret in each ticket's reply address: random, never derived from the seed.
        replyToken: randomBytes(9).toString("base64url"),
      })),
    );

    progress(`${plan.messages.length} messages`, 5, totalSteps);
    await insertChunks(
      tx.db,
      messages,
      plan.messages.map(({ authorAgent, ...message }, i) => ({
        ...message,
        authorUserId: authorAgent === null ? null : userIds[authorAgent],
        frustrationScore: frustration.messages[i]?.score ?? null,
        frustrationCues: frustration.messages[i]?.cues.map((cue) => cue.label) ?? [],
      })),
    );

    progress(`${plan.timeline.length} timeline events`, 6, totalSteps);
    await insertChunks(
      tx.db,
      timelineEvents,
      plan.timeline.map(({ actorAgent, ...event }) => ({
        ...event,
        actorUserId: actorAgent === null ? null : userIds[actorAgent],
      })),
    );

    const surveys = planDemoSurveys(plan, {
      mailDomain,
      idBase: {
        send: idBase.surveySend,
        response: idBase.surveyResponse,
        timeline: idBase.timeline + plan.timeline.length,
      },
    });
    progress(`${surveys.sends.length} surveys and ${surveys.responses.length} answers`, 7, totalSteps);
    await insertChunks(
      tx.db,
      surveySends,
      surveys.sends.map(({ assigneeAgent, teamIndex, ...send }) => ({
        ...send,
        kind: "csat" as const,
        metric: "csat" as const,
        purpose: "surveys" as const,
        questions: demoSurveyQuestions,
        agentId: assigneeAgent === null ? null : userIds[assigneeAgent],
        teamId: teamIds[teamIndex],
      })),
    );
    await insertChunks(
      tx.db,
      surveyResponses,
      surveys.responses.map((response) => ({
        ...response,
        metric: "csat" as const,
        answers: demoAnswers(response.score, response.comment),
        updatedAt: response.respondedAt,
      })),
    );
    await insertChunks(
      tx.db,
      timelineEvents,
      surveys.timeline.map(({ actorAgent: _actor, ...event }) => ({ ...event, actorUserId: null })),
    );

    progress("Updating id sequences", 8, totalSteps);
    // Rows were inserted with explicit ids; move each identity sequence past them so later inserts do not collide.
    for (const table of [
      "organizations",
      "customers",
      "customer_identities",
      "orders",
      "tickets",
      "messages",
      "timeline_events",
      "survey_sends",
      "survey_responses",
    ]) {
      await tx.db.execute(
        sql.raw(
          `select setval(pg_get_serial_sequence('${table}', 'id'), greatest((select max(id) from ${table}), 1))`,
        ),
      );
    }
    progress("SLA clocks and measurements from ticket history", 9, totalSteps);
    await seedDemoServiceSetup(tx, plan, teamIds, userIds);
    progress("Done", totalSteps, totalSteps);
    return { login };
  });
}

type TxContext = Pick<ServiceContext, "db" | "clock">;

function demoAnswers(score: number, comment: string | null): Record<string, string | number> {
  return comment ? { score, comment } : { score };
}

/**
 * The workspace's service setup for the demo: SLA hours matching its staffed hours, the default policies, the
 * starter macros; then every ticket's SLA clocks and measurements as if its history had happened live.
 */
async function seedDemoServiceSetup(ctx: TxContext, plan: DemoPlan, teamIds: number[], userIds: number[]) {
  await ensureSlaDefaults(ctx, {
    timezone: plan.workspace.timezone,
    name: "Support hours",
    weekly: [
      ...[1, 2, 3, 4, 5].map((day) => ({ day, start: "08:00", end: "18:00" })),
      ...[6, 7].map((day) => ({ day, start: "10:00", end: "14:00" })),
    ],
  });
  await ensureStarterMacros(ctx);
  const [supportTeamId, retentionTeamId] = teamIds;
  if (await ensureStarterRules(ctx, { retentionTeamId: async () => retentionTeamId })) {
    await createRule(ctx, {
      name: "New tickets without a team go to Support",
      enabled: true,
      position: 100,
      events: ["ticket.created"],
      conditions: { all: [{ field: "ticket.team_id", operator: "is_not_set" }], any: [] },
      actions: [{ type: "assign_team", value: supportTeamId }],
    });
  }
  const customersById = new Map(plan.customers.map((customer) => [customer.id, customer]));
  const steps = new Map<number, SlaHistoryStep[]>(
    plan.tickets.map((ticket) => [ticket.id, [{ at: ticket.createdAt, kind: "created" }]]),
  );
  for (const message of plan.messages) {
    steps.get(message.ticketId)?.push({
      at: message.createdAt,
      kind: "message",
      direction: message.direction,
      isInternal: message.isInternal,
    });
  }
  for (const event of plan.timeline) {
    if (event.kind !== "ticket.status_changed" || event.ticketId === null) continue;
    const { from, to } = event.data as { from: TicketStatusName; to: TicketStatusName };
    steps.get(event.ticketId)?.push({ at: event.occurredAt, kind: "status", from, to });
  }
  await seedSlaFromHistory(
    ctx,
    plan.tickets.map((ticket) => {
      const customer = customersById.get(ticket.customerId);
      return {
        id: ticket.id,
        priority: ticket.priority,
        channel: ticket.channel,
        teamId: teamIds[ticket.teamIndex],
        assigneeId: ticket.assigneeAgent === null ? null : userIds[ticket.assigneeAgent],
        customerTier: customer?.tier ?? null,
        customerTags: customer?.tags ?? [],
        steps: steps.get(ticket.id) ?? [],
      };
    }),
  );
}

/** PGlite and node-postgres both answer `execute` with `{ rows }`; drizzle types it loosely. */
function firstRow(result: unknown): Record<string, string | number> {
  const rows = (result as { rows: Record<string, string | number>[] }).rows;
  if (!rows?.[0]) throw new Error("expected one row");
  return rows[0];
}

async function nextIds(db: Db): Promise<DemoIdBase & { surveySend: number; surveyResponse: number }> {
  const rows = await db.execute(sql`
    select
      (select coalesce(max(id), 0) + 1 from organizations) as organisation,
      (select coalesce(max(id), 0) + 1 from customers) as customer,
      (select coalesce(max(id), 0) + 1 from customer_identities) as identity,
      (select coalesce(max(id), 0) + 1 from orders) as "order",
      (select coalesce(max(id), 0) + 1 from tickets) as ticket,
      (select coalesce(max(id), 0) + 1 from messages) as message,
      (select coalesce(max(id), 0) + 1 from timeline_events) as timeline,
      (select coalesce(max(id), 0) + 1 from survey_sends) as survey_send,
      (select coalesce(max(id), 0) + 1 from survey_responses) as survey_response`);
  const row = firstRow(rows);
  return {
    organisation: Number(row.organisation),
    customer: Number(row.customer),
    identity: Number(row.identity),
    order: Number(row.order),
    ticket: Number(row.ticket),
    message: Number(row.message),
    timeline: Number(row.timeline),
    surveySend: Number(row.survey_send),
    surveyResponse: Number(row.survey_response),
  };
}

/** The six agents and two teams; only the admin's password leaves this function. */
async function createAgents(
  ctx: TxContext,
  mailDomain: string,
): Promise<{ userIds: number[]; teamIds: number[]; login: { email: string; password: string } }> {
  const taken = new Set(
    (await ctx.db.select({ email: users.email }).from(users)).map((row) => row.email.toLowerCase()),
  );
  const userIds: number[] = [];
  let login: { email: string; password: string } | null = null;
  for (const profile of agentProfiles) {
    // A forced second demo on the same database gets demo2@, sofia2@, ...
    let email = `${profile.local}@${mailDomain}`;
    for (let n = 2; taken.has(email); n++) email = `${profile.local}${n}@${mailDomain}`;
    taken.add(email);
    const created = await createUser(ctx, { email, name: profile.name, role: profile.role });
    await ctx.db
      .update(users)
      .set({ status: profile.status, capacity: profile.capacity })
      .where(inArray(users.id, [created.user.id]));
    userIds.push(created.user.id);
    if (profile.role === "admin" && login === null) login = { email, password: created.password };
  }
  await ctx.db
    .insert(teams)
    .values(teamNames.map((name) => ({ name, createdAt: ctx.clock.now() })))
    .onConflictDoNothing();
  const teamRows = await ctx.db
    .select({ id: teams.id, name: teams.name })
    .from(teams)
    .where(inArray(teams.name, [...teamNames]));
  const teamIds = teamNames.map((name) => {
    const row = teamRows.find((team) => team.name === name);
    if (!row) throw new Error(`team ${name} missing after insert`);
    return row.id;
  });
  const memberships = agentProfiles.flatMap((profile, i) =>
    profile.team.map((name) => ({ teamId: teamIds[teamNames.indexOf(name)], userId: userIds[i] })),
  );
  await ctx.db.insert(teamMembers).values(memberships).onConflictDoNothing();
  if (!login) throw new Error("the demo agents include no admin");
  return { userIds, teamIds, login };
}

async function insertChunks<TTable extends PgTable>(
  db: Db,
  table: TTable,
  rows: TTable["$inferInsert"][],
  skipConflicts = false,
): Promise<void> {
  for (let i = 0; i < rows.length; i += chunkSize) {
    const query = db.insert(table).values(rows.slice(i, i + chunkSize));
    await (skipConflicts ? query.onConflictDoNothing() : query);
  }
}

export type DemoSummary = {
  counts: Record<
    | "organisations"
    | "customers"
    | "identities"
    | "orders"
    | "tickets"
    | "messages"
    | "timeline"
    | "users"
    | "teams"
    | "surveySends"
    | "surveyResponses",
    number
  >;
  orderTotalMinor: number;
  /** md5 over the ordered ids, amounts, times and texts: equal digests mean equal data. */
  digest: string;
};

/** A stable fingerprint of the demo data, to show that the same seed and clock give the same workspace. */
export async function summariseDemo(ctx: Pick<ServiceContext, "db">): Promise<DemoSummary> {
  const result = await ctx.db.execute(sql`
    select
      (select count(*) from organizations) as organisations,
      (select count(*) from customers) as customers,
      (select count(*) from customer_identities) as identities,
      (select count(*) from orders) as orders,
      (select count(*) from tickets) as tickets,
      (select count(*) from messages) as messages,
      (select count(*) from timeline_events) as timeline,
      (select count(*) from users) as users,
      (select count(*) from teams) as teams,
      (select count(*) from survey_sends) as survey_sends,
      (select count(*) from survey_responses) as survey_responses,
      (select coalesce(sum(amount_minor), 0) from orders) as order_total,
      md5(concat_ws('|',
        (select string_agg(concat_ws(':', id, coalesce(name, ''), coalesce(organization_id, 0), coalesce(tier, ''),
          array_to_string(tags, ','), extract(epoch from created_at)::bigint), ';' order by id) from customers),
        (select string_agg(concat_ws(':', id, customer_id, kind, value), ';' order by id) from customer_identities),
        (select string_agg(concat_ws(':', id, customer_id, external_id, amount_minor, status,
          extract(epoch from placed_at)::bigint, md5(items::text)), ';' order by id) from orders),
        (select string_agg(concat_ws(':', id, customer_id, subject, status, priority, channel,
          array_to_string(tags, ','), extract(epoch from created_at)::bigint), ';' order by id) from tickets),
        (select string_agg(concat_ws(':', id, ticket_id, direction, channel, md5(text),
          coalesce(mail_message_id, ''), extract(epoch from created_at)::bigint), ';' order by id) from messages),
        (select string_agg(concat_ws(':', id, customer_id, coalesce(ticket_id, 0), kind, md5(summary),
          extract(epoch from occurred_at)::bigint), ';' order by id) from timeline_events),
        (select string_agg(concat_ws(':', id, customer_id, coalesce(ticket_id, 0), channel, status,
          coalesce(skip_reason, ''), coalesce(mail_message_id, ''), extract(epoch from created_at)::bigint), ';'
          order by id) from survey_sends),
        (select string_agg(concat_ws(':', id, send_id, score, coalesce(comment, ''),
          extract(epoch from responded_at)::bigint), ';' order by id) from survey_responses)
      )) as digest`);
  const row = firstRow(result);
  return {
    counts: {
      organisations: Number(row.organisations),
      customers: Number(row.customers),
      identities: Number(row.identities),
      orders: Number(row.orders),
      tickets: Number(row.tickets),
      messages: Number(row.messages),
      timeline: Number(row.timeline),
      users: Number(row.users),
      teams: Number(row.teams),
      surveySends: Number(row.survey_sends),
      surveyResponses: Number(row.survey_responses),
    },
    orderTotalMinor: Number(row.order_total),
    digest: String(row.digest),
  };
}

/** The demo's messages scored in time order as intake scores them, with each ticket's resulting frustration. */
function replayDemoFrustration(plan: DemoPlan) {
  const customerOf = new Map(plan.tickets.map((ticket) => [ticket.id, ticket.customerId]));
  return replayFrustration(
    plan.messages.map((message) => ({
      ticketId: message.ticketId,
      customerId: customerOf.get(message.ticketId) ?? 0,
      channel: message.channel,
      text: message.text,
      at: message.createdAt,
      role: message.isInternal ? "other" : message.direction === "inbound" ? "customer" : "agent",
    })),
    contactWindowDays,
  );
}
