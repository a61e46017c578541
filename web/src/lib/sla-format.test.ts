import { describe, expect, it } from "vitest";
import type { SlaTargetState, TicketSla } from "../api/api-types.ts";
import {
  describeInboxSla,
  describeSlaTarget,
  formatAgo,
  formatBusinessMinutes,
  pickInboxSlaTarget,
} from "./sla-format.ts";

const now = new Date("2026-03-09T15:30:00Z");

function target(overrides: Partial<SlaTargetState> = {}): SlaTargetState {
  return {
    metric: "first_response",
    targetMinutes: 480,
    dueAt: "2026-03-09T17:00:00Z",
    paused: false,
    breached: false,
    breachedAt: null,
    completedAt: null,
    elapsedMinutes: 390,
    remainingMinutes: 90,
    warning: false,
    cycle: 1,
    ...overrides,
  };
}

function sla(targets: SlaTargetState[], overrides: Partial<TicketSla> = {}): TicketSla {
  return {
    policyId: 1,
    dueAt: null,
    dueMetric: null,
    breached: false,
    warning: false,
    targets,
    ...overrides,
  };
}

describe("formatBusinessMinutes", () => {
  it("uses minutes under an hour, then hours and minutes (business days have no fixed length)", () => {
    expect(formatBusinessMinutes(0)).toBe("0m");
    expect(formatBusinessMinutes(45)).toBe("45m");
    expect(formatBusinessMinutes(60)).toBe("1h");
    expect(formatBusinessMinutes(90)).toBe("1h 30m");
    expect(formatBusinessMinutes(2400)).toBe("40h");
    expect(formatBusinessMinutes(-125)).toBe("2h 5m");
  });
});

describe("formatAgo", () => {
  it("counts down to the minute, then hours, then days", () => {
    expect(formatAgo("2026-03-09T15:29:40Z", now)).toBe("just now");
    expect(formatAgo("2026-03-09T15:25:00Z", now)).toBe("5m ago");
    expect(formatAgo("2026-03-09T13:20:00Z", now)).toBe("2h ago");
    expect(formatAgo("2026-03-06T15:30:00Z", now)).toBe("3d ago");
  });
});

describe("describeSlaTarget", () => {
  it("tells ok, warning, paused, met, missed and breached apart", () => {
    expect(describeSlaTarget(target({ remainingMinutes: 200 }), now)).toMatchObject({
      tone: "ok",
      text: "3h 20m left",
    });
    expect(describeSlaTarget(target({ warning: true }), now)).toEqual({
      tone: "warning",
      text: "1h 30m left",
      label: "First response: breaching soon, 1h 30m of business time left",
    });
    expect(describeSlaTarget(target({ paused: true, dueAt: null }), now)).toMatchObject({
      tone: "paused",
      text: "Paused, 1h 30m left",
    });
    expect(describeSlaTarget(target({ completedAt: "2026-03-09T10:00:00Z" }), now)).toMatchObject({
      tone: "met",
      text: "Met",
    });
    expect(
      describeSlaTarget(target({ completedAt: "2026-03-09T18:00:00Z", breached: true }), now),
    ).toMatchObject({ tone: "breached", text: "Missed" });
    expect(
      describeSlaTarget(
        target({ breached: true, breachedAt: "2026-03-09T13:30:00Z", remainingMinutes: -120 }),
        now,
      ),
    ).toEqual({
      tone: "breached",
      text: "Breached 2h ago",
      label: "First response: breached 2h ago",
    });
  });

  it("falls back to business time over the target when no breach time is known (paused and late)", () => {
    expect(
      describeSlaTarget(target({ breached: true, paused: true, dueAt: null, remainingMinutes: -30 }), now),
    ).toMatchObject({ tone: "breached", text: "Breached, 30m over" });
  });

  it("says nothing for a clock without a target", () => {
    expect(describeSlaTarget(target({ targetMinutes: null, remainingMinutes: null }), now)).toBeNull();
  });
});

describe("the inbox chip", () => {
  it("shows a breached clock before the one due next, and the due one before a paused one", () => {
    const first = target({ metric: "first_response", breached: true, remainingMinutes: -10 });
    const resolution = target({
      metric: "resolution",
      remainingMinutes: 1000,
      dueAt: "2026-03-11T10:00:00Z",
    });
    expect(pickInboxSlaTarget(sla([resolution, first], { dueMetric: "resolution" }))).toBe(first);

    const paused = target({ metric: "next_response", paused: true, dueAt: null });
    expect(pickInboxSlaTarget(sla([paused, resolution], { dueMetric: "resolution" }))).toBe(resolution);
    expect(pickInboxSlaTarget(sla([paused]))).toBe(paused);
  });

  it("skips met clocks and shows nothing when every target is met", () => {
    const met = target({ completedAt: "2026-03-09T10:00:00Z" });
    expect(pickInboxSlaTarget(sla([met]))).toBeNull();
    expect(describeInboxSla(sla([]), now)).toBeNull();
  });

  it("names the clock briefly and fully for screen readers", () => {
    expect(
      describeInboxSla(sla([target({ warning: true })], { dueMetric: "first_response", warning: true }), now),
    ).toEqual({
      metric: "first_response",
      tone: "warning",
      text: "1st reply · 1h 30m left",
      label: "SLA first response: breaching soon, 1h 30m of business time left",
    });
  });
});
