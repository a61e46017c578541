import fc from "fast-check";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { isWithinBusinessHours, parseBusinessCalendar } from "../sla/business-hours.ts";
import {
  businessSlotFrom,
  type ContactBudget,
  cadenceDays,
  decideContact,
  nextRelationshipNpsAt,
  remainingContactBudget,
} from "./survey-rules.ts";

const dayMs = 86_400_000;
const start = Date.UTC(2026, 0, 5, 9);

const officeHours = parseBusinessCalendar({
  timezone: "Europe/Berlin",
  weekly: [1, 2, 3, 4, 5].map((day) => ({ day, start: "09:00", end: "17:00" })),
  holidays: [{ date: "2026-04-06" }, { date: "2026-12-25" }],
});
const splitShifts = parseBusinessCalendar({
  timezone: "America/New_York",
  weekly: [
    ...[1, 2, 3, 4, 5].map((day) => ({ day, start: "08:00", end: "12:00" })),
    ...[1, 2, 3, 4, 5].map((day) => ({ day, start: "13:00", end: "18:30" })),
    { day: 6, start: "10:00", end: "14:00" },
  ],
  holidays: [],
});
const calendars = fc.constantFrom(officeHours, splitShifts);
const budgets = fc.record({
  maxMessages: fc.integer({ min: 0, max: 5 }),
  periodDays: fc.integer({ min: 1, max: 60 }),
});
/** Attempts at increasing times: gaps from a minute to three weeks. */
const attemptTimes = fc
  .array(fc.integer({ min: 60_000, max: 21 * dayMs }), { minLength: 1, maxLength: 60 })
  .map((gaps) => {
    let at = start;
    return gaps.map((gap) => {
      at += gap;
      return new Date(at);
    });
  });

/** Runs attempts through the budget as the service does: each accepted mail counts against later ones. */
function simulate(attempts: Date[], budget: ContactBudget): { accepted: Date[]; refused: Date[] } {
  const accepted: Date[] = [];
  const refused: Date[] = [];
  for (const at of attempts) {
    const decision = decideContact({
      optedOut: false,
      channel: "email",
      hasAddress: true,
      previousMails: accepted,
      now: at,
      budget,
    });
    (decision.send ? accepted : refused).push(at);
  }
  return { accepted, refused };
}

const countIn = (times: Date[], from: number, to: number) =>
  times.filter((t) => t.getTime() > from && t.getTime() <= to).length;

