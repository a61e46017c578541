import {
  meanOf,
  niceWidth,
  type Purchase,
  periodIndexOf,
  periodLabel,
  quantileSorted,
} from "./purchase-log.ts";

export interface ValueBin {
  fromMinor: number;
  /** Exclusive upper bound; null for the last, open bin. */
  toMinor: number | null;
  count: number;
}

export interface CohortValue {
  cohort: string;
  customers: number;
  revenueMinor: number;
  meanMinor: number;
  medianMinor: number;
}

export interface HistoricalValue {
  customers: number;
  totalMinor: number;
  meanMinor: number | null;
  medianMinor: number | null;
  p90Minor: number | null;
  histogram: ValueBin[];
  byCohort: CohortValue[];
}

export const HISTORICAL_VALUE_DEFINITIONS = {
  lifetimeValue:
    "Historical lifetime value = a customer's net revenue to date: the sum of their counted orders (minor units). It is what they have spent, not a prediction.",
  quantiles: "Median and p90 interpolate linearly between the sorted customer values.",
  histogram:
    "The histogram has ten equal-width bins up to the 99th percentile rounded up to a round number; the last bin holds everything above.",
  byCohort: "By cohort groups customers by the month of their first purchase.",
} as const;

const BINS = 10;

/** Net revenue to date per customer: its distribution, and the mean and median by first-purchase month. */
export function historicalValue(purchases: readonly Purchase[]): HistoricalValue {
  const perCustomer = new Map<string, { value: number; firstDay: number }>();
  for (const p of purchases) {
    const c = perCustomer.get(p.customerId);
    if (c === undefined) perCustomer.set(p.customerId, { value: p.amountMinor, firstDay: p.day });
    else {
      c.value += p.amountMinor;
      c.firstDay = Math.min(c.firstDay, p.day);
    }
  }
  const values = [...perCustomer.values()].map((c) => c.value).sort((a, b) => a - b);
  const total = values.reduce((sum, v) => sum + v, 0);
  const p99 = quantileSorted(values, 0.99) ?? 0;
  const width = niceWidth(p99 / BINS);
  const histogram: ValueBin[] = Array.from({ length: BINS + 1 }, (_, i) => ({
    fromMinor: i * width,
    toMinor: i < BINS ? (i + 1) * width : null,
    count: 0,
  }));
  for (const v of values) histogram[Math.max(0, Math.min(BINS, Math.floor(v / width)))].count++;
  const cohorts = new Map<number, number[]>();
  for (const c of perCustomer.values()) {
    const month = periodIndexOf(c.firstDay, "month");
    const list = cohorts.get(month);
    if (list) list.push(c.value);
    else cohorts.set(month, [c.value]);
  }
  const byCohort = [...cohorts.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([month, list]) => {
      list.sort((a, b) => a - b);
      return {
        cohort: periodLabel(month, "month"),
        customers: list.length,
        revenueMinor: list.reduce((sum, v) => sum + v, 0),
        meanMinor: meanOf(list) as number,
        medianMinor: quantileSorted(list, 0.5) as number,
      };
    });
  return {
    customers: values.length,
    totalMinor: total,
    meanMinor: meanOf(values),
    medianMinor: quantileSorted(values, 0.5),
    p90Minor: quantileSorted(values, 0.9),
    histogram,
    byCohort,
  };
}
