// The SLA clock state machine, pure: what happens to a ticket's first-response, next-response and resolution
// clocks when the ticket is created, the customer writes, an agent replies, or the status or policy changes.
// Business time comes in through `BusinessTime`, so this file knows nothing of calendars or the database.

export type SlaMetric = "first_response" | "next_response" | "resolution";
export const slaMetrics: SlaMetric[] = ["first_response", "next_response", "resolution"];

/** Business-time arithmetic on one calendar (see business-hours.ts). */
export type BusinessTime = {
  between(from: Date, to: Date): number;
  add(from: Date, ms: number): Date;
};

export type SlaClock = {
  metric: SlaMetric;
  policyId: number | null;
  /** Null: no target for this metric under the policy; time is still measured. */
  targetMs: number | null;
  state: "running" | "paused" | "stopped";
  cycle: number;
  /** Business ms accumulated before `since`. */
  elapsedMs: number;
  /** Start of the running segment; null unless running. */
  since: Date | null;
  startedAt: Date;
  dueAt: Date | null;
  warnAt: Date | null;
  warnedAt: Date | null;
  breachedAt: Date | null;
  completedAt: Date | null;
};

/** A finished cycle, for reports. */
export type SlaCompletion = {
  metric: SlaMetric;
  cycle: number;
  policyId: number | null;
  startedAt: Date;
  completedAt: Date;
  businessMs: number;
  targetMs: number | null;
  met: boolean | null;
};

export type SlaTargets = {
  policyId: number | null;
  targets: Record<SlaMetric, number | null>;
  warnShare: number;
};

export type TicketStatusName = "new" | "open" | "pending" | "on_hold" | "solved" | "closed";

export type SlaEvent =
  | { kind: "created" }
  | { kind: "customer_message" }
  | { kind: "agent_reply"; hasCustomerMessage: boolean }
  | { kind: "status"; from: TicketStatusName; to: TicketStatusName }
  | { kind: "targets" };

const waitingStatuses: ReadonlySet<TicketStatusName> = new Set(["pending", "on_hold"]);
const doneStatuses: ReadonlySet<TicketStatusName> = new Set(["solved", "closed"]);

/** Business time a clock has used by `now`. */
export function elapsedBusinessMs(clock: SlaClock, now: Date, time: BusinessTime): number {
  if (clock.state !== "running" || clock.since === null) return clock.elapsedMs;
  return clock.elapsedMs + time.between(clock.since, now);
}

/** Due and warning instants of a running clock, from what it has used and its target. */
function schedule(clock: SlaClock, time: BusinessTime, warnShare: number): SlaClock {
  if (clock.state !== "running" || clock.since === null || clock.targetMs === null) {
    return { ...clock, dueAt: null, warnAt: null };
  }
  const remaining = clock.targetMs - clock.elapsedMs;
  // Already past the target: due when it ran out, which lies in the past; the breach is then recorded at once.
  const dueAt = remaining > 0 ? time.add(clock.since, remaining) : clock.since;
  const warnRemaining = Math.round(clock.targetMs * warnShare) - clock.elapsedMs;
  const warnAt = clock.warnedAt
    ? null
    : warnRemaining > 0
      ? time.add(clock.since, warnRemaining)
      : clock.since;
  return { ...clock, dueAt, warnAt };
}

function startClock(metric: SlaMetric, cycle: number, targets: SlaTargets, now: Date): SlaClock {
  return {
    metric,
    policyId: targets.policyId,
    targetMs: targets.targets[metric],
    state: "running",
    cycle,
    elapsedMs: 0,
    since: now,
    startedAt: now,
    dueAt: null,
    warnAt: null,
    warnedAt: null,
    breachedAt: null,
    completedAt: null,
  };
}

function pauseClock(clock: SlaClock, now: Date, time: BusinessTime): SlaClock {
  if (clock.state !== "running") return clock;
  return { ...clock, state: "paused", elapsedMs: elapsedBusinessMs(clock, now, time), since: null };
}

function resumeClock(clock: SlaClock, now: Date): SlaClock {
  if (clock.state === "running") return clock;
  return { ...clock, state: "running", since: now, completedAt: null };
}

/** Whether a clock that used `elapsedMs` met its target (null: no target). */
function metTarget(clock: SlaClock, elapsedMs: number): boolean | null {
  if (clock.targetMs === null) return null;
  return elapsedMs <= clock.targetMs && clock.breachedAt === null;
}

function stopClock(
  clock: SlaClock,
  now: Date,
  time: BusinessTime,
): { clock: SlaClock; completion: SlaCompletion | null } {
  if (clock.state === "stopped") return { clock, completion: null };
  const elapsedMs = elapsedBusinessMs(clock, now, time);
  const late = clock.targetMs !== null && elapsedMs > clock.targetMs;
  const breachedAt = clock.breachedAt ?? (late ? (clock.dueAt ?? now) : null);
  const stopped: SlaClock = {
    ...clock,
    state: "stopped",
    elapsedMs,
    since: null,
    dueAt: null,
    warnAt: null,
    breachedAt,
    completedAt: now,
  };
  return {
    clock: stopped,
    completion: {
      metric: clock.metric,
      cycle: clock.cycle,
      policyId: clock.policyId,
      startedAt: clock.startedAt,
      completedAt: now,
      businessMs: elapsedMs,
      targetMs: clock.targetMs,
      met: metTarget(stopped, elapsedMs),
    },
  };
}

