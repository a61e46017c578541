import { type Purchase, periodIndexOf, periodLabel } from "./purchase-log.ts";

/** One first-purchase month: its size and how many of its customers bought again k months later. */
export interface CohortRow {
  /** First-purchase month, "2026-03". */
  cohort: string;
  customers: number;
  /** counts[k]: cohort customers with a purchase in month cohort + k (counts[0] = customers). */
  counts: number[];
  /** shares[k] = counts[k] / customers. */
  shares: number[];
  /** Net revenue of the cohort in month cohort + k, minor units. */
  revenueMinor: number[];
}

export const COHORT_DEFINITIONS = {
  cohort: "A cohort is the customers whose first purchase ever fell in that calendar month (UTC).",
  counts:
    "Month k of a cohort counts its customers with at least one purchase in the k-th calendar month after the cohort month (month 0 is the cohort month, so it holds every customer).",
  shares: "Share = the month's count / the cohort's size.",
} as const;

/**
 * Cohort retention matrix by first-purchase month. Each row runs from its cohort month to `lastDay`'s month, so
 * later cohorts have shorter rows (a triangle). Only cohorts whose month lies in [fromDay, toDay] are returned.
 */
export function cohortRetention(
  purchases: readonly Purchase[],
  options: { lastDay: number; fromDay?: number; toDay?: number },
): { months: number; rows: CohortRow[] } {
  const firstMonth = new Map<string, number>();
  for (const p of purchases) {
    const month = periodIndexOf(p.day, "month");
    const first = firstMonth.get(p.customerId);
    if (first === undefined || month < first) firstMonth.set(p.customerId, month);
  }
  const lastMonth = periodIndexOf(options.lastDay, "month");
  const fromMonth =
    options.fromDay === undefined ? Number.NEGATIVE_INFINITY : periodIndexOf(options.fromDay, "month");
  const toMonth = options.toDay === undefined ? lastMonth : periodIndexOf(options.toDay, "month");
  const cohorts = new Map<number, { customers: number; active: Set<string>[]; revenue: number[] }>();
  for (const month of new Set(firstMonth.values())) {
    if (month < fromMonth || month > toMonth || month > lastMonth) continue;
    const length = lastMonth - month + 1;
    cohorts.set(month, {
      customers: 0,
      active: Array.from({ length }, () => new Set<string>()),
      revenue: new Array<number>(length).fill(0),
    });
  }
  for (const [, month] of firstMonth) {
    const cohort = cohorts.get(month);
    if (cohort) cohort.customers++;
  }
  for (const p of purchases) {
    const cohortMonth = firstMonth.get(p.customerId) as number;
    const cohort = cohorts.get(cohortMonth);
    const k = periodIndexOf(p.day, "month") - cohortMonth;
    if (cohort === undefined || k >= cohort.active.length) continue;
    cohort.active[k].add(p.customerId);
    cohort.revenue[k] += p.amountMinor;
  }
  const rows = [...cohorts.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([month, cohort]) => {
      const counts = cohort.active.map((set) => set.size);
      return {
        cohort: periodLabel(month, "month"),
        customers: cohort.customers,
        counts,
        shares: counts.map((n) => n / cohort.customers),
        revenueMinor: cohort.revenue,
      };
    });
  return { months: rows.reduce((max, row) => Math.max(max, row.counts.length), 0), rows };
}
