import { DateTime, Settings } from "luxon";
import { describe, expect, it } from "vitest";
import { AppError } from "../../errors.ts";
import {
  addBusinessMs,
  type BusinessCalendar,
  businessIntervals,
  businessMsBetween,
  describeCalendar,
  isWithinBusinessHours,
  NoBusinessTimeError,
  nextBusinessMoment,
  parseBusinessCalendar,
  type WeeklyInterval,
} from "./business-hours.ts";

const minute = 60_000;
const hour = 60 * minute;
const weekdays = [1, 2, 3, 4, 5] as const;
const everyDay = [1, 2, 3, 4, 5, 6, 7] as const;

// Instants are written with explicit UTC offsets, so no test depends on how a library resolves local times.
const at = (iso: string) => new Date(iso);
const iso = (date: Date) => date.toISOString();

function calendar(timezone: string, weekly: WeeklyInterval[], holidays: string[] = []): BusinessCalendar {
  return parseBusinessCalendar({ timezone, weekly, holidays: holidays.map((date) => ({ date })) });
}

/** Europe/London office: Mon–Fri 09:00–17:30 with a lunch break 12:00–13:00, i.e. 7.5 h a day, 37.5 h a week. */
function londonOffice(holidays: string[] = []): BusinessCalendar {
  return calendar(
    "Europe/London",
    weekdays.flatMap((day) => [
      { day, start: "09:00", end: "12:00" },
      { day, start: "13:00", end: "17:30" },
    ]),
    holidays,
  );
}

const allDay = (timezone: string) =>
  calendar(
    timezone,
    everyDay.map((day) => ({ day, start: "00:00", end: "24:00" })),
  );
/** Only the night from Saturday 22:00 to Sunday 06:00, the night of the European and US DST changes. */
const saturdayNight = (timezone: string) => calendar(timezone, [{ day: 6, start: "22:00", end: "06:00" }]);

function validationDetails(input: unknown): { path: string; message: string }[] {
  try {
    parseBusinessCalendar(input);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("validation_failed");
    return (error as AppError).details as { path: string; message: string }[];
  }
  throw new Error("expected a validation error");
}

describe("parseBusinessCalendar", () => {
  it("accepts split days, overnight intervals, 24:00 ends and holidays, and defaults holidays to none", () => {
    const calendar = parseBusinessCalendar({
      timezone: "Europe/London",
      weekly: [
        ...weekdays.flatMap((day) => [
          { day, start: "09:00", end: "12:00" },
          { day, start: "13:00", end: "17:30" },
        ]),
        { day: 5, start: "22:00", end: "06:00" },
        { day: 6, start: "10:00", end: "24:00" },
      ],
      holidays: [{ date: "2025-12-25", name: "Christmas Day" }, { date: "2025-12-26" }],
    });
    expect(calendar.weekly).toHaveLength(12);
    expect(calendar.holidays.map((holiday) => holiday.date)).toEqual(["2025-12-25", "2025-12-26"]);
    expect(Object.isFrozen(calendar) && Object.isFrozen(calendar.weekly[0])).toBe(true);
    expect(
      parseBusinessCalendar({ timezone: "UTC", weekly: [{ day: 1, start: "00:00", end: "24:00" }] }).holidays,
    ).toEqual([]);
  });

  it("names every bad field: unknown zone, bad weekday, bad times", () => {
    const details = validationDetails({
      timezone: "Mars/Olympus_Mons",
      weekly: [
        { day: 0, start: "09:00", end: "17:00" },
        { day: 1, start: "24:00", end: "17:00" },
        { day: 2, start: "9:00", end: "17:60" },
      ],
    });
    expect(details.map((detail) => detail.path)).toEqual([
      "timezone",
      "weekly.0.day",
      "weekly.1.start",
      "weekly.2.start",
      "weekly.2.end",
    ]);
    expect(details[0].message).toMatch(/IANA time zone/);
  });

  it("rejects offsets and abbreviations that are not IANA zone names", () => {
    for (const timezone of ["+03:00", "GMT+3", "CEST", ""]) {
      expect(validationDetails({ timezone, weekly: [{ day: 1, start: "09:00", end: "17:00" }] })).toEqual([
        expect.objectContaining({ path: "timezone" }),
      ]);
    }
  });

  it("rejects a calendar with no business hours at all", () => {
    const details = validationDetails({ timezone: "UTC", weekly: [] });
    expect(details).toEqual([
      { path: "weekly", message: expect.stringMatching(/at least one weekly interval/) },
    ]);
  });

  it("rejects duplicate and impossible holiday dates", () => {
    const details = validationDetails({
      timezone: "Europe/Berlin",
      weekly: [{ day: 1, start: "08:00", end: "16:00" }],
      holidays: [
        { date: "2025-12-25" },
        { date: "2025-02-29" },
        { date: "2025-12-25" },
        { date: "25.12.2025" },
      ],
    });
    expect(details).toEqual([
      { path: "holidays.1.date", message: "must be a calendar date YYYY-MM-DD" },
      { path: "holidays.3.date", message: "must be a calendar date YYYY-MM-DD" },
      { path: "holidays.2.date", message: "duplicate holiday date 2025-12-25" },
    ]);
  });

  it("says what is wrong in the error message itself", () => {
    expect(() => parseBusinessCalendar({ timezone: "Europe/Londres", weekly: [] })).toThrow(
      /Invalid business calendar: timezone: .*; weekly: needs at least one weekly interval/,
    );
    expect(() => parseBusinessCalendar("Mon-Fri 9-5")).toThrow(/Invalid business calendar: calendar: /);
  });
});

