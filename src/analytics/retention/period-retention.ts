import {
  isoDayOf,
  type Purchase,
  periodEndDay,
  periodIndexOf,
  periodLabel,
  periodStartDay,
  type RetentionPeriod,
} from "./purchase-log.ts";

/** Customer and revenue retention from one period to the next. */
export interface PeriodRetention {
  /** "2026-03" or "2026-Q1". */
  period: string;
  start: string;
  end: string;
  /** The period had not ended on the as-of day: its figures will still grow. */
  partial: boolean;
  /** Customers with at least one purchase in the period. */
  activeCustomers: number;
  /** Active customers whose first purchase ever is in the period. */
  newCustomers: number;
  /** Active customers who had bought before, but not in the previous period. */
  reactivatedCustomers: number;
  /** Customers active in the previous period: the base the rates are measured against. */
  previousCustomers: number;
  /** Customers active in both the previous period and this one. */
  retainedCustomers: number;
  /** retainedCustomers / previousCustomers; null without a base. */
  customerRetentionRate: number | null;
  /** 1 - customerRetentionRate. */
  customerChurnRate: number | null;
  /** Net revenue of the period, all customers. */
  revenueMinor: number;
  /** Net revenue of the previous period's customers in the previous period. */
  previousRevenueMinor: number;
  /** Net revenue of the previous period's customers in this period. */
  retainedRevenueMinor: number;
  /** Σ min(this, previous) over the previous period's customers / previousRevenueMinor. */
  grossRevenueRetention: number | null;
  /** retainedRevenueMinor / previousRevenueMinor. */
  netRevenueRetention: number | null;
  /** 1 - grossRevenueRetention. */
  revenueChurnRate: number | null;
}

export const PERIOD_RETENTION_DEFINITIONS = {
  activeCustomer: "A customer is active in a period when they made at least one counted purchase in it.",
  customerRetentionRate:
    "Customer retention rate of a period = customers active in both the previous period and this one / customers active in the previous period.",
  customerChurnRate: "Customer churn rate = 1 - customer retention rate.",
  grossRevenueRetention:
    "Gross revenue retention (GRR) = sum over the previous period's customers of min(their revenue this period, their revenue last period) / the previous period's customers' revenue last period. Expansion is not counted, so GRR is at most 100 %.",
  netRevenueRetention:
    "Net revenue retention (NRR) = revenue this period from the previous period's customers / their revenue last period. Expansion counts, so NRR can exceed 100 %; new customers do not count.",
  revenueChurnRate: "Revenue churn rate = 1 - gross revenue retention.",
  newCustomers: "New customers made their first purchase ever in the period.",
  reactivatedCustomers:
    "Reactivated customers are active in the period, had bought before, but not in the previous period.",
  partial: "A partial period had not ended on the as-of day; its rates will still rise.",
} as const;

/**
 * Customer and revenue retention per month or quarter, each period against the one before. All purchases are
 * used (a customer's first purchase before `fromDay` still makes them returning); only periods overlapping
 * [fromDay, toDay] are reported, from the first purchase's period to the last purchase's (or `toDay`'s).
 */
export function retentionByPeriod(
  purchases: readonly Purchase[],
  options: { period: RetentionPeriod; asOfDay: number; fromDay?: number; toDay?: number },
): PeriodRetention[] {
  const { period } = options;
  if (purchases.length === 0) return [];
  const revenueByPeriod = new Map<number, Map<string, number>>();
  const firstPeriod = new Map<string, number>();
  let minIndex = Number.POSITIVE_INFINITY;
  let maxIndex = Number.NEGATIVE_INFINITY;
  for (const p of purchases) {
    const index = periodIndexOf(p.day, period);
    minIndex = Math.min(minIndex, index);
    maxIndex = Math.max(maxIndex, index);
    let revenue = revenueByPeriod.get(index);
    if (revenue === undefined) {
      revenue = new Map();
      revenueByPeriod.set(index, revenue);
    }
    revenue.set(p.customerId, (revenue.get(p.customerId) ?? 0) + p.amountMinor);
    const first = firstPeriod.get(p.customerId);
    if (first === undefined || index < first) firstPeriod.set(p.customerId, index);
  }
  const from = Math.max(
    minIndex,
    options.fromDay === undefined ? minIndex : periodIndexOf(options.fromDay, period),
  );
  const to = options.toDay === undefined ? maxIndex : periodIndexOf(options.toDay, period);
  const empty = new Map<string, number>();
  const rows: PeriodRetention[] = [];
  for (let index = from; index <= to; index++) {
    const current = revenueByPeriod.get(index) ?? empty;
    const previous = revenueByPeriod.get(index - 1) ?? empty;
    let newCustomers = 0;
    let reactivated = 0;
    let revenue = 0;
    for (const [customer, amount] of current) {
      revenue += amount;
      if (firstPeriod.get(customer) === index) newCustomers++;
      else if (!previous.has(customer)) reactivated++;
    }
    let retained = 0;
    let previousRevenue = 0;
    let retainedRevenue = 0;
    let grossRetainedRevenue = 0;
    for (const [customer, before] of previous) {
      previousRevenue += before;
      const now = current.get(customer);
      if (now === undefined) continue;
      retained++;
      retainedRevenue += now;
      grossRetainedRevenue += Math.min(now, before);
    }
    const customerRetentionRate = previous.size > 0 ? retained / previous.size : null;
    const grossRevenueRetention = previousRevenue > 0 ? grossRetainedRevenue / previousRevenue : null;
    rows.push({
      period: periodLabel(index, period),
      start: isoDayOf(periodStartDay(index, period)),
      end: isoDayOf(periodEndDay(index, period)),
      partial: periodEndDay(index, period) >= options.asOfDay,
      activeCustomers: current.size,
      newCustomers,
      reactivatedCustomers: reactivated,
      previousCustomers: previous.size,
      retainedCustomers: retained,
      customerRetentionRate,
      customerChurnRate: customerRetentionRate === null ? null : 1 - customerRetentionRate,
      revenueMinor: revenue,
      previousRevenueMinor: previousRevenue,
      retainedRevenueMinor: retainedRevenue,
      grossRevenueRetention,
      netRevenueRetention: previousRevenue > 0 ? retainedRevenue / previousRevenue : null,
      revenueChurnRate: grossRevenueRetention === null ? null : 1 - grossRevenueRetention,
    });
  }
  return rows;
}