describe("contact budget", () => {
  it("never lets more than the budget's mails into any window of its length", () => {
    fc.assert(
      fc.property(attemptTimes, budgets, (attempts, budget) => {
        const { accepted } = simulate(attempts, budget);
        for (const at of accepted) {
          expect(
            countIn(accepted, at.getTime() - budget.periodDays * dayMs, at.getTime()),
          ).toBeLessThanOrEqual(budget.maxMessages);
        }
      }),
    );
  });

  it("refuses a mail only when the window before it is full", () => {
    fc.assert(
      fc.property(attemptTimes, budgets, (attempts, budget) => {
        const { accepted, refused } = simulate(attempts, budget);
        for (const at of refused) {
          const inWindow = countIn(accepted, at.getTime() - budget.periodDays * dayMs, at.getTime());
          expect(inWindow).toBe(budget.maxMessages);
        }
        expect(
          remainingContactBudget(accepted, attempts[attempts.length - 1], budget),
        ).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it("sends nothing to someone who opted out, on any channel, and mails nobody without an address", () => {
    fc.assert(
      fc.property(fc.constantFrom("email", "chat", "api" as const), budgets, (channel, budget) => {
        const base = { hasAddress: true, previousMails: [], now: new Date(start), budget };
        expect(decideContact({ ...base, channel, optedOut: true })).toEqual({
          send: false,
          reason: "opted_out",
        });
        if (channel !== "email")
          expect(decideContact({ ...base, channel, optedOut: false })).toEqual({ send: true });
      }),
    );
    expect(
      decideContact({
        optedOut: false,
        channel: "email",
        hasAddress: false,
        previousMails: [],
        now: new Date(start),
        budget: { maxMessages: 3, periodDays: 30 },
      }),
    ).toEqual({ send: false, reason: "no_address" });
  });
});

describe("relationship NPS cadence", () => {
  const input = fc.record({
    customerId: fc.integer({ min: 1, max: 10_000_000 }),
    anchorOffset: fc.integer({ min: 0, max: 400 * dayMs }),
    lastNpsDaysAgo: fc.option(fc.integer({ min: 0, max: 800 }), { nil: null }),
    lastSurveyDaysAgo: fc.option(fc.integer({ min: 0, max: 200 }), { nil: null }),
    cadenceMonths: fc.constantFrom(3 as const, 6 as const, 12 as const),
    minDaysBetweenSurveys: fc.integer({ min: 0, max: 90 }),
    calendar: calendars,
  });

  it("falls in working hours, after the cadence, the gap since any survey and the anchor", () => {
    fc.assert(
      fc.property(input, (i) => {
        const anchor = new Date(start + i.anchorOffset);
        const now = anchor.getTime() + 30 * dayMs;
        const lastNpsAt = i.lastNpsDaysAgo === null ? null : new Date(now - i.lastNpsDaysAgo * dayMs);
        const lastSurveyAt =
          i.lastSurveyDaysAgo === null ? null : new Date(now - i.lastSurveyDaysAgo * dayMs);
        const due = nextRelationshipNpsAt({ ...i, anchor, lastNpsAt, lastSurveyAt });
        expect(isWithinBusinessHours(i.calendar, due)).toBe(true);
        expect(due.getTime()).toBeGreaterThanOrEqual(anchor.getTime());
        if (lastSurveyAt) {
          expect(due.getTime()).toBeGreaterThanOrEqual(
            lastSurveyAt.getTime() + i.minDaysBetweenSurveys * dayMs,
          );
        }
        if (lastNpsAt) {
          const next = DateTime.fromJSDate(lastNpsAt, { zone: i.calendar.timezone }).plus({
            months: i.cadenceMonths,
          });
          expect(due.getTime()).toBeGreaterThanOrEqual(next.toMillis());
          // Not much later either: the next working slot, a few days at most.
          const latest = Math.max(
            next.toMillis(),
            lastSurveyAt ? lastSurveyAt.getTime() + i.minDaysBetweenSurveys * dayMs : 0,
            anchor.getTime(),
          );
          expect(due.getTime()).toBeLessThan(latest + 6 * dayMs);
        }
        // The same facts always give the same time (every sweep agrees).
        expect(nextRelationshipNpsAt({ ...i, anchor, lastNpsAt, lastSurveyAt }).getTime()).toBe(
          due.getTime(),
        );
      }),
    );
  });

  it.each([
    [3 as const, officeHours],
    [6 as const, officeHours],
    [12 as const, officeHours],
    [3 as const, splitShifts],
    [12 as const, splitShifts],
  ])(
    "spreads first surveys over one cycle instead of mailing everyone at once (%i months)",
    (cadenceMonths, calendar) => {
      const anchor = new Date(start);
      const days = new Map<string, number>();
      const customers = 2000;
      for (let customerId = 1; customerId <= customers; customerId++) {
        const due = nextRelationshipNpsAt({
          customerId,
          anchor,
          lastNpsAt: null,
          lastSurveyAt: null,
          cadenceMonths,
          minDaysBetweenSurveys: 30,
          calendar,
        });
        expect(due.getTime()).toBeLessThan(anchor.getTime() + (cadenceDays(cadenceMonths) + 6) * dayMs);
        const day = DateTime.fromJSDate(due, { zone: calendar.timezone }).toISODate() ?? "";
        days.set(day, (days.get(day) ?? 0) + 1);
      }
      // Working days of one cycle each get a small share; none takes a big wave. A Monday takes the weekend's share
      // too, and the day after a holiday Monday four days' worth.
      const busiest = Math.max(...days.values());
      expect(busiest).toBeLessThanOrEqual((customers / cadenceDays(cadenceMonths)) * 4 + 6);
      expect(days.size).toBeGreaterThan(cadenceDays(cadenceMonths) * 0.5);
    },
  );

  it("spreads one day's sends over its working hours", () => {
    const times = new Set<number>();
    for (let customerId = 1; customerId <= 500; customerId++) {
      const slot = businessSlotFrom(
        officeHours,
        new Date(Date.UTC(2026, 0, 6, 0)),
        ((customerId * 7919) % 1000) / 1000,
      );
      expect(isWithinBusinessHours(officeHours, slot)).toBe(true);
      const local = DateTime.fromJSDate(slot, { zone: "Europe/Berlin" });
      expect(local.toISODate()).toBe("2026-01-06");
      times.add(local.hour);
    }
    expect([...times].sort((a, b) => a - b)).toEqual([9, 10, 11, 12, 13, 14, 15, 16]);
  });

  it("skips holidays and weekends", () => {
    // Easter Monday 2026-04-06 is a holiday; the slot moves to Tuesday.
    const slot = businessSlotFrom(officeHours, new Date("2026-04-04T08:00:00Z"), 0.5);
    expect(DateTime.fromJSDate(slot, { zone: "Europe/Berlin" }).toISODate()).toBe("2026-04-07");
  });
});