describe("worked examples: a London office with a lunch break", () => {
  const office = londonOffice();

  it("a ticket at Friday 16:00 with a 4-business-hour target is due Monday 11:30", () => {
    // Friday 16:00–17:30 gives 1.5 h; the weekend is closed; Monday 09:00 + the remaining 2.5 h is 11:30, before
    // lunch. (Monday 12:30 would be inside the lunch break, where no due time can fall.) GMT in March, so +00:00.
    const due = addBusinessMs(office, at("2025-03-07T16:00:00+00:00"), 4 * hour);
    expect(iso(due)).toBe(iso(at("2025-03-10T11:30:00+00:00")));
    expect(businessMsBetween(office, at("2025-03-07T16:00:00+00:00"), due)).toBe(4 * hour);
  });

  it("skips the lunch break: 5 business hours from Friday 16:00 is Monday 13:30", () => {
    // 1.5 h on Friday, 3 h on Monday morning, then 0.5 h after lunch.
    expect(iso(addBusinessMs(office, at("2025-03-07T16:00:00+00:00"), 5 * hour))).toBe(
      iso(at("2025-03-10T13:30:00+00:00")),
    );
    // Exactly 4.5 h lands at the start of lunch: the earliest instant, not 13:00.
    expect(iso(addBusinessMs(office, at("2025-03-07T16:00:00+00:00"), 4.5 * hour))).toBe(
      iso(at("2025-03-10T12:00:00+00:00")),
    );
  });

  it("keeps wall-clock opening hours over the weekend the clocks go forward", () => {
    // Friday 28 March is GMT; British Summer Time starts on Sunday 30 March. Monday 11:30 BST is 10:30 UTC.
    const due = addBusinessMs(office, at("2025-03-28T16:00:00+00:00"), 4 * hour);
    expect(iso(due)).toBe(iso(at("2025-03-31T11:30:00+01:00")));
  });

  it("knows when it is open, and when it opens next", () => {
    expect(isWithinBusinessHours(office, at("2025-03-10T09:00:00+00:00"))).toBe(true);
    expect(isWithinBusinessHours(office, at("2025-03-10T11:59:59.999+00:00"))).toBe(true);
    expect(isWithinBusinessHours(office, at("2025-03-10T12:00:00+00:00"))).toBe(false);
    expect(isWithinBusinessHours(office, at("2025-03-10T17:30:00+00:00"))).toBe(false);
    expect(isWithinBusinessHours(office, at("2025-03-08T10:00:00+00:00"))).toBe(false);
    expect(iso(nextBusinessMoment(office, at("2025-03-10T12:15:00+00:00")))).toBe(
      iso(at("2025-03-10T13:00:00+00:00")),
    );
    expect(iso(nextBusinessMoment(office, at("2025-03-07T17:30:00+00:00")))).toBe(
      iso(at("2025-03-10T09:00:00+00:00")),
    );
    const inside = at("2025-03-10T10:00:00+00:00");
    expect(iso(nextBusinessMoment(office, inside))).toBe(iso(inside));
  });

  it("lists the business intervals clipped to the range", () => {
    const intervals = [
      ...businessIntervals(office, at("2025-03-07T10:00:00+00:00"), at("2025-03-10T10:00:00+00:00")),
    ];
    expect(intervals.map(([start, end]) => [iso(start), iso(end)])).toEqual([
      ["2025-03-07T10:00:00.000Z", "2025-03-07T12:00:00.000Z"],
      ["2025-03-07T13:00:00.000Z", "2025-03-07T17:30:00.000Z"],
      ["2025-03-10T09:00:00.000Z", "2025-03-10T10:00:00.000Z"],
    ]);
  });

  it("counts a three-week pause and resumes the clock after it", () => {
    // Opened Monday 2 June 09:00 BST with an 8-hour target; on hold from 11:00 (2 h used) until Monday 23 June 11:00.
    const opened = at("2025-06-02T09:00:00+01:00");
    const paused = at("2025-06-02T11:00:00+01:00");
    const resumed = at("2025-06-23T11:00:00+01:00");
    const used = businessMsBetween(office, opened, paused);
    expect(used).toBe(2 * hour);
    // The pause holds exactly three office weeks: 3 × 37.5 h.
    expect(businessMsBetween(office, paused, resumed)).toBe(3 * 37.5 * hour);
    expect(iso(addBusinessMs(office, paused, 3 * 37.5 * hour))).toBe(iso(resumed));
    // Without the pause it is due Tuesday 3 June 09:30 (7.5 h on Monday, then 0.5 h).
    expect(iso(addBusinessMs(office, opened, 8 * hour))).toBe(iso(at("2025-06-03T09:30:00+01:00")));
    // With it, the remaining 6 h run from the resumption: 1 h + 4.5 h on Monday, 0.5 h on Tuesday.
    expect(iso(addBusinessMs(office, resumed, 8 * hour - used))).toBe(iso(at("2025-06-24T09:30:00+01:00")));
  });
});

