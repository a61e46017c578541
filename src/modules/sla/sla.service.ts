import type { ServiceContext } from "../../context.ts";
import type { SlaConditionsJson, SlaEscalationJson } from "../../db/schema.ts";
import { isForeignKeyViolation } from "../../db/unique-violation.ts";
import { AppError, conflict, notFound, validationFailed } from "../../errors.ts";
import {
  addBusinessMs,
  type BusinessCalendar,
  businessMsBetween,
  parseBusinessCalendar,
} from "./business-hours.ts";
import {
  type CalendarRow,
  type ClockRow,
  claimDueClocks,
  clockFromRow,
  countPoliciesUsingCalendar,
  deleteCalendarRow,
  deletePolicyRow,
  insertCalendar,
  insertClocks,
  insertMeasurements,
  insertPolicy,
  markClockAlerts,
  type PolicyRow,
  type SlaReportGroup,
  type SlaTicketFacts,
  saveClocks,
  saveCompletions,
  selectCalendars,
  selectClocks,
  selectClocksForTickets,
  selectCustomerSegment,
  selectEnabledPolicies,
  selectPolicies,
  selectPolicyById,
  selectSlaReport,
  selectSlaTicketFacts,
  selectTicketIdsWithActiveClocks,
  updateCalendarRow,
  updatePolicyRow,
  updateTicketSlaSummaries,
  updateTicketSlaSummary,
} from "./sla.repo.ts";
import {
  activeBreach,
  applySlaEvent,
  type BusinessTime,
  earliestDue,
  elapsedBusinessMs,
  type SlaClock,
  type SlaCompletion,
  type SlaEvent,
  type SlaMetric,
} from "./sla-clock.ts";
import { replaySlaHistory, type SlaHistoryStep } from "./sla-history.ts";
import { selectPolicy, targetsOf } from "./sla-policy.ts";

type Ctx = Pick<ServiceContext, "db" | "clock" | "cache">;

export type { CalendarRow, PolicyRow } from "./sla.repo.ts";

/** Round the clock, every day: what time is measured in when no calendar exists. */
const alwaysOpen: BusinessCalendar = parseBusinessCalendar({
  timezone: "UTC",
  weekly: [1, 2, 3, 4, 5, 6, 7].map((day) => ({ day, start: "00:00", end: "24:00" })),
  holidays: [],
});

export function calendarFromRow(row: CalendarRow): BusinessCalendar {
  return parseBusinessCalendar({ timezone: row.timezone, weekly: row.weekly, holidays: row.holidays });
}

export function businessTimeOf(calendar: BusinessCalendar): BusinessTime {
  return {
    between: (from, to) => businessMsBetween(calendar, from, to),
    add: (from, ms) => addBusinessMs(calendar, from, ms),
  };
}

type SlaSetup = {
  policies: PolicyRow[];
  calendars: Map<number, BusinessCalendar>;
  fallback: BusinessCalendar;
  /** Whether any policy looks at the customer's tier or tags (else a ticket's own fields choose its policy). */
  needsCustomer: boolean;
};

const setupCacheKey = "sla.setup";

/** Policies and compiled calendars, from the settings cache when the context has one. */
async function loadSetup(ctx: Pick<Ctx, "db" | "cache">): Promise<SlaSetup> {
  const load = async () => {
    // Sequential: inside a transaction both share one connection.
    const policies = await selectEnabledPolicies(ctx.db);
    const calendarRows = await selectCalendars(ctx.db);
    const calendars = new Map(calendarRows.map((row) => [row.id, calendarFromRow(row)]));
    const fallback = calendarRows.length > 0 ? calendars.get(calendarRows[0].id)! : alwaysOpen;
    const needsCustomer = policies.some(
      (policy) =>
        (policy.conditions.customerTiers?.length ?? 0) > 0 ||
        (policy.conditions.customerTags?.length ?? 0) > 0,
    );
    return { policies, calendars, fallback, needsCustomer };
  };
  return ctx.cache ? ctx.cache.get(setupCacheKey, load) : load();
}

function forgetSetup(ctx: Pick<Ctx, "cache">): void {
  ctx.cache?.invalidate(setupCacheKey);
}

