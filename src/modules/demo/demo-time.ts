import { businessUtcOffsetHours } from "./demo-catalogue.ts";

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

const OFFSET = businessUtcOffsetHours * HOUR;

/** Local (business time zone) day of week, 0 = Sunday. */
export function localWeekday(ms: number): number {
  return new Date(Math.floor((ms + OFFSET) / DAY) * DAY).getUTCDay();
}

/** The instant at `hour` (fractional) local time on the local day containing `ms`. */
export function atLocalHour(ms: number, hour: number): number {
  const localMidnight = Math.floor((ms + OFFSET) / DAY) * DAY;
  return localMidnight + hour * HOUR - OFFSET;
}

/** Staffed hours, local time: weekdays 08-18, weekends a skeleton shift 10-14. */
function staffedWindow(localMidnight: number): [number, number] {
  const weekday = new Date(localMidnight).getUTCDay();
  return weekday === 0 || weekday === 6 ? [10, 14] : [8, 18];
}

export function isStaffed(ms: number): boolean {
  const local = ms + OFFSET;
  const midnight = Math.floor(local / DAY) * DAY;
  const [open, close] = staffedWindow(midnight);
  const hour = (local - midnight) / HOUR;
  return hour >= open && hour < close;
}

/** The instant `minutes` of staffed time after `start`: when an agent working through a queue gets to it. */
export function addStaffedMinutes(start: number, minutes: number): number {
  let local = start + OFFSET;
  let remaining = minutes;
  for (let guard = 0; guard < 400; guard++) {
    const midnight = Math.floor(local / DAY) * DAY;
    const [open, close] = staffedWindow(midnight);
    const from = Math.max(local, midnight + open * HOUR);
    const to = midnight + close * HOUR;
    if (from < to) {
      const available = (to - from) / MINUTE;
      if (available >= remaining) return from + remaining * MINUTE - OFFSET;
      remaining -= available;
    }
    local = midnight + DAY;
  }
  return local - OFFSET;
}

const monthNames = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

/** "March 3", in the business time zone; fixed English so texts do not depend on the machine's locale. */
export function formatLocalDate(ms: number): string {
  const local = new Date(ms + OFFSET);
  return `${monthNames[local.getUTCMonth()]} ${local.getUTCDate()}`;
}

/** Day of the year (0-based) in the business time zone, for seasonality. */
export function localDayOfYear(ms: number): number {
  const local = new Date(ms + OFFSET);
  return Math.floor((local.getTime() - Date.UTC(local.getUTCFullYear(), 0, 1)) / DAY);
}
