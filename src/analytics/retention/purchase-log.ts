/** One counted purchase: who, on which UTC day (days since 1970-01-01) and its net amount in minor units. */
export interface Purchase {
  customerId: string;
  day: number;
  amountMinor: number;
}

export type RetentionPeriod = "month" | "quarter";

const MS_PER_DAY = 86_400_000;

/** The UTC day number of an instant. */
export function dayOf(date: Date): number {
  return Math.floor(date.getTime() / MS_PER_DAY);
}

/** The calendar day of a UTC day number, as yyyy-mm-dd. */
export function isoDayOf(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Months or quarters since year 0, so consecutive periods differ by one. */
export function periodIndexOf(day: number, period: RetentionPeriod): number {
  const date = new Date(day * MS_PER_DAY);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  return period === "month" ? year * 12 + month : year * 4 + Math.floor(month / 3);
}

/** "2026-03" for a month, "2026-Q1" for a quarter. */
export function periodLabel(index: number, period: RetentionPeriod): string {
  if (period === "month") return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`;
  return `${Math.floor(index / 4)}-Q${(index % 4) + 1}`;
}

/** First UTC day of a period. */
export function periodStartDay(index: number, period: RetentionPeriod): number {
  const year = period === "month" ? Math.floor(index / 12) : Math.floor(index / 4);
  const month = period === "month" ? index % 12 : (index % 4) * 3;
  return Date.UTC(year, month, 1) / MS_PER_DAY;
}

/** Last UTC day of a period. */
export function periodEndDay(index: number, period: RetentionPeriod): number {
  return periodStartDay(index + 1, period) - 1;
}

/** Purchases of each customer, sorted by day. */
export function purchasesByCustomer(purchases: readonly Purchase[]): Map<string, Purchase[]> {
  const byCustomer = new Map<string, Purchase[]>();
  for (const p of purchases) {
    let list = byCustomer.get(p.customerId);
    if (list === undefined) {
      list = [];
      byCustomer.set(p.customerId, list);
    }
    list.push(p);
  }
  for (const list of byCustomer.values()) list.sort((a, b) => a.day - b.day);
  return byCustomer;
}

/**
 * The q-quantile of sorted values by linear interpolation between order statistics (R's type 7, numpy's default):
 * h = (n - 1) q, x[floor h] + (h - floor h)(x[floor h + 1] - x[floor h]). Null for no values.
 */
export function quantileSorted(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** Mean, or null for no values. */
export function meanOf(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  let total = 0;
  for (const v of values) total += v;
  return total / values.length;
}

/** A round bin width: 1, 2 or 5 times a power of ten, at least `raw`. */
export function niceWidth(raw: number): number {
  if (!(raw > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  const m = raw / power;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * power;
}