/** The business hours of the workspace: its first calendar, or round the clock when it has none. */
export async function getWorkspaceCalendar(ctx: Pick<Ctx, "db">): Promise<BusinessCalendar> {
  const rows = await selectCalendars(ctx.db);
  return rows.length > 0 ? calendarFromRow(rows[0]) : alwaysOpen;
}

function calendarOf(setup: SlaSetup, policy: PolicyRow | null): BusinessCalendar {
  return (policy && setup.calendars.get(policy.calendarId)) || setup.fallback;
}

/** The ticket's own fields, as the caller already has them; the customer's tier and tags are read when needed. */
export type SlaTicketInput = Pick<
  SlaTicketFacts,
  "id" | "status" | "priority" | "channel" | "teamId" | "assigneeId" | "customerId" | "slaPolicyId"
>;

async function factsFor(
  ctx: Ctx,
  setup: SlaSetup,
  ticketId: number,
  known: SlaTicketInput | undefined,
): Promise<SlaTicketFacts> {
  if (known && !setup.needsCustomer) {
    return { ...known, lastCustomerMessageAt: null, customerTier: null, customerTags: [] };
  }
  const facts = await selectSlaTicketFacts(ctx.db, ticketId);
  if (!facts) throw notFound("Ticket", ticketId);
  return facts;
}

/**
 * Moves a ticket's SLA clocks through `events` (in order), choosing the policy anew from the ticket as it is now,
 * and stores the clocks, finished cycles and the ticket's due-time summary. Call inside the transaction that made
 * the change; pass the ticket's current row as `ticket` when you have it (saves reading it again).
 */
export async function applySlaEvents(
  ctx: Ctx,
  ticketId: number,
  events: SlaEvent[],
  ticket?: SlaTicketInput,
): Promise<{ completions: SlaCompletion[] }> {
  const setup = await loadSetup(ctx);
  const facts = await factsFor(ctx, setup, ticketId, ticket);
  const isNew = events.some((event) => event.kind === "created");
  const existing = isNew ? [] : (await selectClocks(ctx.db, ticketId)).map(clockFromRow);
  const result = moveClocks(setup, facts, existing, events, ctx.clock.now(), !isNew);
  await saveClocks(ctx.db, ticketId, result.clocks, result.removed);
  await saveCompletions(ctx.db, facts, result.completions);
  await updateTicketSlaSummary(ctx.db, ticketId, result.summary);
  return { completions: result.completions };
}

type ClockMove = {
  clocks: SlaClock[];
  completions: SlaCompletion[];
  removed: SlaMetric[];
  summary: {
    slaPolicyId: number | null;
    slaDueAt: Date | null;
    slaDueMetric: SlaMetric | null;
    slaBreachedAt: Date | null;
  };
};

/** The pure part of applySlaEvents: the policy that applies, the clocks moved through the events, the summary. */
function moveClocks(
  setup: SlaSetup,
  facts: SlaTicketFacts,
  existing: SlaClock[],
  events: SlaEvent[],
  now: Date,
  mayChangePolicy: boolean,
): ClockMove {
  const policy = selectPolicy(setup.policies, facts);
  const targets = targetsOf(policy);
  let clocks = existing;
  const previousPolicy = setup.policies.find((candidate) => candidate.id === facts.slaPolicyId) ?? null;
  const time = businessTimeOf(calendarOf(setup, policy));
  // Time used so far was measured on the old policy's calendar; fold it in before the new calendar takes over.
  if (mayChangePolicy && (facts.slaPolicyId ?? null) !== targets.policyId) {
    const previousTime = businessTimeOf(calendarOf(setup, previousPolicy));
    clocks = clocks.map((clock) => foldRunningTime(clock, now, previousTime));
  }
  const completions: SlaCompletion[] = [];
  const removed = new Set<SlaMetric>();
  // Always end with the targets: a policy edited since the last change applies from now on.
  for (const event of [...events, { kind: "targets" } as const]) {
    const transition = applySlaEvent(clocks, event, targets, now, time);
    clocks = transition.clocks;
    completions.push(...transition.completions);
    for (const metric of transition.removed) removed.add(metric);
  }
  const due = earliestDue(clocks);
  return {
    clocks,
    completions,
    removed: [...removed],
    summary: {
      slaPolicyId: targets.policyId,
      slaDueAt: due?.dueAt ?? null,
      slaDueMetric: due?.metric ?? null,
      slaBreachedAt: activeBreach(clocks),
    },
  };
}

