/**
 * Business-hours arithmetic for SLA clocks: pure functions over a weekly schedule, holidays and an IANA time zone.
 *
 * Business time is real elapsed milliseconds inside business hours. Each weekly interval of a local date becomes
 * one span of real time, from its start wall time to its end wall time in the calendar's zone (luxon supplies every
 * offset), and the spans of all dates are merged, so overlaps are counted once. The rules at DST changes:
 * - A start wall time that occurs twice (fall-back) is its first occurrence and an end wall time is its last one,
 *   so an interval across the repeated hour counts it twice: 22:00–06:00 over a one-hour fall-back is 9 real hours.
 *   Luxon's own choice for ambiguous times depends on the current date, so we pick from getPossibleOffsets().
 * - A wall time that does not exist (spring-forward gap) is read as luxon reads it: moved forward by the length of
 *   the gap (02:30 on a 02:00→03:00 night is 03:30), for starts and ends alike; 22:00–06:00 over it is 7 real hours.
 * - A holiday removes every instant whose local date is that date: from the first instant of its local midnight to
 *   the first instant of the next one, including the repeated hour if the day has one and the part of an overnight
 *   interval from the previous date that falls on it.
 * Spans are half-open: an instant at an interval's start is within hours, one at its end is not.
 *
 * Speed: the work is per local date, never per minute. Local midnights come from luxon, six days at a time: when
 * luxon reports the offset of one midnight still in force six days later, the midnights between keep it. That
 * assumes no zone changes its offset and back within six days; a daily scan of every zone from 1990 to 2040 found
 * the closest such pair 7 days apart (Recife, Noronha and Boa Vista, October 2000; a test covers it). A date whose
 * next two days are 24 hours long converts its wall times with its midnight's offset; the few dates around a DST
 * change resolve each wall time through luxon. Midnights and those wall times are cached per zone (they are facts
 * of the zone, not of a calendar). Calendars are treated as immutable values: the compiled form is cached per
 * calendar object, and parseBusinessCalendar returns a frozen one.
 */
import { DateTime, IANAZone } from "luxon";
import { z } from "zod";
import { AppError, validationFailed } from "../../errors.ts";

const minuteMs = 60_000;
const dayMs = 86_400_000;
const minutesPerDay = 1440;
/** Open-ended searches (addBusinessMs, nextBusinessMoment) give up after this long without any business time. */
export const businessTimeSearchHorizonDays = 5 * 366;
const horizonMs = businessTimeSearchHorizonDays * dayMs;
// Leaves room for the few days after the current one that a date's spans and holidays look at.
const lastSupportedEpochDay = Date.UTC(9999, 11, 25) / dayMs;

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

/** Thrown when an open-ended search finds no business time within the horizon, e.g. every open day is a holiday. */
export class NoBusinessTimeError extends AppError {
  constructor(timezone: string, afterMs: number) {
    const after = new Date(afterMs).toISOString();
    super(
      "validation_failed",
      `The business calendar (${timezone}) has no business hours in the ${businessTimeSearchHorizonDays} days after ${after}; check its weekly hours and holidays`,
      { after, horizonDays: businessTimeSearchHorizonDays },
    );
    this.name = "NoBusinessTimeError";
  }
}

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

/** A wall-clock span of one weekday in minutes from its midnight; the end exceeds 1440 when it runs overnight. */
type WallSpan = readonly [startMinute: number, endMinute: number];
type Span = [startMs: number, endMs: number];

type CompiledCalendar = {
  timezone: string;
  zone: IANAZone;
  /** Local midnights by epoch day, and wall times of DST-change days, shared by every calendar in the zone. */
  midnights: Map<number, number>;
  wallTimes: Map<string, number>;
  /** Index 1..7 (ISO weekday): merged wall spans starting on that weekday, sorted. */
  spansByWeekday: ReadonlyArray<ReadonlyArray<WallSpan>>;
  holidayDays: ReadonlySet<number>;
};

const compiledCalendars = new WeakMap<BusinessCalendar, CompiledCalendar>();
const zoneCaches = new Map<string, { midnights: Map<number, number>; wallTimes: Map<string, number> }>();
const maxCachedPerZone = 100_000;

