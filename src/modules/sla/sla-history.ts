import {
  applySlaEvent,
  type BusinessTime,
  type SlaClock,
  type SlaCompletion,
  type SlaEvent,
  type SlaTargets,
  type TicketStatusName,
} from "./sla-clock.ts";

/** One thing that happened to a ticket, as the SLA clocks see it. */
export type SlaHistoryStep =
  | { at: Date; kind: "created" }
  | { at: Date; kind: "message"; direction: "inbound" | "outbound"; isInternal: boolean }
  | { at: Date; kind: "status"; from: TicketStatusName; to: TicketStatusName };

// At the same instant a status change goes first, as in tickets.service: the reopening, then the message.
const stepOrder = { created: 0, status: 1, message: 2 } as const;

/**
 * Replays a ticket's history through the clocks, as if each change had happened live, and leaves the clocks as a
 * sweep at `now` would have: warnings and breaches already past are recorded (at their own times), so importing
 * history never triggers a burst of escalations.
 */
export function replaySlaHistory(
  steps: SlaHistoryStep[],
  targets: SlaTargets,
  time: BusinessTime,
  now: Date,
): { clocks: SlaClock[]; completions: SlaCompletion[] } {
  const ordered = [...steps].sort(
    (a, b) => a.at.getTime() - b.at.getTime() || stepOrder[a.kind] - stepOrder[b.kind],
  );
  let clocks: SlaClock[] = [];
  const completions: SlaCompletion[] = [];
  let customerWrote = false;
  for (const step of ordered) {
    const events: SlaEvent[] = [];
    if (step.kind === "created") events.push({ kind: "created" });
    else if (step.kind === "status") events.push({ kind: "status", from: step.from, to: step.to });
    else if (!step.isInternal) {
      if (step.direction === "inbound") {
        customerWrote = true;
        events.push({ kind: "customer_message" });
      } else {
        events.push({ kind: "agent_reply", hasCustomerMessage: customerWrote });
      }
    }
    for (const event of events) {
      // Past breaches are marked at their due time before the next change, as the sweep would have.
      clocks = markPastAlerts(clocks, step.at);
      const result = applySlaEvent(clocks, event, targets, step.at, time);
      clocks = result.clocks;
      completions.push(...result.completions);
    }
  }
  // A reopened ticket completes its resolution again; as live, the latest completion of a cycle stands.
  const latest = new Map(
    completions.map((completion) => [`${completion.metric}:${completion.cycle}`, completion]),
  );
  return { clocks: markPastAlerts(clocks, now), completions: [...latest.values()] };
}

function markPastAlerts(clocks: SlaClock[], at: Date): SlaClock[] {
  return clocks.map((clock) => {
    if (clock.state !== "running") return clock;
    let next = clock;
    if (next.warnedAt === null && next.warnAt !== null && next.warnAt <= at) {
      next = { ...next, warnedAt: next.warnAt, warnAt: null };
    }
    if (next.breachedAt === null && next.dueAt !== null && next.dueAt <= at) {
      next = { ...next, breachedAt: next.dueAt };
    }
    return next;
  });
}