describe("worked examples: holidays", () => {
  it("skips a holiday on a Monday", () => {
    // Spring bank holiday Monday 26 May 2025: Friday 16:00 + 4 h is due Tuesday 11:30 BST.
    const office = londonOffice(["2025-05-26"]);
    expect(iso(addBusinessMs(office, at("2025-05-23T16:00:00+01:00"), 4 * hour))).toBe(
      iso(at("2025-05-27T11:30:00+01:00")),
    );
    expect(isWithinBusinessHours(office, at("2025-05-26T10:00:00+01:00"))).toBe(false);
    // Friday to Tuesday evening holds Friday and Tuesday only.
    expect(businessMsBetween(office, at("2025-05-23T00:00:00+01:00"), at("2025-05-28T00:00:00+01:00"))).toBe(
      15 * hour,
    );
  });

  it("skips Christmas, Boxing Day and the weekend after them", () => {
    // 2025: Thursday 25 and Friday 26 December are holidays, then Saturday and Sunday. Wednesday 24 December 16:00
    // has 1.5 h left that day, so a 4-hour target is due Monday 29 December 11:30.
    const office = londonOffice(["2025-12-25", "2025-12-26"]);
    const due = addBusinessMs(office, at("2025-12-24T16:00:00+00:00"), 4 * hour);
    expect(iso(due)).toBe(iso(at("2025-12-29T11:30:00+00:00")));
    expect(iso(nextBusinessMoment(office, at("2025-12-25T10:00:00+00:00")))).toBe(
      iso(at("2025-12-29T09:00:00+00:00")),
    );
  });

  it("cuts an overnight interval at the holiday's midnight, on either side", () => {
    // Friday 13 June 22:00 BST to Saturday 06:00: 8 h, of which 2 h are on Friday's date and 6 h on Saturday's.
    const weekly: WeeklyInterval[] = [{ day: 5, start: "22:00", end: "06:00" }];
    const from = at("2025-06-13T12:00:00+01:00");
    const to = at("2025-06-14T12:00:00+01:00");
    expect(businessMsBetween(calendar("Europe/London", weekly), from, to)).toBe(8 * hour);
    const saturdayOff = calendar("Europe/London", weekly, ["2025-06-14"]);
    expect([...businessIntervals(saturdayOff, from, to)].map(([s, e]) => [iso(s), iso(e)])).toEqual([
      [iso(at("2025-06-13T22:00:00+01:00")), iso(at("2025-06-14T00:00:00+01:00"))],
    ]);
    const fridayOff = calendar("Europe/London", weekly, ["2025-06-13"]);
    expect([...businessIntervals(fridayOff, from, to)].map(([s, e]) => [iso(s), iso(e)])).toEqual([
      [iso(at("2025-06-14T00:00:00+01:00")), iso(at("2025-06-14T06:00:00+01:00"))],
    ]);
    expect(businessMsBetween(calendar("Europe/London", weekly, ["2025-06-13", "2025-06-14"]), from, to)).toBe(
      0,
    );
  });

  it("throws a clear error instead of searching forever when no business time is left", () => {
    // Open on Mondays only, and every Monday of six years is a holiday.
    const mondays: string[] = [];
    for (let day = DateTime.fromISO("2025-01-06"); day.year < 2031; day = day.plus({ weeks: 1 })) {
      mondays.push(day.toISODate() ?? "");
    }
    const closed = calendar("Europe/London", [{ day: 1, start: "09:00", end: "17:00" }], mondays);
    const from = at("2025-01-01T00:00:00Z");
    expect(() => addBusinessMs(closed, from, hour)).toThrow(NoBusinessTimeError);
    expect(() => nextBusinessMoment(closed, from)).toThrow(
      /no business hours in the 1830 days after 2025-01-01/,
    );
    // Bounded questions still have answers.
    expect(businessMsBetween(closed, from, at("2030-12-31T00:00:00Z"))).toBe(0);
    expect(isWithinBusinessHours(closed, at("2025-01-06T10:00:00Z"))).toBe(false);
    // The first Monday after the holidays opens.
    expect(iso(nextBusinessMoment(closed, at("2030-06-01T00:00:00Z")))).toBe(iso(at("2031-01-06T09:00:00Z")));
  });
});

