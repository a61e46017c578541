/**
 * The line an offline visitor reads about when to expect the answer: "by Tuesday 10:00" when Tend knows (from
 * its SLA targets), "as soon as we can" when it does not.
 */
export function describeExpectedReply(expected: Date | null, now: Date, locale?: string): string {
  if (!expected || Number.isNaN(expected.getTime()) || expected.getTime() <= now.getTime()) {
    return "We'll reply by email as soon as we can.";
  }
  const time = new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit" }).format(expected);
  const sameDay = expected.toDateString() === now.toDateString();
  if (sameDay) return `We'll reply by email by ${time} today.`;
  const days = (expected.getTime() - now.getTime()) / 86_400_000;
  const day =
    days < 6
      ? new Intl.DateTimeFormat(locale, { weekday: "long" }).format(expected)
      : new Intl.DateTimeFormat(locale, { weekday: "long", day: "numeric", month: "long" }).format(expected);
  return `We'll reply by email by ${day} ${time}.`;
}
