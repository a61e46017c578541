/**
 * Business calendars for SLA clocks: a weekly schedule, holidays and an IANA time zone, validated with zod.
 */
import { IANAZone } from "luxon";
import { z } from "zod";
import { validationFailed } from "../../errors.ts";

const startTimePattern = /^([01]\d|2[0-3]):[0-5]\d$/;
const endTimePattern = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;
// Region-style names only ("Europe/London", "UTC", "Etc/GMT+3"); no bare offsets such as "+03:00".
const timeZoneNamePattern = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/;

function isKnownTimeZone(name: string): boolean {
  return timeZoneNamePattern.test(name) && IANAZone.isValidZone(name);
}

export const isoWeekdaySchema = z.literal([1, 2, 3, 4, 5, 6, 7], {
  error: "must be an ISO weekday: 1 (Monday) to 7 (Sunday)",
});

export const weeklyIntervalSchema = z.object({
  day: isoWeekdaySchema,
  start: z.string().regex(startTimePattern, "must be a time HH:MM from 00:00 to 23:59"),
  /** At or before `start` means the interval runs overnight into the next day; "24:00" is the end of the day. */
  end: z.string().regex(endTimePattern, "must be a time HH:MM from 00:00 to 24:00"),
});

export const holidaySchema = z.object({
  date: z.iso.date({ error: "must be a calendar date YYYY-MM-DD" }),
  name: z.string().trim().min(1).max(200).optional(),
});

export const businessCalendarSchema = z
  .object({
    timezone: z
      .string()
      .max(64)
      .refine(isKnownTimeZone, 'must be a known IANA time zone such as "Europe/London" or "UTC"'),
    weekly: z
      .array(weeklyIntervalSchema)
      .min(1, "needs at least one weekly interval; a calendar without business hours would never count time")
      .max(100),
    holidays: z.array(holidaySchema).max(2000).default([]),
  })
  .superRefine((calendar, ctx) => {
    const seen = new Set<string>();
    calendar.holidays.forEach((holiday, index) => {
      if (seen.has(holiday.date)) {
        ctx.addIssue({
          code: "custom",
          path: ["holidays", index, "date"],
          message: `duplicate holiday date ${holiday.date}`,
        });
      }
      seen.add(holiday.date);
    });
  });

export type IsoWeekday = z.infer<typeof isoWeekdaySchema>;
export type WeeklyInterval = z.infer<typeof weeklyIntervalSchema>;
export type Holiday = z.infer<typeof holidaySchema>;
export type BusinessCalendar = z.output<typeof businessCalendarSchema>;

/** Validates a calendar (e.g. from a request or the database); throws a validation_failed AppError naming each field. */
export function parseBusinessCalendar(input: unknown): BusinessCalendar {
  const result = businessCalendarSchema.safeParse(input);
  if (!result.success) {
    const details = result.error.issues.map((issue) => ({
      path: issue.path.join("."),
      message: issue.message,
    }));
    const summary = details.map((detail) => `${detail.path || "calendar"}: ${detail.message}`).join("; ");
    throw validationFailed(`Invalid business calendar: ${summary}`, details);
  }
  const calendar = result.data;
  for (const interval of calendar.weekly) Object.freeze(interval);
  for (const holiday of calendar.holidays) Object.freeze(holiday);
  Object.freeze(calendar.weekly);
  Object.freeze(calendar.holidays);
  return Object.freeze(calendar);
}
