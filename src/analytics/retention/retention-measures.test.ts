import { describe, expect, it } from "vitest";
import { cohortRetention } from "./cohort-retention.ts";
import { historicalValue } from "./historical-value.ts";
import { retentionByPeriod } from "./period-retention.ts";
import { purchaseIntervals } from "./purchase-intervals.ts";
import { dayOf, type Purchase, quantileSorted } from "./purchase-log.ts";
import { RFM_SEGMENTS, rfmSegmentOf, scoreRfm, summarizeRfmSegments } from "./rfm-segments.ts";

const day = (iso: string) => dayOf(new Date(`${iso}T00:00:00Z`));
const buy = (customerId: string, iso: string, amountMinor: number): Purchase => ({
  customerId,
  day: day(iso),
  amountMinor,
});

// Five customers, worked by hand below.
//   A: Jan 5 (100), Jan 20 (50), Feb 10 (200), Mar 15 (100)      -> Jan 150, Feb 200, Mar 100; total 450
//   B: Jan 10 (300), Mar 1 (100)                                 -> Jan 300, Mar 100; total 400
//   C: Feb 3 (80), Feb 3 (20, same day), Mar 20 (40)             -> Feb 100, Mar 40; total 140
//   D: Mar 5 (60)                                                -> total 60
//   E: 2025-11-15 (500)                                          -> total 500
const purchases: Purchase[] = [
  buy("A", "2026-01-05", 100),
  buy("A", "2026-01-20", 50),
  buy("A", "2026-02-10", 200),
  buy("A", "2026-03-15", 100),
  buy("B", "2026-01-10", 300),
  buy("B", "2026-03-01", 100),
  buy("C", "2026-02-03", 80),
  buy("C", "2026-02-03", 20),
  buy("C", "2026-03-20", 40),
  buy("D", "2026-03-05", 60),
  buy("E", "2025-11-15", 500),
];
const asOfDay = day("2026-03-31");

