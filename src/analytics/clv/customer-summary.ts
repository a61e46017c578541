/** One purchase in a transaction log. `date` is read as a UTC calendar day; amounts in any unit (e.g. dollars). */
export interface Transaction {
  customerId: string;
  date: Date;
  amount: number;
}

export type SummaryTimeUnit = "day" | "week";

/** Repeat-purchase summary of one customer over a calibration period (the input of BG/NBD, Pareto/NBD, Gamma-Gamma). */
export interface CustomerSummary {
  customerId: string;
  /** Repeat purchase days: purchase days after the first one, up to the calibration end. */
  x: number;
  /** Time from the first purchase day to the last purchase day in the period ("recency"). */
  tx: number;
  /** Time from the first purchase day to the calibration end ("age"). */
  T: number;
  /** Mean value of the repeat purchase days with a value above zero; 0 when there is none. */
  meanRepeatValue: number;
  /** How many repeat purchase days have a value above zero (the x of Gamma-Gamma). */
  valuedRepeatCount: number;
}

export interface SummaryOptions {
  /** Last day of the calibration period (inclusive). Defaults to the last transaction day. */
  calibrationEnd?: Date;
  timeUnit: SummaryTimeUnit;
}

const MS_PER_DAY = 86_400_000;
const DAYS_PER_UNIT: Record<SummaryTimeUnit, number> = { day: 1, week: 7 };

function utcDayNumber(date: Date): number {
  return Math.floor(date.getTime() / MS_PER_DAY);
}

/**
 * Summarises a transaction log per customer for the calibration period.
 * Same-day purchases are merged into one purchase day (amounts summed); transactions after the calibration
 * end are ignored and customers whose first purchase falls after it are left out. Zero-value repeat days count
 * as purchases in x but not in the mean repeat value (Gamma-Gamma models positive spend).
 * Customers come back in order of first appearance in the log.
 */
export function summarizeTransactions(
  transactions: readonly Transaction[],
  options: SummaryOptions,
): CustomerSummary[] {
  const unit = DAYS_PER_UNIT[options.timeUnit];
  let endDay =
    options.calibrationEnd === undefined ? Number.NEGATIVE_INFINITY : utcDayNumber(options.calibrationEnd);
  if (options.calibrationEnd === undefined) {
    for (const t of transactions) endDay = Math.max(endDay, utcDayNumber(t.date));
  }
  const days = new Map<string, Map<number, number>>();
  for (const t of transactions) {
    if (!Number.isFinite(t.amount))
      throw new RangeError(`amount of customer ${t.customerId} is not a number`);
    const day = utcDayNumber(t.date);
    if (day > endDay) continue;
    let perDay = days.get(t.customerId);
    if (perDay === undefined) {
      perDay = new Map();
      days.set(t.customerId, perDay);
    }
    perDay.set(day, (perDay.get(day) ?? 0) + t.amount);
  }
  const summaries: CustomerSummary[] = [];
  for (const [customerId, perDay] of days) {
    const sorted = [...perDay.keys()].sort((p, q) => p - q);
    const first = sorted[0];
    const last = sorted[sorted.length - 1];
    let valueSum = 0;
    let valued = 0;
    for (let i = 1; i < sorted.length; i++) {
      const value = perDay.get(sorted[i]) ?? 0;
      if (value > 0) {
        valueSum += value;
        valued++;
      }
    }
    summaries.push({
      customerId,
      x: sorted.length - 1,
      tx: (last - first) / unit,
      T: (endDay - first) / unit,
      meanRepeatValue: valued > 0 ? valueSum / valued : 0,
      valuedRepeatCount: valued,
    });
  }
  return summaries;
}
