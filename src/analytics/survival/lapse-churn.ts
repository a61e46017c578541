/**
 * Churn seen through purchases. A customer has churned once `lapseDays` pass without an order; the churn is dated
 * when the lapse completes (last order + lapseDays), the first moment the data can tell. For survival analysis
 * from an exposure (a ticket, a survey answer) at `start`, this gives the time to the first churn after it.
 */
export type LapseOutcome =
  /** Already lapsed (or never bought) at the start: not at risk, leave out. */
  { atRisk: false } | { atRisk: true; duration: number; event: boolean };

/**
 * `orderDays`: the customer's order times in days, ascending. Returns the time from `start` to the first completed
 * lapse after it (event), or to `now` when none has completed yet (censored).
 */
export function lapseChurnAfter(
  orderDays: readonly number[],
  start: number,
  now: number,
  lapseDays: number,
): LapseOutcome {
  if (!(lapseDays > 0)) throw new RangeError("lapseDays must be positive");
  let previous = Number.NEGATIVE_INFINITY;
  let k = 0;
  for (; k < orderDays.length && orderDays[k] <= start; k++) previous = orderDays[k];
  if (previous === Number.NEGATIVE_INFINITY || start - previous >= lapseDays) return { atRisk: false };
  for (; k < orderDays.length; k++) {
    const order = orderDays[k];
    if (order - previous >= lapseDays) return lapsedAt(previous + lapseDays, start, now);
    previous = order;
  }
  if (now - previous >= lapseDays) return lapsedAt(previous + lapseDays, start, now);
  return { atRisk: true, duration: Math.max(0, now - start), event: false };
}

function lapsedAt(churn: number, start: number, now: number): LapseOutcome {
  if (churn > now) return { atRisk: true, duration: Math.max(0, now - start), event: false };
  return { atRisk: true, duration: churn - start, event: true };
}
