import { describe, expect, it } from "vitest";
import { AppError } from "../../errors.ts";
import { parseBusinessCalendar } from "./business-hours.ts";

const weekdays = [1, 2, 3, 4, 5] as const;

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