function compile(calendar: BusinessCalendar): CompiledCalendar {
  const cached = compiledCalendars.get(calendar);
  if (cached) return cached;
  // Hand-built calendars get the same validation as parsed ones, once per object.
  const valid = parseBusinessCalendar(calendar);
  const spansByWeekday: WallSpan[][] = [[], [], [], [], [], [], [], []];
  for (const interval of valid.weekly) {
    const start = minuteOfDay(interval.start);
    const end = minuteOfDay(interval.end);
    spansByWeekday[interval.day].push([start, end <= start ? end + minutesPerDay : end]);
  }
  let zoneCache = zoneCaches.get(valid.timezone);
  if (!zoneCache) {
    zoneCache = { midnights: new Map(), wallTimes: new Map() };
    zoneCaches.set(valid.timezone, zoneCache);
  }
  const compiled: CompiledCalendar = {
    timezone: valid.timezone,
    zone: IANAZone.create(valid.timezone),
    ...zoneCache,
    spansByWeekday: spansByWeekday.map(mergeWallSpans),
    holidayDays: new Set(valid.holidays.map((holiday) => epochDayOfDate(holiday.date))),
  };
  compiledCalendars.set(calendar, compiled);
  return compiled;
}

function minuteOfDay(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

function mergeWallSpans(spans: WallSpan[]): WallSpan[] {
  const sorted = [...spans].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: [number, number][] = [];
  for (const [start, end] of sorted) {
    const last = merged.at(-1);
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

function epochDayOfDate(isoDate: string): number {
  return Math.round(Date.parse(`${isoDate}T00:00:00Z`) / dayMs);
}

function isoWeekdayOf(epochDay: number): number {
  // 1970-01-01 was a Thursday (ISO weekday 4).
  return ((((epochDay + 3) % 7) + 7) % 7) + 1;
}

function localEpochDay(zone: IANAZone, ms: number): number {
  return Math.floor((ms + zone.offset(ms) * minuteMs) / dayMs);
}

/** The instant of a local wall time: first or last occurrence when it is ambiguous, luxon's forward shift in a gap. */
function resolveWallTime(
  zone: IANAZone,
  epochDay: number,
  minute: number,
  pick: "earliest" | "latest",
): number {
  const date = new Date((epochDay + Math.floor(minute / minutesPerDay)) * dayMs);
  const minuteInDay = minute % minutesPerDay;
  const wall = {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: Math.floor(minuteInDay / 60),
    minute: minuteInDay % 60,
  };
  const resolved = DateTime.fromObject(wall, { zone });
  const showsWall = (dt: DateTime) =>
    dt.day === wall.day && dt.hour === wall.hour && dt.minute === wall.minute;
  if (!showsWall(resolved)) return resolved.toMillis();
  const instants = resolved
    .getPossibleOffsets()
    .filter(showsWall)
    .map((dt) => dt.toMillis());
  if (instants.length === 0) return resolved.toMillis();
  return pick === "earliest" ? Math.min(...instants) : Math.max(...instants);
}

function resolveCachedWallTime(
  c: CompiledCalendar,
  epochDay: number,
  minute: number,
  pick: "earliest" | "latest",
): number {
  const key = `${epochDay}:${minute}:${pick}`;
  const cached = c.wallTimes.get(key);
  if (cached !== undefined) return cached;
  if (c.wallTimes.size >= maxCachedPerZone) c.wallTimes.clear();
  const instant = resolveWallTime(c.zone, epochDay, minute, pick);
  c.wallTimes.set(key, instant);
  return instant;
}

/** The first instant of a local date (its midnight, or where luxon puts a midnight that falls in a gap). */
function midnightOf(c: CompiledCalendar, epochDay: number): number {
  const cached = c.midnights.get(epochDay);
  if (cached !== undefined) return cached;
  if (c.midnights.size >= maxCachedPerZone) c.midnights.clear();
  const previous = c.midnights.get(epochDay - 1);
  if (previous !== undefined) {
    // Usually the offset at the previous midnight still holds. If luxon reports it six days on, so do the days
    // between (see the module comment); else check this one day, else the day has a DST change.
    const offsetMs = (epochDay - 1) * dayMs - previous;
    const sixDaysLater = (epochDay + 5) * dayMs - offsetMs;
    if (c.zone.offset(sixDaysLater) * minuteMs === offsetMs) {
      for (let day = epochDay; day <= epochDay + 5; day++) {
        if (!c.midnights.has(day)) c.midnights.set(day, day * dayMs - offsetMs);
      }
      return epochDay * dayMs - offsetMs;
    }
    const candidate = epochDay * dayMs - offsetMs;
    if (c.zone.offset(candidate) * minuteMs === offsetMs) {
      c.midnights.set(epochDay, candidate);
      return candidate;
    }
  }
  const midnight = resolveWallTime(c.zone, epochDay, 0, "earliest");
  c.midnights.set(epochDay, midnight);
  return midnight;
}

/** Appends the business spans of the weekly intervals starting on a local date, minus holidays, in order. */
function collectDaySpans(c: CompiledCalendar, epochDay: number, out: Span[]): void {
  const wallSpans = c.spansByWeekday[isoWeekdayOf(epochDay)];
  if (wallSpans.length === 0) return;
  const midnight = midnightOf(c, epochDay);
  // Spans of a date end before the second midnight after it; with 24-hour days until then one offset holds.
  const steady =
    midnightOf(c, epochDay + 1) - midnight === dayMs && midnightOf(c, epochDay + 2) - midnight === 2 * dayMs;
  for (const [startMinute, endMinute] of wallSpans) {
    const start = steady
      ? midnight + startMinute * minuteMs
      : resolveCachedWallTime(c, epochDay, startMinute, "earliest");
    const end = steady
      ? midnight + endMinute * minuteMs
      : resolveCachedWallTime(c, epochDay, endMinute, "latest");
    if (end > start) appendWithoutHolidays(c, epochDay, [start, end], out);
  }
}

function appendWithoutHolidays(c: CompiledCalendar, epochDay: number, span: Span, out: Span[]): void {
  let pieces: Span[] = [span];
  if (c.holidayDays.size > 0) {
    for (let day = epochDay; day <= epochDay + 2; day++) {
      if (!c.holidayDays.has(day)) continue;
      const holidayStart = midnightOf(c, day);
      const holidayEnd = midnightOf(c, day + 1);
      pieces = pieces.flatMap(([start, end]): Span[] => {
        if (end <= holidayStart || start >= holidayEnd) return [[start, end]];
        const kept: Span[] = [];
        if (start < holidayStart) kept.push([start, holidayStart]);
        if (end > holidayEnd) kept.push([holidayEnd, end]);
        return kept;
      });
    }
  }
  out.push(...pieces);
}

/**
 * Business time from `fromMs` (up to `untilMs` if given) as sorted, disjoint spans clipped to that range; spans may
 * touch (24x7 yields one per day). Without `untilMs` it runs forever, or throws NoBusinessTimeError after the horizon.
 */
function* businessSpans(
  c: CompiledCalendar,
  fromMs: number,
  untilMs?: number,
): Generator<Span, void, undefined> {
  // Spans of the previous dates can reach into the date of fromMs (overnight intervals); start two dates back.
  let epochDay = localEpochDay(c.zone, fromMs) - 2;
  let pending: Span[] = [];
  let lastBusinessMs = fromMs;
  const today: Span[] = [];
  const clip = ([start, end]: Span): Span | undefined => {
    const clipped: Span = [Math.max(start, fromMs), untilMs === undefined ? end : Math.min(end, untilMs)];
    return clipped[1] > clipped[0] ? clipped : undefined;
  };
  for (;;) {
    if (epochDay > lastSupportedEpochDay) {
      throw new RangeError("business time runs past the supported date range (the year 9999)");
    }
    const dayStart = midnightOf(c, epochDay);
    // Spans of this date and later ones start at or after its midnight.
    if (untilMs !== undefined && dayStart >= untilMs) {
      for (const span of pending) {
        const clipped = clip(span);
        if (clipped) yield clipped;
      }
      return;
    }
    if (untilMs === undefined && pending.length === 0 && dayStart - lastBusinessMs > horizonMs) {
      throw new NoBusinessTimeError(c.timezone, lastBusinessMs);
    }
    today.length = 0;
    collectDaySpans(c, epochDay, today);
    if (today.length > 0) pending = mergeSpans(pending, today);
    const nextDayStart = midnightOf(c, epochDay + 1);
    // Nothing later starts before nextDayStart, so spans ending by then are final (at most touched by a later one).
    let released = 0;
    while (released < pending.length && pending[released][1] <= nextDayStart) {
      const clipped = clip(pending[released]);
      released++;
      if (clipped) {
        lastBusinessMs = clipped[1];
        yield clipped;
      }
    }
    if (released > 0) pending = pending.slice(released);
    epochDay++;
  }
}

function mergeSpans(existing: Span[], added: Span[]): Span[] {
  const sorted = [...existing, ...added].sort((a, b) => a[0] - b[0]);
  const merged: Span[] = [];
  for (const [start, end] of sorted) {
    const last = merged.at(-1);
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

function instantMs(date: Date, name: string): number {
  const ms = date.getTime();
  if (!Number.isFinite(ms)) throw new RangeError(`${name} is not a valid date`);
  return ms;
}

export function isWithinBusinessHours(calendar: BusinessCalendar, at: Date): boolean {
  const atMs = instantMs(at, "at");
  for (const _ of businessSpans(compile(calendar), atMs, atMs + 1)) return true;
  return false;
}

/** Business milliseconds in [from, to); 0 if `to` is not after `from`. */
export function businessMsBetween(calendar: BusinessCalendar, from: Date, to: Date): number {
  const fromMs = instantMs(from, "from");
  const toMs = instantMs(to, "to");
  if (toMs <= fromMs) return 0;
  let total = 0;
  for (const [start, end] of businessSpans(compile(calendar), fromMs, toMs)) total += end - start;
  return total;
}

/**
 * The earliest instant t >= from with businessMsBetween(from, t) === ms: `from` itself for 0, otherwise inside or at
 * the end of a business interval. Throws NoBusinessTimeError if the calendar runs out of business time.
 */
export function addBusinessMs(calendar: BusinessCalendar, from: Date, ms: number): Date {
  const fromMs = instantMs(from, "from");
  if (!Number.isSafeInteger(ms) || ms < 0) throw new RangeError(`ms must be a whole number >= 0, got ${ms}`);
  if (ms === 0) return new Date(fromMs);
  let remaining = ms;
  for (const [start, end] of businessSpans(compile(calendar), fromMs)) {
    if (end - start >= remaining) return new Date(start + remaining);
    remaining -= end - start;
  }
  throw new Error("unreachable: business spans never end without throwing");
}

/** `at` if it is within business hours, otherwise the next opening; throws NoBusinessTimeError if there is none. */
export function nextBusinessMoment(calendar: BusinessCalendar, at: Date): Date {
  const atMs = instantMs(at, "at");
  for (const [start] of businessSpans(compile(calendar), atMs)) return new Date(start);
  throw new Error("unreachable: business spans never end without throwing");
}

/** The business intervals clipped to [from, to), merged where they touch, in order. */
export function businessIntervals(calendar: BusinessCalendar, from: Date, to: Date): Iterable<[Date, Date]> {
  const fromMs = instantMs(from, "from");
  const toMs = instantMs(to, "to");
  const compiled = compile(calendar);
  return (function* () {
    if (toMs <= fromMs) return;
    let current: Span | undefined;
    for (const [start, end] of businessSpans(compiled, fromMs, toMs)) {
      if (current && start <= current[1]) {
        current[1] = end;
        continue;
      }
      if (current) yield [new Date(current[0]), new Date(current[1])] as [Date, Date];
      current = [start, end];
    }
    if (current) yield [new Date(current[0]), new Date(current[1])] as [Date, Date];
  })();
}

const weekdayNames = ["", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

function formatMinute(minute: number, isEnd: boolean): string {
  const inDay = isEnd && minute === minutesPerDay ? minutesPerDay : minute % minutesPerDay;
  return `${String(Math.floor(inDay / 60)).padStart(2, "0")}:${String(inDay % 60).padStart(2, "0")}`;
}

/** One line for the UI, e.g. "Mon–Fri 09:00–12:00, 13:00–17:30 (Europe/London)"; consecutive equal days are joined. */
export function describeCalendar(calendar: BusinessCalendar): string {
  const compiled = compile(calendar);
  const hoursByDay = compiled.spansByWeekday.map((spans) =>
    spans.map(([start, end]) => `${formatMinute(start, false)}–${formatMinute(end, true)}`).join(", "),
  );
  const groups: string[] = [];
  let day = 1;
  while (day <= 7) {
    const hours = hoursByDay[day];
    let last = day;
    while (last < 7 && hoursByDay[last + 1] === hours) last++;
    if (hours) {
      const days = last === day ? weekdayNames[day] : `${weekdayNames[day]}–${weekdayNames[last]}`;
      groups.push(`${days} ${hours}`);
    }
    day = last + 1;
  }
  const holidayCount = compiled.holidayDays.size;
  const holidays = holidayCount === 0 ? "" : `, ${holidayCount} holiday${holidayCount === 1 ? "" : "s"}`;
  return `${groups.join("; ")} (${compiled.timezone}${holidays})`;
}