describe("retention measures on a hand-worked example", () => {
  it("customer and revenue retention per month", () => {
    const rows = retentionByPeriod(purchases, { period: "month", asOfDay, fromDay: day("2026-01-01") });
    expect(rows.map((r) => r.period)).toEqual(["2026-01", "2026-02", "2026-03"]);
    const [jan, feb, mar] = rows;
    // January: December had no customers, so there is no base for a rate.
    expect(jan).toMatchObject({
      activeCustomers: 2,
      newCustomers: 2,
      previousCustomers: 0,
      customerRetentionRate: null,
      grossRevenueRetention: null,
      revenueMinor: 450,
    });
    // February: base {A 150, B 300}; A came back (200). Retention 1/2; GRR = min(200,150)/450 = 1/3; NRR 200/450.
    expect(feb).toMatchObject({
      activeCustomers: 2,
      newCustomers: 1,
      reactivatedCustomers: 0,
      previousCustomers: 2,
      retainedCustomers: 1,
      customerRetentionRate: 0.5,
      customerChurnRate: 0.5,
      previousRevenueMinor: 450,
      retainedRevenueMinor: 200,
      revenueMinor: 300,
      partial: false,
    });
    expect(feb.grossRevenueRetention).toBeCloseTo(1 / 3, 12);
    expect(feb.netRevenueRetention).toBeCloseTo(4 / 9, 12);
    expect(feb.revenueChurnRate).toBeCloseTo(2 / 3, 12);
    // March: base {A 200, C 100}; both came back (A 100, C 40). GRR = NRR = (100 + 40) / 300. B is reactivated,
    // D is new. March ends on the as-of day, so it is still partial.
    expect(mar).toMatchObject({
      activeCustomers: 4,
      newCustomers: 1,
      reactivatedCustomers: 1,
      previousCustomers: 2,
      retainedCustomers: 2,
      customerRetentionRate: 1,
      customerChurnRate: 0,
      revenueMinor: 300,
      partial: true,
    });
    expect(mar.grossRevenueRetention).toBeCloseTo(140 / 300, 12);
    expect(mar.netRevenueRetention).toBeCloseTo(140 / 300, 12);

    // Without a from date the months start at E's November; December is empty and keeps none of November.
    const all = retentionByPeriod(purchases, { period: "month", asOfDay });
    expect(all.map((r) => [r.period, r.activeCustomers, r.customerRetentionRate])).toEqual([
      ["2025-11", 1, null],
      ["2025-12", 0, 0],
      ["2026-01", 2, null],
      ["2026-02", 2, 0.5],
      ["2026-03", 4, 1],
    ]);
  });

  it("NRR above GRR when returning customers spend more", () => {
    // X spends 100 then 250; Y spends 100 then nothing. GRR = (100 + 0) / 200, NRR = 250 / 200.
    const rows = retentionByPeriod(
      [buy("X", "2026-01-01", 100), buy("Y", "2026-01-02", 100), buy("X", "2026-02-01", 250)],
      { period: "month", asOfDay },
    );
    expect(rows[1].grossRevenueRetention).toBe(0.5);
    expect(rows[1].netRevenueRetention).toBe(1.25);
  });

  it("quarterly retention", () => {
    // Q4 2025 holds E alone; none of Q1's four customers bought in Q4, so Q1 retains nothing of its base.
    const rows = retentionByPeriod(purchases, { period: "quarter", asOfDay });
    expect(rows.map((r) => r.period)).toEqual(["2025-Q4", "2026-Q1"]);
    expect(rows[1]).toMatchObject({
      start: "2026-01-01",
      end: "2026-03-31",
      activeCustomers: 4,
      newCustomers: 4,
      previousCustomers: 1,
      retainedCustomers: 0,
      customerRetentionRate: 0,
      grossRevenueRetention: 0,
      netRevenueRetention: 0,
      revenueMinor: 1050,
    });
  });

  it("cohort matrix by first-purchase month", () => {
    const { months, rows } = cohortRetention(purchases, { lastDay: asOfDay });
    expect(months).toBe(5);
    expect(rows).toEqual([
      {
        cohort: "2025-11",
        customers: 1,
        counts: [1, 0, 0, 0, 0],
        shares: [1, 0, 0, 0, 0],
        revenueMinor: [500, 0, 0, 0, 0],
      },
      // A and B: both in January, A in February, both in March.
      {
        cohort: "2026-01",
        customers: 2,
        counts: [2, 1, 2],
        shares: [1, 0.5, 1],
        revenueMinor: [450, 200, 200],
      },
      { cohort: "2026-02", customers: 1, counts: [1, 1], shares: [1, 1], revenueMinor: [100, 40] },
      { cohort: "2026-03", customers: 1, counts: [1], shares: [1], revenueMinor: [60] },
    ]);
    const limited = cohortRetention(purchases, {
      lastDay: asOfDay,
      fromDay: day("2026-01-01"),
      toDay: day("2026-02-28"),
    });
    expect(limited.rows.map((r) => r.cohort)).toEqual(["2026-01", "2026-02"]);
  });

  it("repeat rate and time between purchases", () => {
    // Gaps between purchase days: A 15, 21, 33; B 50; C 45 (its two Feb 3 orders are one day).
    // Sorted 15, 21, 33, 45, 50: p25 = 21, median = 33, p75 = 45 (h = 1, 2, 3 exactly); mean 164 / 5.
    const result = purchaseIntervals(purchases);
    expect(result).toMatchObject({
      customers: 5,
      repeatCustomers: 3,
      repeatPurchaseRate: 0.6,
      meanPurchaseDays: 2,
      intervals: { count: 5, meanDays: 32.8, p25Days: 21, medianDays: 33, p75Days: 45 },
      // Second purchase after 15 (A), 50 (B), 45 (C) days.
      firstRepeat: { count: 3, medianDays: 45 },
    });
    expect(result.histogram.map((b) => [b.label, b.count])).toEqual([
      ["1–7 days", 0],
      ["8–14 days", 0],
      ["15–30 days", 2],
      ["31–60 days", 3],
      ["61–90 days", 0],
      ["91–180 days", 0],
      ["181–365 days", 0],
      ["366+ days", 0],
    ]);
    expect(quantileSorted([1, 2, 3, 4], 0.25)).toBe(1.75);
  });

  it("RFM scores and segments", () => {
    // As of Mar 31. Recency: A 16, B 30, C 11, D 26, E 136 days. Frequency (days): A 4, B 2, C 2, D 1, E 1.
    // Monetary: A 450, B 400, C 140, D 60, E 500. Score = 1 + floor(5 × strictly worse / 5):
    //   R: A 4 (3 worse), B 2, C 5, D 3, E 1.  F: A 5, B 3, C 3 (D, E worse), D 1, E 1.  M: A 4, B 3, C 2, D 1, E 5.
    const rows = scoreRfm(purchases, asOfDay);
    const byId = Object.fromEntries(rows.map((r) => [r.customerId, r]));
    expect(byId.A).toEqual({
      customerId: "A",
      recencyDays: 16,
      frequency: 4,
      monetaryMinor: 450,
      r: 4,
      f: 5,
      m: 4,
      segment: "loyal",
    });
    expect([byId.B.r, byId.B.f, byId.B.m, byId.B.segment]).toEqual([2, 3, 3, "at_risk"]);
    expect([byId.C.r, byId.C.f, byId.C.m, byId.C.segment]).toEqual([5, 3, 2, "potential_loyalists"]);
    expect([byId.D.r, byId.D.f, byId.D.m, byId.D.segment]).toEqual([3, 1, 1, "about_to_sleep"]);
    expect([byId.E.r, byId.E.f, byId.E.m, byId.E.segment]).toEqual([1, 1, 5, "lost"]);

    const summary = summarizeRfmSegments(rows);
    expect(summary.map((s) => s.segment)).toEqual([...RFM_SEGMENTS]);
    const loyal = summary.find((s) => s.segment === "loyal");
    expect(loyal).toMatchObject({ customers: 1, revenueMinor: 450, customerShare: 0.2 });
    expect(loyal?.revenueShare).toBeCloseTo(450 / 1550, 12);
    expect(summary.find((s) => s.segment === "champions")).toMatchObject({ customers: 0, revenueMinor: 0 });
  });

  it("the segment map covers every (R, F) cell exactly once", () => {
    const seen = new Map<string, number>();
    for (let r = 1; r <= 5; r++)
      for (let f = 1; f <= 5; f++) seen.set(rfmSegmentOf(r, f), (seen.get(rfmSegmentOf(r, f)) ?? 0) + 1);
    expect([...seen.keys()].sort()).toEqual([...RFM_SEGMENTS].sort());
    expect([...seen.values()].reduce((a, b) => a + b, 0)).toBe(25);
    expect(rfmSegmentOf(5, 5)).toBe("champions");
    expect(rfmSegmentOf(1, 5)).toBe("cant_lose");
    expect(rfmSegmentOf(5, 1)).toBe("new");
  });

  it("historical lifetime value", () => {
    // Values sorted 60, 140, 400, 450, 500: mean 310, median 400, p90 = 450 + 0.6 × 50 = 480.
    // p99 = 450 + 0.96 × 50 = 498, so bins are 50 wide (498 / 10 rounded up to 5 × 10); 500 falls in the open bin.
    const result = historicalValue(purchases);
    expect(result).toMatchObject({ customers: 5, totalMinor: 1550, meanMinor: 310, medianMinor: 400 });
    expect(result.p90Minor).toBeCloseTo(480, 9);
    expect(result.histogram[1]).toEqual({ fromMinor: 50, toMinor: 100, count: 1 });
    expect(result.histogram.map((b) => b.count)).toEqual([0, 1, 1, 0, 0, 0, 0, 0, 1, 1, 1]);
    expect(result.histogram[10]).toEqual({ fromMinor: 500, toMinor: null, count: 1 });
    expect(result.byCohort).toEqual([
      { cohort: "2025-11", customers: 1, revenueMinor: 500, meanMinor: 500, medianMinor: 500 },
      { cohort: "2026-01", customers: 2, revenueMinor: 850, meanMinor: 425, medianMinor: 425 },
      { cohort: "2026-02", customers: 1, revenueMinor: 140, meanMinor: 140, medianMinor: 140 },
      { cohort: "2026-03", customers: 1, revenueMinor: 60, meanMinor: 60, medianMinor: 60 },
    ]);
  });

  it("empty input gives empty results, not errors", () => {
    expect(retentionByPeriod([], { period: "month", asOfDay })).toEqual([]);
    expect(cohortRetention([], { lastDay: asOfDay }).rows).toEqual([]);
    expect(purchaseIntervals([]).repeatPurchaseRate).toBeNull();
    expect(scoreRfm([], asOfDay)).toEqual([]);
    expect(historicalValue([]).meanMinor).toBeNull();
  });
});