export type SlaTransition = {
  clocks: SlaClock[];
  completions: SlaCompletion[];
  /** Clocks removed (e.g. the first-response clock of a ticket an agent opened). */
  removed: SlaMetric[];
};

/**
 * Applies one ticket event to its clocks.
 * - created: first response and resolution start.
 * - customer_message: a new next-response cycle starts once the first response was given and none is running.
 * - agent_reply: first and next response stop (met or breached); on a ticket the customer never wrote to, the
 *   first-response clock is dropped instead, since nobody was waiting.
 * - status: pending and on_hold pause every running clock; leaving them resumes; solved and closed stop all clocks;
 *   a solved ticket that is reopened resumes its resolution clock where it stopped.
 * - targets: the policy or its targets changed; due times are recomputed from the time already used.
 */
export function applySlaEvent(
  clocks: SlaClock[],
  event: SlaEvent,
  targets: SlaTargets,
  now: Date,
  time: BusinessTime,
): SlaTransition {
  const byMetric = new Map(clocks.map((clock) => [clock.metric, clock]));
  const completions: SlaCompletion[] = [];
  const removed: SlaMetric[] = [];
  const stop = (metric: SlaMetric) => {
    const clock = byMetric.get(metric);
    if (!clock || clock.state === "stopped") return;
    const result = stopClock(clock, now, time);
    byMetric.set(metric, result.clock);
    if (result.completion) completions.push(result.completion);
  };

  switch (event.kind) {
    case "created": {
      byMetric.set("first_response", startClock("first_response", 1, targets, now));
      byMetric.set("resolution", startClock("resolution", 1, targets, now));
      break;
    }
    case "customer_message": {
      const first = byMetric.get("first_response");
      const next = byMetric.get("next_response");
      const firstAnswered = !first || first.state === "stopped";
      const nextWaiting = next && next.state !== "stopped";
      const resolution = byMetric.get("resolution");
      if (firstAnswered && !nextWaiting) {
        const started = startClock("next_response", (next?.cycle ?? 0) + 1, targets, now);
        // A message on a ticket that is still waiting (pending) starts the cycle paused; the status change resumes it.
        byMetric.set(
          "next_response",
          resolution && resolution.state === "paused" ? pauseClock(started, now, time) : started,
        );
      }
      break;
    }
    case "agent_reply": {
      const first = byMetric.get("first_response");
      if (first && first.state !== "stopped" && !event.hasCustomerMessage) {
        byMetric.delete("first_response");
        removed.push("first_response");
      } else {
        stop("first_response");
      }
      stop("next_response");
      break;
    }
    case "status": {
      const { from, to } = event;
      if (doneStatuses.has(to)) {
        for (const metric of [...byMetric.keys()]) stop(metric);
      } else if (waitingStatuses.has(to)) {
        if (doneStatuses.has(from) && from !== "closed") reopenResolution(byMetric, now, time);
        for (const [metric, clock] of byMetric) byMetric.set(metric, pauseClock(clock, now, time));
      } else if (waitingStatuses.has(from)) {
        for (const [metric, clock] of byMetric) {
          if (clock.state === "paused") byMetric.set(metric, resumeClock(clock, now));
        }
      } else if (doneStatuses.has(from) && from !== "closed") {
        reopenResolution(byMetric, now, time);
      }
      break;
    }
    case "targets":
      break;
  }

  const result: SlaClock[] = [];
  for (const clock of byMetric.values()) {
    const retargeted =
      clock.state === "stopped"
        ? clock
        : { ...clock, policyId: targets.policyId, targetMs: targets.targets[clock.metric] };
    result.push(retargeted.state === "stopped" ? retargeted : schedule(retargeted, time, targets.warnShare));
  }
  return { clocks: result, completions, removed };
}

/** A reopened ticket's resolution clock resumes with the time it had used; it is not reset. */
function reopenResolution(byMetric: Map<SlaMetric, SlaClock>, now: Date, _time: BusinessTime): void {
  const resolution = byMetric.get("resolution");
  if (resolution && resolution.state === "stopped") byMetric.set("resolution", resumeClock(resolution, now));
}

/** Whether a clock is past its target at `now` (running or paused), or was when it stopped. */
export function isBreached(clock: SlaClock, now: Date, time: BusinessTime): boolean {
  if (clock.breachedAt !== null) return true;
  if (clock.targetMs === null) return false;
  return elapsedBusinessMs(clock, now, time) > clock.targetMs;
}

/** The ticket-level summary the inbox sorts by: the earliest due time among running clocks with a target. */
export function earliestDue(clocks: SlaClock[]): { dueAt: Date; metric: SlaMetric } | null {
  let best: { dueAt: Date; metric: SlaMetric } | null = null;
  for (const clock of clocks) {
    if (clock.state !== "running" || clock.dueAt === null) continue;
    if (!best || clock.dueAt < best.dueAt) best = { dueAt: clock.dueAt, metric: clock.metric };
  }
  return best;
}

/** The earliest breach among clocks that are still active (a ticket keeps its flag until the clock stops). */
export function activeBreach(clocks: SlaClock[]): Date | null {
  let earliest: Date | null = null;
  for (const clock of clocks) {
    if (clock.state === "stopped" || clock.breachedAt === null) continue;
    if (!earliest || clock.breachedAt < earliest) earliest = clock.breachedAt;
  }
  return earliest;
}