/** A new ticket's clocks, worked out before its row is inserted so the row carries its SLA summary. */
export type NewTicketSla = {
  summary: ClockMove["summary"];
  clocks: SlaClock[];
  completions: SlaCompletion[];
};

/**
 * The SLA of a ticket about to be opened (`events` start with "created"), from its fields and customer; store it
 * with `saveNewTicketSla` once the ticket has its id. One statement fewer than applySlaEvents on the hot path.
 */
export async function planNewTicketSla(
  ctx: Ctx,
  ticket: Pick<SlaTicketFacts, "priority" | "channel" | "teamId" | "assigneeId" | "customerId">,
  events: SlaEvent[],
): Promise<NewTicketSla> {
  const setup = await loadSetup(ctx);
  const customer = setup.needsCustomer ? await selectCustomerSegment(ctx.db, ticket.customerId) : null;
  const facts: SlaTicketFacts = {
    ...ticket,
    id: 0,
    status: "new",
    slaPolicyId: null,
    lastCustomerMessageAt: null,
    customerTier: customer?.tier ?? null,
    customerTags: customer?.tags ?? [],
  };
  const result = moveClocks(setup, facts, [], events, ctx.clock.now(), false);
  return { summary: result.summary, clocks: result.clocks, completions: result.completions };
}

export async function saveNewTicketSla(
  ctx: Pick<Ctx, "db">,
  ticket: SlaTicketInput,
  plan: NewTicketSla,
): Promise<void> {
  await insertClocks(
    ctx.db,
    plan.clocks.map((clock) => ({ ...clock, ticketId: ticket.id })),
  );
  await saveCompletions(
    ctx.db,
    { ...ticket, lastCustomerMessageAt: null, customerTier: null, customerTags: [] },
    plan.completions,
  );
}

function foldRunningTime(clock: SlaClock, now: Date, time: BusinessTime): SlaClock {
  if (clock.state !== "running" || clock.since === null) return clock;
  return { ...clock, elapsedMs: elapsedBusinessMs(clock, now, time), since: now };
}

/** The SLA state of one clock as clients see it. */
export type SlaTargetState = {
  metric: SlaMetric;
  policyId: number | null;
  targetMinutes: number | null;
  state: "running" | "paused" | "stopped";
  dueAt: Date | null;
  paused: boolean;
  breached: boolean;
  breachedAt: Date | null;
  completedAt: Date | null;
  startedAt: Date;
  cycle: number;
  /** Business time used so far (or in total, once stopped). */
  elapsedMinutes: number;
  /** Business time left before the target, negative once late; null without a target or once stopped. */
  remainingMinutes: number | null;
  /** Running, not yet late, and past the policy's warning share of its target ("breaching soon"). */
  warning: boolean;
};

/** Each ticket's clocks, with time used and left computed at `ctx.clock.now()`. */
export async function getSlaStates(ctx: Ctx, ticketIds: number[]): Promise<Map<number, SlaTargetState[]>> {
  const rows = await selectClocksForTickets(ctx.db, ticketIds);
  const result = new Map<number, SlaTargetState[]>(ticketIds.map((id) => [id, []]));
  if (rows.length === 0) return result;
  const setup = await loadSetup(ctx);
  const now = ctx.clock.now();
  const order: Record<SlaMetric, number> = { first_response: 0, next_response: 1, resolution: 2 };
  for (const row of rows.sort((a, b) => order[a.metric] - order[b.metric])) {
    const policy = setup.policies.find((candidate) => candidate.id === row.policyId) ?? null;
    const warnShare = policy?.warnShare ?? 0.75;
    result
      .get(row.ticketId)
      ?.push(presentClock(row, now, businessTimeOf(calendarOf(setup, policy)), warnShare));
  }
  return result;
}

const minutes = (ms: number) => Math.round(ms / 60_000);