describe("worked examples: DST changes", () => {
  it("24x7 in America/New_York: the spring-forward day has 23 hours, the fall-back day 25", () => {
    const ny = allDay("America/New_York");
    // Saturday noon EST (-05:00) to Sunday noon EDT (-04:00) on 8–9 March 2025.
    expect(businessMsBetween(ny, at("2025-03-08T12:00:00-05:00"), at("2025-03-09T12:00:00-04:00"))).toBe(
      23 * hour,
    );
    expect(iso(addBusinessMs(ny, at("2025-03-08T12:00:00-05:00"), 24 * hour))).toBe(
      iso(at("2025-03-09T13:00:00-04:00")),
    );
    // Saturday noon EDT to Sunday noon EST on 1–2 November 2025.
    expect(businessMsBetween(ny, at("2025-11-01T12:00:00-04:00"), at("2025-11-02T12:00:00-05:00"))).toBe(
      25 * hour,
    );
    // A whole week is one merged interval.
    expect([...businessIntervals(ny, at("2025-03-03T00:00:00Z"), at("2025-03-17T00:00:00Z"))]).toHaveLength(
      1,
    );
  });

  it("22:00–06:00 in America/New_York counts what really elapsed across the 02:00 change", () => {
    const ny = saturdayNight("America/New_York");
    // 22:00 EST = 03:00Z to 06:00 EDT = 10:00Z: 7 real hours, though the wall clock moves 8.
    expect(businessMsBetween(ny, at("2025-03-08T12:00:00-05:00"), at("2025-03-09T12:00:00-04:00"))).toBe(
      7 * hour,
    );
    // Four real hours after 22:00 EST the wall clock shows 03:00 EDT.
    expect(iso(addBusinessMs(ny, at("2025-03-08T22:00:00-05:00"), 4 * hour))).toBe(
      iso(at("2025-03-09T03:00:00-04:00")),
    );
    expect(isWithinBusinessHours(ny, at("2025-03-09T03:30:00-04:00"))).toBe(true);
    // 22:00 EDT = 02:00Z to 06:00 EST = 11:00Z: 9 real hours; the repeated 01:00–02:00 counts twice.
    expect(businessMsBetween(ny, at("2025-11-01T12:00:00-04:00"), at("2025-11-02T12:00:00-05:00"))).toBe(
      9 * hour,
    );
    // Three real hours after 22:00 EDT is the first 01:00 (EDT), four is the second (EST).
    expect(iso(addBusinessMs(ny, at("2025-11-01T22:00:00-04:00"), 3 * hour))).toBe(
      iso(at("2025-11-02T01:00:00-04:00")),
    );
    expect(iso(addBusinessMs(ny, at("2025-11-01T22:00:00-04:00"), 4 * hour))).toBe(
      iso(at("2025-11-02T01:00:00-05:00")),
    );
  });

  it("24x7 and 22:00–06:00 in Europe/Berlin over both changes", () => {
    const berlin = allDay("Europe/Berlin");
    // 30 March 2025 02:00 CET → 03:00 CEST; 26 October 2025 03:00 CEST → 02:00 CET.
    expect(businessMsBetween(berlin, at("2025-03-29T12:00:00+01:00"), at("2025-03-30T12:00:00+02:00"))).toBe(
      23 * hour,
    );
    expect(businessMsBetween(berlin, at("2025-10-25T12:00:00+02:00"), at("2025-10-26T12:00:00+01:00"))).toBe(
      25 * hour,
    );
    const nights = saturdayNight("Europe/Berlin");
    // 22:00 CET (21:00Z) to 06:00 CEST (04:00Z) is 7 h; 22:00 CEST (20:00Z) to 06:00 CET (05:00Z) is 9 h.
    expect(businessMsBetween(nights, at("2025-03-29T12:00:00+01:00"), at("2025-03-30T12:00:00+02:00"))).toBe(
      7 * hour,
    );
    expect(businessMsBetween(nights, at("2025-10-25T12:00:00+02:00"), at("2025-10-26T12:00:00+01:00"))).toBe(
      9 * hour,
    );
  });

  it("Australia/Lord_Howe shifts by 30 minutes", () => {
    // DST ends 6 April 2025 02:00 (+11:00) → 01:30 (+10:30); starts 5 October 2025 02:00 (+10:30) → 02:30 (+11:00).
    const lordHowe = allDay("Australia/Lord_Howe");
    expect(
      businessMsBetween(lordHowe, at("2025-04-05T12:00:00+11:00"), at("2025-04-06T12:00:00+10:30")),
    ).toBe(24.5 * hour);
    expect(
      businessMsBetween(lordHowe, at("2025-10-04T12:00:00+10:30"), at("2025-10-05T12:00:00+11:00")),
    ).toBe(23.5 * hour);
    const nights = saturdayNight("Australia/Lord_Howe");
    expect(businessMsBetween(nights, at("2025-04-05T12:00:00+11:00"), at("2025-04-06T12:00:00+10:30"))).toBe(
      8.5 * hour,
    );
    expect(businessMsBetween(nights, at("2025-10-04T12:00:00+10:30"), at("2025-10-05T12:00:00+11:00"))).toBe(
      7.5 * hour,
    );
  });

  it("follows a DST start that was called off a week later (America/Recife, October 2000)", () => {
    // Recife began DST at midnight on Sunday 8 October 2000 (-03:00 → -02:00) and returned to -03:00 at midnight on
    // Sunday 15 October. The office hours of the week between are at -02:00.
    const recife = calendar(
      "America/Recife",
      weekdays.map((day) => ({ day, start: "09:00", end: "17:00" })),
    );
    const intervals = [
      ...businessIntervals(recife, at("2000-10-01T00:00:00-03:00"), at("2000-10-21T00:00:00-03:00")),
    ];
    expect(intervals.map(([start]) => iso(start))).toEqual([
      ...["02", "03", "04", "05", "06"].map((date) => iso(at(`2000-10-${date}T09:00:00-03:00`))),
      ...["09", "10", "11", "12", "13"].map((date) => iso(at(`2000-10-${date}T09:00:00-02:00`))),
      ...["16", "17", "18", "19", "20"].map((date) => iso(at(`2000-10-${date}T09:00:00-03:00`))),
    ]);
  });

  it("resolves ambiguous and missing wall times the same way whatever today's date is", () => {
    // Sunday 01:30–02:30 in New York. When 01:30 happens twice (fall-back), the start is the first (EDT) and the end,
    // 02:30 EST, comes after the repeated hour: 2 real hours. When 02:30 does not exist (spring-forward), luxon moves
    // it forward by the gap: 01:30 EST to 03:30 EDT, 1 real hour.
    const ny = () => calendar("America/New_York", [{ day: 7, start: "01:30", end: "02:30" }]);
    const intervalsOn = (from: string, to: string) =>
      [...businessIntervals(ny(), at(from), at(to))].map(([start, end]) => [iso(start), iso(end)]);
    const realNow = Settings.now;
    try {
      // Luxon's own pick for an ambiguous time follows the offset in force "now"; ours must not. Each "now" gets
      // years no other test touches, so nothing cached under another "now" is reused.
      const runs = [
        { now: "2025-07-01T12:00:00Z", fallBack: "2027-11-07", springForward: "2027-03-14" },
        { now: "2025-01-15T12:00:00Z", fallBack: "2028-11-05", springForward: "2028-03-12" },
      ];
      for (const { now, fallBack, springForward } of runs) {
        Settings.now = () => Date.parse(now);
        expect(intervalsOn(`${fallBack}T00:00:00-04:00`, `${fallBack}T12:00:00-05:00`)).toEqual([
          [iso(at(`${fallBack}T01:30:00-04:00`)), iso(at(`${fallBack}T02:30:00-05:00`))],
        ]);
        expect(intervalsOn(`${springForward}T00:00:00-05:00`, `${springForward}T12:00:00-04:00`)).toEqual([
          [iso(at(`${springForward}T01:30:00-05:00`)), iso(at(`${springForward}T03:30:00-04:00`))],
        ]);
      }
    } finally {
      Settings.now = realNow;
    }
    // An ordinary Sunday: one hour.
    expect(intervalsOn("2027-06-06T00:00:00-04:00", "2027-06-07T00:00:00-04:00")).toEqual([
      [iso(at("2027-06-06T01:30:00-04:00")), iso(at("2027-06-06T02:30:00-04:00"))],
    ]);
  });
});

