import { DateTime } from "luxon";
import {
  addBusinessMs,
  type BusinessCalendar,
  businessMsBetween,
  nextBusinessMoment,
} from "../sla/business-hours.ts";

// The rules for when Tend may write to a customer, as pure functions: the contact budget, opt-outs, and when a
// relationship NPS survey is due. Services feed them what the database says.

const dayMs = 86_400_000;

/** At most `maxMessages` survey and follow-up mails to one customer in any `periodDays` days. */
export type ContactBudget = { maxMessages: number; periodDays: number };

/** How many mails the budget still allows at `now`, given when the earlier ones were sent (or queued). */
export function remainingContactBudget(previous: readonly Date[], now: Date, budget: ContactBudget): number {
  const windowStart = now.getTime() - budget.periodDays * dayMs;
  const used = previous.filter((at) => at.getTime() > windowStart && at.getTime() <= now.getTime()).length;
  return Math.max(0, budget.maxMessages - used);
}

export type ContactSkipReason = "opted_out" | "no_address" | "contact_budget";

export type ContactDecision = { send: true } | { send: false; reason: ContactSkipReason };

/**
 * Whether a survey or follow-up may go to a customer: never after an opt-out for its purpose; by mail only with an
 * address and within the contact budget. Prompts in the chat widget and API sends are not mail, so only the
 * opt-out applies to them.
 */
export function decideContact(input: {
  optedOut: boolean;
  channel: "email" | "chat" | "api";
  hasAddress: boolean;
  previousMails: readonly Date[];
  now: Date;
  budget: ContactBudget;
}): ContactDecision {
  if (input.optedOut) return { send: false, reason: "opted_out" };
  if (input.channel !== "email") return { send: true };
  if (!input.hasAddress) return { send: false, reason: "no_address" };
  if (remainingContactBudget(input.previousMails, input.now, input.budget) < 1) {
    return { send: false, reason: "contact_budget" };
  }
  return { send: true };
}

export type NpsCadenceMonths = 3 | 6 | 12;

/** Days of one cadence cycle, for spreading first surveys over it. */
export function cadenceDays(months: NpsCadenceMonths): number {
  return months === 3 ? 91 : months === 6 ? 182 : 365;
}

/** A stable number in [0, 1) per customer (Knuth's multiplicative hash), so each gets their own send time. */
export function customerFraction(customerId: number): number {
  return (Math.imul(customerId, 2_654_435_761) >>> 0) / 2 ** 32;
}

export type RelationshipNpsInput = {
  customerId: number;
  /** When relationship NPS was switched on, or when the customer arrived if later. */
  anchor: Date;
  lastNpsAt: Date | null;
  /** The customer's last survey or follow-up of any kind. */
  lastSurveyAt: Date | null;
  cadenceMonths: NpsCadenceMonths;
  minDaysBetweenSurveys: number;
  calendar: BusinessCalendar;
};

/**
 * When a customer's next relationship NPS survey is due. Every `cadenceMonths` after the last one; the first one
 * falls on the customer's own day of the first cycle after `anchor` (customer id modulo the cycle's days), so
 * switching NPS on spreads the first wave over a whole cycle instead of mailing everyone at once. Never sooner
 * than `minDaysBetweenSurveys` after any other survey. The time of day is the customer's own point in that day's
 * business hours, so sends spread over working hours. Independent of "now": every sweep computes the same time.
 */
export function nextRelationshipNpsAt(input: RelationshipNpsInput): Date {
  const zone = input.calendar.timezone;
  let earliest = input.anchor.getTime();
  if (input.lastSurveyAt) {
    earliest = Math.max(earliest, input.lastSurveyAt.getTime() + input.minDaysBetweenSurveys * dayMs);
  }
  if (input.lastNpsAt) {
    const next = DateTime.fromJSDate(input.lastNpsAt, { zone }).plus({ months: input.cadenceMonths });
    earliest = Math.max(earliest, next.toMillis());
  } else {
    const cycle = cadenceDays(input.cadenceMonths);
    const anchorDay = DateTime.fromJSDate(input.anchor, { zone }).startOf("day");
    const phase = (((input.customerId - Math.floor(anchorDay.toMillis() / dayMs)) % cycle) + cycle) % cycle;
    earliest = Math.max(earliest, anchorDay.plus({ days: phase }).toMillis());
  }
  return businessSlotFrom(input.calendar, new Date(earliest), customerFraction(input.customerId));
}

/**
 * The first working-day slot at or after `earliest`: on each local date, the instant `fraction` of the way through
 * that date's business hours. A date whose slot has passed (or with no business hours) moves to the next one.
 */
export function businessSlotFrom(calendar: BusinessCalendar, earliest: Date, fraction: number): Date {
  let day = DateTime.fromJSDate(earliest, { zone: calendar.timezone }).startOf("day");
  for (let i = 0; i < 60; i++) {
    const start = day.toJSDate();
    const end = day.plus({ days: 1 }).toJSDate();
    const open = businessMsBetween(calendar, start, end);
    if (open > 0) {
      const slot = addBusinessMs(calendar, start, Math.floor(open * fraction));
      // addBusinessMs lands on an interval's end when the offset exactly fills a span; move onto the next opening.
      const inHours = nextBusinessMoment(calendar, slot);
      if (inHours.getTime() >= earliest.getTime() && inHours.getTime() < end.getTime()) return inHours;
    }
    day = day.plus({ days: 1 });
  }
  return nextBusinessMoment(calendar, earliest);
}

/** When a purchase check-in goes out: `days` after the order was placed or delivered, at the next business moment. */
export function checkInDueAt(calendar: BusinessCalendar, basisAt: Date, days: number): Date {
  return nextBusinessMoment(calendar, new Date(basisAt.getTime() + days * dayMs));
}
