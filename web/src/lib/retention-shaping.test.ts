import { describe, expect, it } from "vitest";
import type { RetentionCohorts, RetentionSummary } from "../api/api-types.ts";
import { headlinesOf, mergeSurvivalCurves, retentionCurves } from "./retention-shaping.ts";

const matrix: Pick<RetentionCohorts, "rows"> = {
  rows: [
    {
      cohort: "2026-08",
      customers: 10,
      counts: [10, 4, 3, 2],
      shares: [1, 0.4, 0.3, 0.2],
      revenueMinor: [0, 0, 0, 0],
    },
    { cohort: "2026-09", customers: 20, counts: [20, 6, 5], shares: [1, 0.3, 0.25], revenueMinor: [0, 0, 0] },
    { cohort: "2026-10", customers: 5, counts: [5, 1], shares: [1, 0.2], revenueMinor: [0, 0] },
  ],
};

describe("retention curves", () => {
  it("keeps the most recent cohorts old enough, oldest first, one point per month from month 1", () => {
    const curves = retentionCurves(matrix, { maxCohorts: 2, minAge: 2 });
    expect(curves.cohorts).toEqual(["2026-08", "2026-09"]);
    expect(curves.points).toEqual([
      { age: 1, "2026-08": 0.4, "2026-09": 0.3 },
      { age: 2, "2026-08": 0.3, "2026-09": 0.25 },
      { age: 3, "2026-08": 0.2, "2026-09": null },
    ]);
  });

  it("returns nothing to draw when no cohort is old enough", () => {
    expect(retentionCurves(matrix, { maxCohorts: 5, minAge: 4 })).toEqual({ cohorts: [], points: [] });
  });
});

describe("survival curves on one axis", () => {
  it("carries each curve forward between its own steps and stops it where its data ends", () => {
    const rows = mergeSurvivalCurves(
      [
        { t: 10, survival: 0.9, lower: 0.8, upper: 0.95 },
        { t: 30, survival: 0.7, lower: 0.6, upper: 0.8 },
      ],
      [{ t: 20, survival: 0.95, lower: 0.9, upper: 0.98 }],
    );
    expect(rows.map((row) => [row.t, row.exposed, row.unexposed])).toEqual([
      [0, 1, 1],
      [10, 0.9, 1],
      [20, 0.9, 0.95],
      [30, 0.7, null],
    ]);
    expect(rows[2].exposedBand).toEqual([0.8, 0.95]);
    expect(rows[3].unexposedBand).toBeNull();
  });
});

describe("headline figures", () => {
  const month = {
    period: "2026-11",
    start: "2026-11-01",
    end: "2026-11-30",
    partial: false,
    activeCustomers: 400,
    newCustomers: 80,
    reactivatedCustomers: 30,
    previousCustomers: 390,
    retainedCustomers: 290,
    customerRetentionRate: 0.7436,
    customerChurnRate: 0.2564,
    revenueMinor: 1,
    previousRevenueMinor: 1,
    retainedRevenueMinor: 1,
    grossRevenueRetention: 0.81,
    netRevenueRetention: 0.88,
    revenueChurnRate: 0.19,
  };
  const summary: RetentionSummary = {
    scope: {
      source: "workspace",
      currency: "USD",
      asOf: "2026-12-04",
      customers: 2,
      orders: 3,
      firstPurchase: null,
      lastPurchase: null,
      excluded: [],
    },
    revenueMinor: 0,
    repeatPurchaseRate: 0.41,
    medianDaysBetweenPurchases: 33.4,
    meanLifetimeValueMinor: null,
    medianLifetimeValueMinor: null,
    lastMonth: month,
    lastQuarter: { ...month, period: "2026-Q3", customerRetentionRate: 0.6, customerChurnRate: 0.4 },
    segments: [],
    definitions: { customerRetentionRate: "Retained / previous.", repeatPurchaseRate: "Two days or more." },
  };

  it("shows the last complete month's rates with the quarter beside them, and says where each comes from", () => {
    const [retention, churn, repeat, revenue] = headlinesOf(summary);
    expect(retention).toMatchObject({
      label: "Retention rate",
      value: 0.7436,
      definition: "Retained / previous.",
    });
    expect(retention.detail).toBe("2026-11; last quarter 60.0%");
    expect(churn.value).toBe(0.2564);
    expect(churn.definition).toContain("1 − customer retention rate");
    expect(repeat).toMatchObject({ value: 0.41, detail: "median 33 days between purchases" });
    expect(revenue).toMatchObject({ value: 0.88, detail: "net, 2026-11; gross 81.0%" });
  });

  it("says so when no month has ended yet instead of showing a number", () => {
    const [retention, , , revenue] = headlinesOf({ ...summary, lastMonth: null, lastQuarter: null });
    expect(retention.value).toBeNull();
    expect(retention.detail).toBe("No complete month yet; last quarter –");
    expect(revenue.value).toBeNull();
  });
});