function presentClock(row: ClockRow, now: Date, time: BusinessTime, warnShare: number): SlaTargetState {
  const clock = clockFromRow(row);
  const elapsed = elapsedBusinessMs(clock, now, time);
  const late = clock.targetMs !== null && elapsed > clock.targetMs;
  const breached = clock.breachedAt !== null || late;
  return {
    metric: clock.metric,
    policyId: clock.policyId,
    targetMinutes: clock.targetMs === null ? null : minutes(clock.targetMs),
    state: clock.state,
    dueAt: clock.dueAt,
    paused: clock.state === "paused",
    breached,
    breachedAt: clock.breachedAt,
    completedAt: clock.completedAt,
    startedAt: clock.startedAt,
    cycle: clock.cycle,
    elapsedMinutes: minutes(elapsed),
    remainingMinutes:
      clock.targetMs === null || clock.state === "stopped" ? null : minutes(clock.targetMs - elapsed),
    warning:
      clock.state === "running" &&
      clock.targetMs !== null &&
      !breached &&
      elapsed >= clock.targetMs * warnShare,
  };
}

/** A clock whose warning or due time has come, claimed (row-locked) for the sweeping transaction. */
export type DueClock = {
  ticketId: number;
  metric: SlaMetric;
  policyId: number | null;
  warn: boolean;
  breach: boolean;
  dueAt: Date | null;
};

/** Claims up to `limit` clocks whose warning or target time has passed; other sweepers skip them. */
export async function claimDueSlaClocks(ctx: Ctx, limit = 200): Promise<DueClock[]> {
  const now = ctx.clock.now();
  const rows = await claimDueClocks(ctx.db, now, limit);
  return rows.map((row) => ({
    ticketId: row.ticketId,
    metric: row.metric,
    policyId: row.policyId,
    breach: row.breachedAt === null && row.dueAt !== null && row.dueAt <= now,
    warn: row.warnedAt === null && row.warnAt !== null && row.warnAt <= now,
    dueAt: row.dueAt,
  }));
}

/** Records that a claimed clock warned and/or breached (the breach at its due time), then refreshes the ticket. */
export async function recordSlaAlerts(ctx: Ctx, clock: DueClock): Promise<void> {
  const now = ctx.clock.now();
  await markClockAlerts(ctx.db, clock.ticketId, clock.metric, {
    warnedAt: clock.warn || clock.breach ? now : undefined,
    breachedAt: clock.breach ? (clock.dueAt ?? now) : undefined,
  });
  await applySlaEvents(ctx, clock.ticketId, []);
}

export async function getSlaPolicy(ctx: Pick<Ctx, "db">, policyId: number): Promise<PolicyRow | null> {
  return (await selectPolicyById(ctx.db, policyId)) ?? null;
}

// ---- Calendars and policies (admin) ----

export type CalendarInput = {
  name: string;
  timezone: string;
  weekly: { day: number; start: string; end: string }[];
  holidays: { date: string; name?: string }[];
};

/** Checks a calendar as business-hours arithmetic needs it; a bad one is a 400 naming each field under `body`. */
function checkCalendar(input: CalendarInput): void {
  try {
    parseBusinessCalendar({ timezone: input.timezone, weekly: input.weekly, holidays: input.holidays });
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    const details = (error.details as { path: string; message: string }[]).map((detail) => ({
      path: detail.path ? `body.${detail.path}` : "body",
      message: detail.message,
    }));
    throw validationFailed(
      error.message.replace(/^Invalid business calendar/, "The business hours are not valid"),
      details,
    );
  }
}

export async function listCalendars(ctx: Pick<Ctx, "db">): Promise<CalendarRow[]> {
  return selectCalendars(ctx.db);
}

export async function createCalendar(ctx: Ctx, input: CalendarInput): Promise<CalendarRow> {
  checkCalendar(input);
  forgetSetup(ctx);
  const now = ctx.clock.now();
  return insertCalendar(ctx.db, { ...input, createdAt: now, updatedAt: now });
}

export async function updateCalendar(ctx: Ctx, id: number, input: CalendarInput): Promise<CalendarRow> {
  checkCalendar(input);
  forgetSetup(ctx);
  const row = await updateCalendarRow(ctx.db, id, { ...input, updatedAt: ctx.clock.now() });
  if (!row) throw notFound("Business calendar", id);
  return row;
}

