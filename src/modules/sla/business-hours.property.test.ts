import fc from "fast-check";
import { DateTime, IANAZone } from "luxon";
import { describe, expect, it } from "vitest";
import {
  addBusinessMs,
  type BusinessCalendar,
  businessIntervals,
  businessMsBetween,
  isWithinBusinessHours,
  nextBusinessMoment,
  parseBusinessCalendar,
  type WeeklyInterval,
} from "./business-hours.ts";

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;
const zones = [
  "UTC",
  "America/New_York",
  "Europe/London",
  "Europe/Berlin",
  "Australia/Lord_Howe",
  "Asia/Kolkata",
  "Pacific/Chatham",
] as const;
const rangeStart = Date.UTC(2024, 0, 1);
const rangeEnd = Date.UTC(2026, 6, 1);

/** Days with an offset change in each zone over the tested range, found with luxon. */
const changeDays = new Map(
  zones.map((zone) => {
    const ianaZone = IANAZone.create(zone);
    const days: number[] = [];
    for (let t = rangeStart; t < rangeEnd; t += day) {
      if (ianaZone.offset(t) !== ianaZone.offset(t + day)) days.push(t);
    }
    return [zone, days];
  }),
);

const clock = (minuteOfDay: number) =>
  `${String(Math.floor(minuteOfDay / 60)).padStart(2, "0")}:${String(minuteOfDay % 60).padStart(2, "0")}`;

// Wall times at or next to the DST changes of the tested zones (01:00 London, 02:00 New York and Berlin, 02:00 and
// 02:30 Lord Howe, 02:45 and 03:45 Chatham) and midnight, besides any minute of the day.
const wallMinute = fc.oneof(
  fc.constantFrom(0, 30, 60, 90, 120, 135, 150, 165, 180, 225, 240, 1320, 1410),
  fc.integer({ min: 0, max: 1439 }),
);
const weeklyInterval = (minutes: fc.Arbitrary<number>): fc.Arbitrary<WeeklyInterval> =>
  fc.record({
    day: fc.constantFrom(1, 2, 3, 4, 5, 6, 7),
    start: minutes.map(clock),
    // An end at or before the start runs overnight.
    end: fc.oneof(minutes.map(clock), fc.constant("24:00")),
  });
const allDayWeek: WeeklyInterval[] = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({
  day: weekday as WeeklyInterval["day"],
  start: "00:00",
  end: "24:00",
}));
const holidayDates = fc
  .uniqueArray(fc.integer({ min: 0, max: Math.floor((rangeEnd - rangeStart) / day) }), { maxLength: 25 })
  .map((days) => days.map((offset) => new Date(rangeStart + offset * day).toISOString().slice(0, 10)));

function calendarArbitrary(minutes: fc.Arbitrary<number>, withAllDay = true) {
  const weekly = fc.array(weeklyInterval(minutes), { minLength: 1, maxLength: 7 });
  return fc.record({
    zone: fc.constantFrom(...zones),
    weekly: withAllDay
      ? fc.oneof({ weight: 5, arbitrary: weekly }, { weight: 1, arbitrary: fc.constant(allDayWeek) })
      : weekly,
    holidays: holidayDates,
  });
}

type CalendarCase = { zone: string; weekly: WeeklyInterval[]; holidays: string[] };
const build = ({ zone, weekly, holidays }: CalendarCase): BusinessCalendar =>
  parseBusinessCalendar({ timezone: zone, weekly, holidays: holidays.map((date) => ({ date })) });

/** A calendar and an instant in the tested range, often within three days of one of the zone's DST changes. */
const calendarAndInstant = (minutes: fc.Arbitrary<number> = wallMinute, withAllDay = true) =>
  calendarArbitrary(minutes, withAllDay).chain((calendarCase) => {
    const changes = changeDays.get(calendarCase.zone as (typeof zones)[number]) ?? [];
    const anywhere = fc.integer({ min: rangeStart, max: rangeEnd - 130 * day });
    const nearChange =
      changes.length === 0
        ? anywhere
        : fc
            .tuple(fc.constantFrom(...changes), fc.integer({ min: -3 * day, max: 3 * day }))
            .map(([change, shift]) => change + shift);
    return fc.record({ calendarCase: fc.constant(calendarCase), t: fc.oneof(anywhere, nearChange) });
  });

// Business amounts: zero, exact minutes and arbitrary milliseconds, up to several months of business time.
const businessAmount = fc.oneof(
  fc.constant(0),
  fc.integer({ min: 1, max: 400 * 60 }).map((minutes) => minutes * minute),
  fc.integer({ min: 1, max: 600 * hour }),
);
const span = fc.integer({ min: 0, max: 120 * day });
const runs = { numRuns: 100 };

