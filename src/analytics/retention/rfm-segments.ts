import type { Purchase } from "./purchase-log.ts";

export const RFM_SEGMENTS = [
  "champions",
  "loyal",
  "potential_loyalists",
  "new",
  "promising",
  "need_attention",
  "about_to_sleep",
  "at_risk",
  "cant_lose",
  "hibernating",
  "lost",
] as const;
export type RfmSegment = (typeof RFM_SEGMENTS)[number];

/** Which (R, F) score cells make up each segment, and what it means. */
export const RFM_SEGMENT_MAP: Record<
  RfmSegment,
  { label: string; recency: number[]; frequency: number[]; meaning: string }
> = {
  champions: { label: "Champions", recency: [5], frequency: [4, 5], meaning: "bought recently and often" },
  loyal: { label: "Loyal", recency: [3, 4], frequency: [4, 5], meaning: "buy often, fairly recently" },
  potential_loyalists: {
    label: "Potential loyalists",
    recency: [4, 5],
    frequency: [2, 3],
    meaning: "recent customers with a few purchases",
  },
  new: { label: "New", recency: [5], frequency: [1], meaning: "first purchase very recently" },
  promising: { label: "Promising", recency: [4], frequency: [1], meaning: "recent single purchase" },
  need_attention: {
    label: "Need attention",
    recency: [3],
    frequency: [3],
    meaning: "average recency and frequency",
  },
  about_to_sleep: {
    label: "About to sleep",
    recency: [3],
    frequency: [1, 2],
    meaning: "few purchases, going quiet",
  },
  at_risk: {
    label: "At risk",
    recency: [1, 2],
    frequency: [3, 4],
    meaning: "bought often, but long ago",
  },
  cant_lose: {
    label: "Can't lose",
    recency: [1, 2],
    frequency: [5],
    meaning: "among the most frequent buyers, but long ago",
  },
  hibernating: {
    label: "Hibernating",
    recency: [2],
    frequency: [1, 2],
    meaning: "few purchases, long ago",
  },
  lost: { label: "Lost", recency: [1], frequency: [1, 2], meaning: "few purchases, longest ago" },
};

const SEGMENT_BY_CELL: RfmSegment[] = (() => {
  const cells: RfmSegment[] = new Array(25);
  for (const segment of RFM_SEGMENTS) {
    for (const r of RFM_SEGMENT_MAP[segment].recency)
      for (const f of RFM_SEGMENT_MAP[segment].frequency) cells[(r - 1) * 5 + (f - 1)] = segment;
  }
  return cells;
})();

/** The named segment of an (R, F) score pair, each 1-5. */
export function rfmSegmentOf(r: number, f: number): RfmSegment {
  return SEGMENT_BY_CELL[(r - 1) * 5 + (f - 1)];
}

export interface CustomerRfm {
  customerId: string;
  /** Days from the last purchase to the as-of day. */
  recencyDays: number;
  /** Distinct purchase days. */
  frequency: number;
  /** Net revenue, minor units. */
  monetaryMinor: number;
  r: number;
  f: number;
  m: number;
  segment: RfmSegment;
}

export interface RfmSegmentSummary {
  segment: RfmSegment;
  label: string;
  meaning: string;
  customers: number;
  revenueMinor: number;
  customerShare: number;
  revenueShare: number | null;
}

export const RFM_DEFINITIONS = {
  recency: "Recency = days from the customer's last purchase to the as-of day (lower is better).",
  frequency: "Frequency = the customer's distinct purchase days.",
  monetary: "Monetary = the customer's net revenue (counted orders, minor units).",
  scores:
    "Each of R, F and M is scored 1-5 by quintile among all customers: score = 1 + floor(5 × customers with a strictly worse value / all customers), so equal values share a score and 5 is best.",
  segments:
    "Segments follow the standard RFM map over the R and F scores: champions R5 F4-5; loyal R3-4 F4-5; potential loyalists R4-5 F2-3; new R5 F1; promising R4 F1; need attention R3 F3; about to sleep R3 F1-2; at risk R1-2 F3-4; can't lose R1-2 F5; hibernating R2 F1-2; lost R1 F1-2. M is reported, not used for the segment.",
} as const;

/** Quintile score 1-5 for each value; `better(a, b)` is true when a is strictly better than b. */
function quintileScores(values: readonly number[], higherIsBetter: boolean): number[] {
  const n = values.length;
  const sorted = [...values].sort((a, b) => a - b);
  // Customers strictly worse than v: below it when higher is better, above it otherwise.
  const countBelow = (v: number) => {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const countAbove = (v: number) => {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid] <= v) lo = mid + 1;
      else hi = mid;
    }
    return n - lo;
  };
  return values.map((v) => 1 + Math.floor((5 * (higherIsBetter ? countBelow(v) : countAbove(v))) / n));
}

/** Recency, frequency and monetary value per customer as of a day, scored 1-5 and named by segment. */
export function scoreRfm(purchases: readonly Purchase[], asOfDay: number): CustomerRfm[] {
  const byCustomer = new Map<string, { last: number; days: Set<number>; revenue: number }>();
  for (const p of purchases) {
    if (p.day > asOfDay) continue;
    let c = byCustomer.get(p.customerId);
    if (c === undefined) {
      c = { last: p.day, days: new Set(), revenue: 0 };
      byCustomer.set(p.customerId, c);
    }
    c.last = Math.max(c.last, p.day);
    c.days.add(p.day);
    c.revenue += p.amountMinor;
  }
  const ids = [...byCustomer.keys()];
  const recency = ids.map((id) => asOfDay - (byCustomer.get(id)?.last ?? asOfDay));
  const frequency = ids.map((id) => byCustomer.get(id)?.days.size ?? 0);
  const monetary = ids.map((id) => byCustomer.get(id)?.revenue ?? 0);
  const r = quintileScores(recency, false);
  const f = quintileScores(frequency, true);
  const m = quintileScores(monetary, true);
  return ids.map((customerId, i) => ({
    customerId,
    recencyDays: recency[i],
    frequency: frequency[i],
    monetaryMinor: monetary[i],
    r: r[i],
    f: f[i],
    m: m[i],
    segment: rfmSegmentOf(r[i], f[i]),
  }));
}

/** Customers and revenue per segment, every segment listed (empty ones with zeros) in map order. */
export function summarizeRfmSegments(customers: readonly CustomerRfm[]): RfmSegmentSummary[] {
  const totals = new Map<RfmSegment, { customers: number; revenue: number }>(
    RFM_SEGMENTS.map((s) => [s, { customers: 0, revenue: 0 }]),
  );
  let revenue = 0;
  for (const c of customers) {
    const t = totals.get(c.segment) as { customers: number; revenue: number };
    t.customers++;
    t.revenue += c.monetaryMinor;
    revenue += c.monetaryMinor;
  }
  return RFM_SEGMENTS.map((segment) => {
    const t = totals.get(segment) as { customers: number; revenue: number };
    return {
      segment,
      label: RFM_SEGMENT_MAP[segment].label,
      meaning: RFM_SEGMENT_MAP[segment].meaning,
      customers: t.customers,
      revenueMinor: t.revenue,
      customerShare: customers.length > 0 ? t.customers / customers.length : 0,
      revenueShare: revenue !== 0 ? t.revenue / revenue : null,
    };
  });
}
