import { describe, expect, it } from "vitest";
import {
  activeBreach,
  applySlaEvent,
  type BusinessTime,
  earliestDue,
  isBreached,
  type SlaClock,
  type SlaCompletion,
  type SlaEvent,
  type SlaTargets,
} from "./sla-clock.ts";

// Round-the-clock business time keeps the arithmetic visible; calendars are tested in business-hours tests.
const wallTime: BusinessTime = {
  between: (from, to) => Math.max(0, to.getTime() - from.getTime()),
  add: (from, ms) => new Date(from.getTime() + ms),
};
const minute = 60_000;
const hour = 60 * minute;
const t0 = new Date("2026-03-02T09:00:00Z");
const at = (minutesAfter: number) => new Date(t0.getTime() + minutesAfter * minute);

const targets: SlaTargets = {
  policyId: 7,
  targets: { first_response: 60 * minute, next_response: 30 * minute, resolution: 8 * hour },
  warnShare: 0.75,
};

/** Runs events at the given minutes and returns the clocks and every completion. */
function run(steps: [number, SlaEvent][], withTargets: SlaTargets = targets) {
  let clocks: SlaClock[] = [];
  const completions: SlaCompletion[] = [];
  for (const [minutesAfter, event] of steps) {
    const result = applySlaEvent(clocks, event, withTargets, at(minutesAfter), wallTime);
    clocks = result.clocks;
    completions.push(...result.completions);
  }
  const get = (metric: SlaClock["metric"]) => clocks.find((clock) => clock.metric === metric);
  return { clocks, completions, get };
}