describe("interval rules", () => {
  it("merges overlapping and duplicate intervals instead of double counting", () => {
    const overlapping = calendar("UTC", [
      { day: 1, start: "09:00", end: "17:00" },
      { day: 1, start: "12:00", end: "18:00" },
      { day: 1, start: "09:00", end: "17:00" },
      // Sunday night overlapping into Monday morning.
      { day: 7, start: "20:00", end: "10:00" },
    ]);
    // Monday 6 January 2025: 00:00–18:00 is business time (Sunday night until 10:00, then the day intervals).
    expect(businessMsBetween(overlapping, at("2025-01-06T00:00:00Z"), at("2025-01-07T00:00:00Z"))).toBe(
      18 * hour,
    );
    expect([
      ...businessIntervals(overlapping, at("2025-01-05T00:00:00Z"), at("2025-01-07T00:00:00Z")),
    ]).toEqual([[at("2025-01-05T20:00:00Z"), at("2025-01-06T18:00:00Z")]]);
  });

  it("treats an end at or before the start as overnight, so 00:00–00:00 is a whole day", () => {
    const wholeDays = calendar(
      "Asia/Kolkata",
      everyDay.map((day) => ({ day, start: "00:00", end: "00:00" })),
    );
    expect(businessMsBetween(wholeDays, at("2025-01-01T00:00:00Z"), at("2025-01-29T00:00:00Z"))).toBe(
      28 * 24 * hour,
    );
    expect(
      businessMsBetween(allDay("Asia/Kolkata"), at("2025-01-01T00:00:00Z"), at("2025-01-29T00:00:00Z")),
    ).toBe(28 * 24 * hour);
  });

  it("counts zero for an empty or reversed range and returns `from` for zero business time", () => {
    const office = londonOffice();
    const saturday = at("2025-03-08T10:00:00Z");
    expect(businessMsBetween(office, saturday, at("2025-03-01T10:00:00Z"))).toBe(0);
    expect(businessMsBetween(office, saturday, saturday)).toBe(0);
    expect(iso(addBusinessMs(office, saturday, 0))).toBe(iso(saturday));
    expect([...businessIntervals(office, saturday, saturday)]).toEqual([]);
  });

  it("rejects negative or fractional amounts and invalid dates", () => {
    const office = londonOffice();
    expect(() => addBusinessMs(office, at("2025-03-08T10:00:00Z"), -1)).toThrow(RangeError);
    expect(() => addBusinessMs(office, at("2025-03-08T10:00:00Z"), 0.5)).toThrow(RangeError);
    expect(() => isWithinBusinessHours(office, new Date(Number.NaN))).toThrow(RangeError);
    // Near the end of what Date can represent the search stops instead of spinning on invalid dates.
    expect(() => addBusinessMs(office, new Date(8.64e15 - 3 * 24 * hour), 100 * hour)).toThrow(
      /supported date range/,
    );
  });

  it("validates hand-built calendars too", () => {
    const handBuilt = {
      timezone: "Nowhere/Special",
      weekly: [{ day: 1, start: "09:00", end: "17:00" }],
      holidays: [],
    };
    expect(() => isWithinBusinessHours(handBuilt as BusinessCalendar, at("2025-03-10T10:00:00Z"))).toThrow(
      /Invalid business calendar: timezone/,
    );
  });
});

describe("describeCalendar", () => {
  it("joins consecutive days with the same hours", () => {
    expect(describeCalendar(londonOffice())).toBe("Mon–Fri 09:00–12:00, 13:00–17:30 (Europe/London)");
  });

  it("lists different days separately, shows overnight and 24:00 ends, and counts holidays", () => {
    const mixed = calendar(
      "Europe/London",
      [
        ...weekdays.map((day) => ({ day, start: "09:00", end: "17:30" })),
        { day: 5, start: "22:00", end: "06:00" },
        { day: 6, start: "10:00", end: "24:00" },
      ],
      ["2025-12-25", "2025-12-26"],
    );
    expect(describeCalendar(mixed)).toBe(
      "Mon–Thu 09:00–17:30; Fri 09:00–17:30, 22:00–06:00; Sat 10:00–24:00 (Europe/London, 2 holidays)",
    );
    expect(describeCalendar(allDay("UTC"))).toBe("Mon–Sun 00:00–24:00 (UTC)");
  });
});
