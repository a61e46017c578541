import { describe, expect, it } from "vitest";
import {
  heatCellStyle,
  type RetentionReportInput,
  renderRetentionReport,
} from "./retention-measures-report.ts";

const period = {
  period: "2026-11",
  partial: false,
  activeCustomers: 4,
  newCustomers: 1,
  previousCustomers: 4,
  retainedCustomers: 3,
  customerRetentionRate: 0.75,
  customerChurnRate: 0.25,
  revenueMinor: 12_345,
  grossRevenueRetention: 0.8,
  netRevenueRetention: 0.9,
};

const input: RetentionReportInput = {
  summary: {
    scope: {
      currency: "USD",
      asOf: "2026-12-04",
      customers: 5,
      orders: 12,
      firstPurchase: "2026-09-02",
      lastPurchase: "2026-12-01",
      excluded: [{ count: 2, reason: "cancelled or refunded orders" }],
    },
    revenueMinor: 98_765,
    repeatPurchaseRate: 0.6,
    medianDaysBetweenPurchases: 21,
    meanLifetimeValueMinor: 19_753,
    medianLifetimeValueMinor: 15_000,
    lastMonth: period,
    lastQuarter: { ...period, period: "2026-Q3", customerRetentionRate: 0.5 },
    definitions: { customerRetentionRate: "Retained / previous <customers>." },
  },
  rates: { period: "month", rows: [period, { ...period, period: "2026-12", partial: true }] },
  cohorts: {
    rows: [
      { cohort: "2026-09", customers: 4, counts: [4, 2, 1], shares: [1, 0.5, 0.25] },
      { cohort: "2026-10", customers: 1, counts: [1], shares: [1] },
    ],
  },
  lifetimeValue: {
    histogram: [
      { fromMinor: 0, toMinor: 10_000, count: 2 },
      { fromMinor: 10_000, toMinor: null, count: 3 },
    ],
    byCohort: [{ cohort: "2026-09", customers: 4, meanMinor: 20_000, medianMinor: 15_000 }],
    meanMinor: 19_753,
    medianMinor: 15_000,
    p90Minor: 40_000,
  },
  rfm: {
    segments: [
      { label: "Champions <3", meaning: "bought recently and often", customers: 2, revenueMinor: 50_000 },
    ],
  },
  purchases: {
    histogram: [{ label: "0–7 days", count: 3 }],
    intervals: { medianDays: 21, p25Days: 7, p75Days: 40 },
  },
};

describe("retention HTML report", () => {
  const html = renderRetentionReport(input);

  it("is one self-contained document: no script, no external request", () => {
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/(src|href)="https?:/i);
  });

  it("shows the headline rates, the money in the shop's currency and what was left out", () => {
    expect(html).toContain("Retention rate<b>75.0%</b>");
    expect(html).toContain("last quarter 50.0%");
    expect(html).toContain("Revenue $987.65");
    expect(html).toContain("Left out: 2 cancelled or refunded orders");
    expect(html).toContain("2026-12 (so far)");
  });

  it("prints the cohort heatmap as a table with the value in every coloured cell", () => {
    expect(html).toMatch(/<th scope="col">M2<\/th>/);
    expect(html).toMatch(/<td style="background:rgb\([^"]+" title="2026-09, month 1: 2 of 4">50%<\/td>/);
    // The younger cohort's later months are empty, not 0%.
    expect(html).toMatch(
      /<th scope="row">2026-10<\/th><td>1<\/td><td style="[^"]+" title="[^"]+">100%<\/td><td><\/td><td><\/td>/,
    );
  });

  it("escapes text from the data", () => {
    expect(html).toContain("Champions &#60;3");
    expect(html).toContain("Retained / previous &#60;customers&#62;.");
    expect(html).not.toContain("<customers>");
  });

  it("puts dark text on light cells and light text on dark ones", () => {
    expect(heatCellStyle(0)).toMatch(/color:#000$/);
    expect(heatCellStyle(1)).toMatch(/color:#fff$/);
  });
});