describe("business-hours properties over random calendars, zones and DST changes", () => {
  it("addBusinessMs is the earliest instant with exactly that business time since `from`", () => {
    fc.assert(
      fc.property(calendarAndInstant(), businessAmount, ({ calendarCase, t }, amount) => {
        const calendar = build(calendarCase);
        const from = new Date(t);
        const due = addBusinessMs(calendar, from, amount);
        expect(due.getTime()).toBeGreaterThanOrEqual(t);
        expect(businessMsBetween(calendar, from, due)).toBe(amount);
        if (amount === 0) {
          expect(due.getTime()).toBe(t);
        } else {
          // The last millisecond before it is business time, so nothing earlier reaches the amount.
          expect(isWithinBusinessHours(calendar, new Date(due.getTime() - 1))).toBe(true);
          expect(businessMsBetween(calendar, from, new Date(due.getTime() - 1))).toBe(amount - 1);
        }
      }),
      runs,
    );
  });

  it("addBusinessMs is additive for all a, b >= 0, including a = 0 and b = 0", () => {
    // Rule: addBusinessMs(t, 0) is t itself (not the next opening), so a = 0 gives addBusinessMs(t, b) on both sides;
    // for a > 0 the intermediate instant may be an interval's end, and counting on from there reaches the same
    // instant as counting a + b from t. (What does not hold: addBusinessMs(t, businessMsBetween(t, u)) is u only if
    // u is t or the last millisecond before u was business time; otherwise it is the end of the last interval.)
    fc.assert(
      fc.property(calendarAndInstant(), businessAmount, businessAmount, ({ calendarCase, t }, a, b) => {
        const calendar = build(calendarCase);
        const from = new Date(t);
        const stepwise = addBusinessMs(calendar, addBusinessMs(calendar, from, a), b);
        expect(stepwise.getTime()).toBe(addBusinessMs(calendar, from, a + b).getTime());
      }),
      runs,
    );
  });

  it("addBusinessMs(t, businessMsBetween(t, u)) is u, or the end of the last business time before u", () => {
    // Amounts taken from the calendar itself land exactly on interval ends, which random amounts rarely do.
    fc.assert(
      fc.property(calendarAndInstant(), span, ({ calendarCase, t }, length) => {
        const calendar = build(calendarCase);
        const [from, to] = [new Date(t), new Date(t + length)];
        const elapsed = businessMsBetween(calendar, from, to);
        const reached = addBusinessMs(calendar, from, elapsed);
        expect(reached.getTime()).toBeLessThanOrEqual(to.getTime());
        expect(businessMsBetween(calendar, reached, to)).toBe(0);
        const endsInBusinessTime = length > 0 && isWithinBusinessHours(calendar, new Date(to.getTime() - 1));
        expect(reached.getTime() === to.getTime()).toBe(length === 0 || (elapsed > 0 && endsInBusinessTime));
        if (elapsed > 0) expect(isWithinBusinessHours(calendar, new Date(reached.getTime() - 1))).toBe(true);
        // Counting on from there is the same as counting from t (additivity at an interval's end).
        const more = (length % 7) * hour + 1;
        expect(addBusinessMs(calendar, reached, more).getTime()).toBe(
          addBusinessMs(calendar, from, elapsed + more).getTime(),
        );
      }),
      runs,
    );
  });

  it("businessMsBetween adds up over a split, grows with the range, and never exceeds wall time", () => {
    fc.assert(
      fc.property(calendarAndInstant(), span, span, ({ calendarCase, t }, first, second) => {
        const calendar = build(calendarCase);
        const [a, b, c] = [new Date(t), new Date(t + first), new Date(t + first + second)];
        const ab = businessMsBetween(calendar, a, b);
        const bc = businessMsBetween(calendar, b, c);
        const ac = businessMsBetween(calendar, a, c);
        expect(ac).toBe(ab + bc);
        expect(ab).toBeGreaterThanOrEqual(0);
        expect(ab).toBeLessThanOrEqual(first);
        expect(bc).toBeLessThanOrEqual(second);
        expect(ac).toBeGreaterThanOrEqual(ab);
        expect(businessMsBetween(calendar, c, a)).toBe(0);
      }),
      runs,
    );
  });

  it("addBusinessMs grows with the amount; addBusinessMs(t, 1) is one millisecond after nextBusinessMoment(t)", () => {
    fc.assert(
      fc.property(calendarAndInstant(), businessAmount, businessAmount, ({ calendarCase, t }, x, y) => {
        const calendar = build(calendarCase);
        const from = new Date(t);
        const [small, large] = x <= y ? [x, y] : [y, x];
        expect(addBusinessMs(calendar, from, small).getTime()).toBeLessThanOrEqual(
          addBusinessMs(calendar, from, large).getTime(),
        );
        const next = nextBusinessMoment(calendar, from);
        expect(addBusinessMs(calendar, from, 1).getTime()).toBe(next.getTime() + 1);
        expect(isWithinBusinessHours(calendar, from)).toBe(next.getTime() === t);
        expect(isWithinBusinessHours(calendar, next)).toBe(true);
        expect(businessMsBetween(calendar, from, next)).toBe(0);
      }),
      runs,
    );
  });

  it("businessIntervals are ordered and separate, sum to businessMsBetween, and agree with isWithinBusinessHours", () => {
    fc.assert(
      fc.property(
        calendarAndInstant(),
        fc.integer({ min: 1, max: 40 * day }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), {
          minLength: 1,
          maxLength: 8,
        }),
        ({ calendarCase, t }, length, fractions) => {
          const calendar = build(calendarCase);
          const from = new Date(t);
          const to = new Date(t + length);
          const intervals = [...businessIntervals(calendar, from, to)].map(([s, e]) => [
            s.getTime(),
            e.getTime(),
          ]);
          let total = 0;
          let previousEnd = -Infinity;
          for (const [start, end] of intervals) {
            expect(start).toBeGreaterThanOrEqual(t);
            expect(end).toBeLessThanOrEqual(t + length);
            expect(end).toBeGreaterThan(start);
            // Merged: a gap separates consecutive intervals.
            expect(start).toBeGreaterThan(previousEnd);
            total += end - start;
            previousEnd = end;
            const inside = start + Math.floor(fractions[0] * (end - start));
            expect(isWithinBusinessHours(calendar, new Date(inside))).toBe(true);
            expect(isWithinBusinessHours(calendar, new Date(end - 1))).toBe(true);
            if (start > t) expect(isWithinBusinessHours(calendar, new Date(start - 1))).toBe(false);
            if (end < t + length) expect(isWithinBusinessHours(calendar, new Date(end))).toBe(false);
          }
          expect(total).toBe(businessMsBetween(calendar, from, to));
          // Random instants of the range: within hours exactly when inside a listed interval.
          for (const fraction of fractions) {
            const sample = t + Math.floor(fraction * length);
            const listed = intervals.some(([start, end]) => start <= sample && sample < end);
            expect(isWithinBusinessHours(calendar, new Date(sample))).toBe(listed);
          }
        },
      ),
      runs,
    );
  });

  it("a holiday's local date never holds business time", () => {
    fc.assert(
      fc.property(
        calendarArbitrary(wallMinute).filter((c) => c.holidays.length > 0),
        fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
        (calendarCase, fraction) => {
          const calendar = build(calendarCase);
          for (const date of calendarCase.holidays) {
            const start = DateTime.fromISO(date, { zone: calendarCase.zone });
            const end = start.plus({ days: 1 });
            expect(businessMsBetween(calendar, start.toJSDate(), end.toJSDate())).toBe(0);
            const sample = start.toMillis() + Math.floor(fraction * (end.toMillis() - start.toMillis()));
            expect(isWithinBusinessHours(calendar, new Date(sample))).toBe(false);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it("matches a naive quarter-hour scan when no interval starts or ends inside a DST change", () => {
    // With quarter-hour endpoints outside 01:00–04:00 local (where every tested zone changes its clocks), the
    // business set is a union of whole quarter hours in UTC (all offsets here are multiples of 15 minutes), so
    // checking the start of each quarter hour against the weekly hours and holidays, as the wall clock shows them,
    // counts it exactly.
    const quarterHour = fc
      .integer({ min: 0, max: 95 })
      .map((quarter) => quarter * 15)
      .filter((m) => m < 60 || m >= 240);
    fc.assert(
      fc.property(
        calendarAndInstant(quarterHour, false),
        fc.integer({ min: 1, max: 2 * 96 }),
        ({ calendarCase, t }, quarters) => {
          const calendar = build(calendarCase);
          const holidays = new Set(calendarCase.holidays);
          const intervals = calendarCase.weekly.map(({ day: weekday, start, end }) => {
            const startMinute = Number(start.slice(0, 2)) * 60 + Number(start.slice(3));
            const endMinute = Number(end.slice(0, 2)) * 60 + Number(end.slice(3));
            return { weekday, startMinute, endMinute, overnight: endMinute <= startMinute };
          });
          const naivelyWithin = (ms: number) => {
            const local = DateTime.fromMillis(ms, { zone: calendarCase.zone });
            if (holidays.has(local.toISODate() ?? "")) return false;
            const minuteOfDay = local.hour * 60 + local.minute;
            const yesterday = local.weekday === 1 ? 7 : local.weekday - 1;
            return intervals.some(
              (interval) =>
                (interval.weekday === local.weekday &&
                  minuteOfDay >= interval.startMinute &&
                  (interval.overnight || minuteOfDay < interval.endMinute)) ||
                (interval.overnight && interval.weekday === yesterday && minuteOfDay < interval.endMinute),
            );
          };
          const from = Math.floor(t / (15 * minute)) * 15 * minute;
          let expected = 0;
          for (let quarter = 0; quarter < quarters; quarter++) {
            const sample = from + quarter * 15 * minute;
            const within = naivelyWithin(sample);
            expect(isWithinBusinessHours(calendar, new Date(sample))).toBe(within);
            if (within) expected += 15 * minute;
          }
          expect(businessMsBetween(calendar, new Date(from), new Date(from + quarters * 15 * minute))).toBe(
            expected,
          );
        },
      ),
      { numRuns: 60 },
    );
  });
});
