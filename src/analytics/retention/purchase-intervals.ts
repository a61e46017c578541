import { meanOf, type Purchase, purchasesByCustomer, quantileSorted } from "./purchase-log.ts";

export interface IntervalBin {
  label: string;
  fromDays: number;
  /** Exclusive upper bound; null for the last, open bin. */
  toDays: number | null;
  count: number;
}

export interface PurchaseIntervals {
  customers: number;
  /** Customers who bought on at least two different days. */
  repeatCustomers: number;
  /** repeatCustomers / customers; null without customers. */
  repeatPurchaseRate: number | null;
  /** Distinct purchase days per customer, on average. */
  meanPurchaseDays: number | null;
  /** Gaps between consecutive purchase days of the same customer. */
  intervals: {
    count: number;
    meanDays: number | null;
    p25Days: number | null;
    medianDays: number | null;
    p75Days: number | null;
  };
  /** Gaps to the second purchase only: how long new customers take to come back. */
  firstRepeat: { count: number; medianDays: number | null };
  histogram: IntervalBin[];
}

export const PURCHASE_INTERVAL_DEFINITIONS = {
  purchaseDay:
    "Purchases are counted as purchase days: several orders by one customer on the same UTC day count once.",
  repeatPurchaseRate:
    "Repeat purchase rate = customers with purchases on at least two different days / all customers with a purchase.",
  interval:
    "Time between purchases = days between consecutive purchase days of the same customer, pooled over all customers.",
  quantiles:
    "Median, p25 and p75 interpolate linearly between the sorted gaps (the common 'type 7' definition).",
  firstRepeat: "Time to second purchase = days from a customer's first purchase day to their second.",
} as const;

const BIN_EDGES = [1, 8, 15, 31, 61, 91, 181, 366];

/** Repeat purchase rate and the distribution of days between a customer's consecutive purchase days. */
export function purchaseIntervals(purchases: readonly Purchase[]): PurchaseIntervals {
  const gaps: number[] = [];
  const firstGaps: number[] = [];
  let repeatCustomers = 0;
  let purchaseDays = 0;
  const byCustomer = purchasesByCustomer(purchases);
  for (const list of byCustomer.values()) {
    let previous: number | undefined;
    let days = 0;
    for (const p of list) {
      if (p.day === previous) continue;
      if (previous !== undefined) {
        gaps.push(p.day - previous);
        if (days === 1) firstGaps.push(p.day - previous);
      }
      previous = p.day;
      days++;
    }
    purchaseDays += days;
    if (days >= 2) repeatCustomers++;
  }
  gaps.sort((a, b) => a - b);
  firstGaps.sort((a, b) => a - b);
  const histogram: IntervalBin[] = BIN_EDGES.map((from, i) => {
    const to = i + 1 < BIN_EDGES.length ? BIN_EDGES[i + 1] : null;
    return {
      label: to === null ? `${from}+ days` : `${from}–${to - 1} days`,
      fromDays: from,
      toDays: to,
      count: 0,
    };
  });
  for (const gap of gaps) {
    let bin = BIN_EDGES.length - 1;
    while (bin > 0 && gap < BIN_EDGES[bin]) bin--;
    histogram[bin].count++;
  }
  const customers = byCustomer.size;
  return {
    customers,
    repeatCustomers,
    repeatPurchaseRate: customers > 0 ? repeatCustomers / customers : null,
    meanPurchaseDays: customers > 0 ? purchaseDays / customers : null,
    intervals: {
      count: gaps.length,
      meanDays: meanOf(gaps),
      p25Days: quantileSorted(gaps, 0.25),
      medianDays: quantileSorted(gaps, 0.5),
      p75Days: quantileSorted(gaps, 0.75),
    },
    firstRepeat: { count: firstGaps.length, medianDays: quantileSorted(firstGaps, 0.5) },
    histogram,
  };
}