export async function deleteCalendar(ctx: Pick<Ctx, "db" | "cache">, id: number): Promise<void> {
  forgetSetup(ctx);
  const users = await countPoliciesUsingCalendar(ctx.db, id);
  if (users > 0) {
    throw conflict(
      `${users} SLA polic${users === 1 ? "y uses" : "ies use"} this calendar; give them another first`,
    );
  }
  if (!(await deleteCalendarRow(ctx.db, id))) throw notFound("Business calendar", id);
}

export type PolicyInput = {
  name: string;
  position: number;
  enabled: boolean;
  conditions: SlaConditionsJson;
  firstResponseMinutes: number | null;
  nextResponseMinutes: number | null;
  resolutionMinutes: number | null;
  calendarId: number;
  warnShare: number;
  escalation: SlaEscalationJson;
};

export async function listPolicies(ctx: Pick<Ctx, "db">): Promise<PolicyRow[]> {
  return selectPolicies(ctx.db);
}

export async function createPolicy(ctx: Ctx, input: PolicyInput): Promise<PolicyRow> {
  forgetSetup(ctx);
  const now = ctx.clock.now();
  try {
    return await insertPolicy(ctx.db, { ...input, createdAt: now, updatedAt: now });
  } catch (error) {
    throw explainPolicyForeignKey(error);
  }
}

export async function updatePolicy(ctx: Ctx, id: number, input: PolicyInput): Promise<PolicyRow> {
  forgetSetup(ctx);
  let row: PolicyRow | undefined;
  try {
    row = await updatePolicyRow(ctx.db, id, { ...input, updatedAt: ctx.clock.now() });
  } catch (error) {
    throw explainPolicyForeignKey(error);
  }
  if (!row) throw notFound("SLA policy", id);
  return row;
}

export async function deletePolicy(ctx: Pick<Ctx, "db" | "cache">, id: number): Promise<void> {
  forgetSetup(ctx);
  if (!(await deletePolicyRow(ctx.db, id))) throw notFound("SLA policy", id);
}

function explainPolicyForeignKey(error: unknown): unknown {
  if (isForeignKeyViolation(error)) {
    return validationFailed("The calendar does not exist", [
      { path: "body.calendarId", message: "unknown calendar" },
    ]);
  }
  return error;
}

/** Ids of tickets whose clocks are still running or paused, a page at a time (for re-applying edited policies). */
export async function listTicketIdsWithActiveSla(
  ctx: Pick<Ctx, "db">,
  afterId: number,
  limit: number,
): Promise<number[]> {
  return selectTicketIdsWithActiveClocks(ctx.db, afterId, limit);
}

/**
 * A calendar and policies for a workspace that has none: office hours Monday to Friday in the workspace's zone,
 * and targets by priority. Editable afterwards; does nothing when a calendar already exists.
 */
export async function ensureSlaDefaults(
  ctx: Ctx,
  options: { timezone: string; name?: string; weekly?: CalendarInput["weekly"] },
): Promise<boolean> {
  if ((await selectCalendars(ctx.db)).length > 0) return false;
  const calendar = await createCalendar(ctx, {
    name: options.name ?? "Office hours",
    timezone: options.timezone,
    weekly: options.weekly ?? [1, 2, 3, 4, 5].map((day) => ({ day, start: "09:00", end: "17:00" })),
    holidays: [],
  });
  const base = { enabled: true, calendarId: calendar.id, warnShare: 0.75 };
  const hour = 60;
  await createPolicy(ctx, {
    ...base,
    name: "Urgent",
    position: 10,
    conditions: { priorities: ["urgent"] },
    firstResponseMinutes: 1 * hour,
    nextResponseMinutes: 2 * hour,
    resolutionMinutes: 8 * hour,
    escalation: { notifyLead: true },
  });
  await createPolicy(ctx, {
    ...base,
    name: "High priority",
    position: 20,
    conditions: { priorities: ["high"] },
    firstResponseMinutes: 2 * hour,
    nextResponseMinutes: 4 * hour,
    resolutionMinutes: 16 * hour,
    escalation: { notifyLead: true, raisePriority: true },
  });
  await createPolicy(ctx, {
    ...base,
    name: "Standard",
    position: 100,
    conditions: {},
    firstResponseMinutes: 8 * hour,
    nextResponseMinutes: 8 * hour,
    resolutionMinutes: 40 * hour,
    escalation: { notifyLead: true, raisePriority: true },
  });
  return true;
}