describe("SLA clocks", () => {
  it("starts first response and resolution on creation, due at their targets, warning at 75%", () => {
    const { get, clocks } = run([[0, { kind: "created" }]]);
    expect(get("first_response")?.dueAt).toEqual(at(60));
    expect(get("first_response")?.warnAt).toEqual(at(45));
    expect(get("resolution")?.dueAt).toEqual(at(480));
    expect(get("next_response")).toBeUndefined();
    expect(earliestDue(clocks)).toEqual({ dueAt: at(60), metric: "first_response" });
  });

  it("an agent reply within target meets the first response; late, it is breached at the due time", () => {
    const onTime = run([
      [0, { kind: "created" }],
      [40, { kind: "agent_reply", hasCustomerMessage: true }],
    ]);
    expect(onTime.completions).toEqual([
      expect.objectContaining({ metric: "first_response", businessMs: 40 * minute, met: true }),
    ]);
    const late = run([
      [0, { kind: "created" }],
      [75, { kind: "agent_reply", hasCustomerMessage: true }],
    ]);
    expect(late.completions[0]).toMatchObject({ metric: "first_response", met: false });
    expect(late.get("first_response")?.breachedAt).toEqual(at(60));
  });

  it("drops the first-response clock of a ticket an agent opened (nobody was waiting)", () => {
    const { get, completions } = run([
      [0, { kind: "created" }],
      [0, { kind: "agent_reply", hasCustomerMessage: false }],
    ]);
    expect(get("first_response")).toBeUndefined();
    expect(completions).toEqual([]);
    expect(get("resolution")?.state).toBe("running");
  });

  it("pauses every clock while pending and resumes on the customer's reply, keeping the time used", () => {
    const { get } = run([
      [0, { kind: "created" }],
      [20, { kind: "status", from: "new", to: "pending" }],
      // Three days waiting on the customer do not count.
      [20 + 3 * 24 * 60, { kind: "status", from: "pending", to: "open" }],
    ]);
    const first = get("first_response")!;
    expect(first.state).toBe("running");
    expect(first.elapsedMs).toBe(20 * minute);
    expect(first.dueAt).toEqual(at(20 + 3 * 24 * 60 + 40));
    expect(get("resolution")?.dueAt).toEqual(at(20 + 3 * 24 * 60 + 460));
  });

  it("a paused clock has no due time and is not sorted as due", () => {
    const { clocks } = run([
      [0, { kind: "created" }],
      [10, { kind: "status", from: "new", to: "on_hold" }],
    ]);
    expect(clocks.every((clock) => clock.state === "paused" && clock.dueAt === null)).toBe(true);
    expect(earliestDue(clocks)).toBeNull();
  });

  it("starts a next-response cycle on each customer message after an agent reply; each agent reply resets it", () => {
    const { get, completions } = run([
      [0, { kind: "created" }],
      [10, { kind: "agent_reply", hasCustomerMessage: true }],
      [100, { kind: "customer_message" }],
      [110, { kind: "customer_message" }], // still the same cycle: nobody answered yet
      [120, { kind: "agent_reply", hasCustomerMessage: true }],
      [200, { kind: "customer_message" }],
    ]);
    const next = completions.filter((completion) => completion.metric === "next_response");
    expect(next).toEqual([expect.objectContaining({ cycle: 1, businessMs: 20 * minute, met: true })]);
    expect(get("next_response")).toMatchObject({ cycle: 2, state: "running", dueAt: at(230) });
  });

  it("solving stops every clock; reopening resumes the resolution clock where it stopped", () => {
    const solved = run([
      [0, { kind: "created" }],
      [30, { kind: "agent_reply", hasCustomerMessage: true }],
      [90, { kind: "status", from: "open", to: "solved" }],
    ]);
    expect(solved.clocks.every((clock) => clock.state === "stopped")).toBe(true);
    expect(solved.completions.find((c) => c.metric === "resolution")).toMatchObject({
      businessMs: 90 * minute,
      met: true,
    });

    const reopened = run([
      [0, { kind: "created" }],
      [30, { kind: "agent_reply", hasCustomerMessage: true }],
      [90, { kind: "status", from: "open", to: "solved" }],
      [2000, { kind: "status", from: "solved", to: "open" }],
      [2000, { kind: "customer_message" }],
    ]);
    const resolution = reopened.get("resolution")!;
    expect(resolution).toMatchObject({ state: "running", elapsedMs: 90 * minute, cycle: 1 });
    expect(resolution.dueAt).toEqual(at(2000 + 480 - 90));
    expect(reopened.get("next_response")).toMatchObject({ state: "running", dueAt: at(2030) });
  });

  it("a closed ticket stays stopped", () => {
    const { clocks } = run([
      [0, { kind: "created" }],
      [10, { kind: "status", from: "new", to: "closed" }],
      [20, { kind: "status", from: "closed", to: "open" }],
    ]);
    expect(clocks.every((clock) => clock.state === "stopped")).toBe(true);
  });

  it("a new policy recomputes due times from the time already used", () => {
    const stricter: SlaTargets = {
      policyId: 8,
      targets: { first_response: 15 * minute, next_response: 10 * minute, resolution: 2 * hour },
      warnShare: 0.5,
    };
    let clocks = run([[0, { kind: "created" }]]).clocks;
    clocks = applySlaEvent(clocks, { kind: "targets" }, stricter, at(10), wallTime).clocks;
    const first = clocks.find((clock) => clock.metric === "first_response")!;
    expect(first).toMatchObject({ policyId: 8, targetMs: 15 * minute, dueAt: at(15), warnAt: at(7.5) });
    // Already past the new target: due at once (the sweep records the breach).
    clocks = applySlaEvent(clocks, { kind: "targets" }, stricter, at(20), wallTime).clocks;
    expect(isBreached(clocks.find((clock) => clock.metric === "first_response")!, at(20), wallTime)).toBe(
      true,
    );
  });

  it("measures time without targets when no policy applies", () => {
    const none: SlaTargets = {
      policyId: null,
      targets: { first_response: null, next_response: null, resolution: null },
      warnShare: 0.75,
    };
    const { clocks, completions } = run(
      [
        [0, { kind: "created" }],
        [500, { kind: "agent_reply", hasCustomerMessage: true }],
      ],
      none,
    );
    expect(earliestDue(clocks)).toBeNull();
    expect(completions[0]).toMatchObject({ businessMs: 500 * minute, met: null, targetMs: null });
  });

  it("keeps a ticket flagged while a breached clock is active and clears it when the clock stops", () => {
    let clocks = run([[0, { kind: "created" }]]).clocks;
    clocks = clocks.map((clock) =>
      clock.metric === "first_response" ? { ...clock, breachedAt: clock.dueAt } : clock,
    );
    expect(activeBreach(clocks)).toEqual(at(60));
    clocks = applySlaEvent(
      clocks,
      { kind: "agent_reply", hasCustomerMessage: true },
      targets,
      at(70),
      wallTime,
    ).clocks;
    expect(activeBreach(clocks)).toBeNull();
  });
});

describe("SLA history replay", () => {
  it("replays a reopened ticket and records past breaches at their own time", async () => {
    const { replaySlaHistory } = await import("./sla-history.ts");
    const { clocks, completions } = replaySlaHistory(
      [
        // Same-instant order: the status change is applied before the message.
        { at: at(0), kind: "created" },
        { at: at(0), kind: "message", direction: "inbound", isInternal: false },
        { at: at(90), kind: "message", direction: "outbound", isInternal: false },
        { at: at(100), kind: "status", from: "open", to: "solved" },
        { at: at(600), kind: "message", direction: "inbound", isInternal: false },
        { at: at(600), kind: "status", from: "solved", to: "open" },
      ],
      targets,
      wallTime,
      at(2000),
    );
    const first = completions.find((c) => c.metric === "first_response");
    expect(first).toMatchObject({ businessMs: 90 * minute, met: false });
    const next = clocks.find((clock) => clock.metric === "next_response")!;
    // Started at 600 with 30 minutes: due at 630, long past at 2000, so recorded as breached then.
    expect(next).toMatchObject({
      state: "running",
      dueAt: at(630),
      breachedAt: at(630),
      warnedAt: at(622.5),
    });
    const resolution = clocks.find((clock) => clock.metric === "resolution")!;
    expect(resolution).toMatchObject({ state: "running", elapsedMs: 100 * minute, breachedAt: at(980) });
  });
});