/**
 * When a customer writing now can expect a first answer: the first-response target of the policy a ticket with
 * these facts would get, counted in its business hours. Null when no policy sets one.
 */
export async function expectedFirstReplyAt(
  ctx: Ctx,
  facts: {
    priority: string;
    channel: string;
    teamId: number | null;
    customerTier: string | null;
    customerTags: string[];
  },
): Promise<Date | null> {
  const setup = await loadSetup(ctx);
  const policy = selectPolicy(setup.policies, facts);
  const target = targetsOf(policy).targets.first_response;
  if (target === null) return null;
  return addBusinessMs(calendarOf(setup, policy), ctx.clock.now(), target);
}

export type SlaReportOptions = {
  from: Date;
  to: Date;
  groupBy: SlaReportGroup;
  period: "day" | "week" | "month";
  timezone: string;
};

export type SlaReportEntry = {
  group: { key: string | null; label: string | null };
  metric: SlaMetric;
  completed: number;
  withTarget: number;
  met: number;
  /** met / withTarget, or null when none had a target. */
  metShare: number | null;
  medianMinutes: number | null;
  p90Minutes: number | null;
};

/** Share of targets met and median and 90th-percentile business times, by the chosen dimension. */
export async function getSlaReport(
  ctx: Pick<Ctx, "db">,
  options: SlaReportOptions,
): Promise<SlaReportEntry[]> {
  const rows = await selectSlaReport(ctx.db, options);
  const toMinutes = (ms: number | null) => (ms === null ? null : Math.round((ms / 60_000) * 10) / 10);
  return rows.map((row) => ({
    group: { key: row.groupKey, label: row.groupLabel },
    metric: row.metric,
    completed: row.completed,
    withTarget: row.withTarget,
    met: row.met,
    metShare: row.withTarget > 0 ? row.met / row.withTarget : null,
    medianMinutes: toMinutes(row.medianMs),
    p90Minutes: toMinutes(row.p90Ms),
  }));
}

export type SlaHistoryTicket = {
  id: number;
  priority: string;
  channel: string;
  teamId: number | null;
  assigneeId: number | null;
  customerTier: string | null;
  customerTags: string[];
  steps: SlaHistoryStep[];
};

/**
 * Gives tickets imported with their history (the demo, an import from another helpdesk) the SLA clocks and
 * measurements they would have had live, in bulk. Call in a transaction; the tickets must have no clocks yet.
 */
export async function seedSlaFromHistory(ctx: Ctx, historyTickets: SlaHistoryTicket[]): Promise<number> {
  const setup = await loadSetup(ctx);
  const now = ctx.clock.now();
  const clockRows: (SlaClock & { ticketId: number })[] = [];
  const measurementRows: Parameters<typeof insertMeasurements>[1] = [];
  const summaries: { id: number; summary: Parameters<typeof updateTicketSlaSummary>[2] }[] = [];
  for (const ticket of historyTickets) {
    const policy = selectPolicy(setup.policies, ticket);
    const { clocks, completions } = replaySlaHistory(
      ticket.steps,
      targetsOf(policy),
      businessTimeOf(calendarOf(setup, policy)),
      now,
    );
    for (const clock of clocks) clockRows.push({ ...clock, ticketId: ticket.id });
    for (const completion of completions) {
      measurementRows.push({
        ...completion,
        ticketId: ticket.id,
        teamId: ticket.teamId,
        assigneeId: ticket.assigneeId,
        priority: ticket.priority as SlaTicketFacts["priority"],
        channel: ticket.channel as SlaTicketFacts["channel"],
      });
    }
    const due = earliestDue(clocks);
    summaries.push({
      id: ticket.id,
      summary: {
        slaPolicyId: policy?.id ?? null,
        slaDueAt: due?.dueAt ?? null,
        slaDueMetric: due?.metric ?? null,
        slaBreachedAt: activeBreach(clocks),
      },
    });
  }
  await insertClocks(ctx.db, clockRows);
  await insertMeasurements(ctx.db, measurementRows);
  await updateTicketSlaSummaries(ctx.db, summaries);
  return clockRows.length;
}
