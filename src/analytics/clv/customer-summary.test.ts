import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readCdnowPublishedSummary, readCdnowTransactions } from "../analytics-fixtures.test-support.ts";
import { summarizeTransactions } from "./customer-summary.ts";

const calibrationEnd = new Date(Date.UTC(1997, 8, 30));

describe("summarizeTransactions", () => {
  it("reproduces the published CDNOW calibration summary (weeks, ending 1997-09-30) for all 2,357 customers", () => {
    const summaries = summarizeTransactions(readCdnowTransactions(), { timeUnit: "week", calibrationEnd });
    const published = readCdnowPublishedSummary();
    expect(summaries).toHaveLength(2357);
    const byId = new Map(summaries.map((s) => [s.customerId, s]));
    let mismatches = 0;
    for (const row of published) {
      const s = byId.get(row.id);
      const same =
        s !== undefined &&
        s.x === row.x &&
        Math.abs(s.tx - row.tx) <= 0.005 + 1e-9 &&
        Math.abs(s.T - row.T) <= 0.005 + 1e-9 &&
        Math.abs(s.meanRepeatValue - row.zbar) <= 0.005 + 1e-9;
      if (!same) mismatches++;
    }
    expect(mismatches).toBe(0);
  });

  it("merges same-day purchases, ignores purchases after the calibration end, and keeps zero-value repeats out of the mean", () => {
    const day = (d: number) => new Date(Date.UTC(2024, 0, d));
    const summaries = summarizeTransactions(
      [
        { customerId: "a", date: day(1), amount: 10 },
        { customerId: "a", date: new Date(Date.UTC(2024, 0, 1, 18)), amount: 5 },
        { customerId: "a", date: day(8), amount: 0 },
        { customerId: "a", date: day(15), amount: 30 },
        { customerId: "a", date: day(29), amount: 99 },
        { customerId: "b", date: day(22), amount: 7 },
        { customerId: "late", date: day(30), amount: 7 },
      ],
      { timeUnit: "day", calibrationEnd: day(22) },
    );
    expect(summaries).toEqual([
      { customerId: "a", x: 2, tx: 14, T: 21, meanRepeatValue: 30, valuedRepeatCount: 1 },
      { customerId: "b", x: 0, tx: 0, T: 0, meanRepeatValue: 0, valuedRepeatCount: 0 },
    ]);
  });

  it("always yields 0 <= t_x <= T and x no larger than the number of transactions", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            c: fc.constantFrom("a", "b", "c"),
            d: fc.integer({ min: 0, max: 60 }),
            v: fc.nat(100),
          }),
        ),
        (rows) => {
          const transactions = rows.map((r) => ({
            customerId: r.c,
            date: new Date(Date.UTC(2024, 0, 1 + r.d)),
            amount: r.v,
          }));
          const summaries = summarizeTransactions(transactions, { timeUnit: "week" });
          for (const s of summaries) {
            expect(s.tx).toBeGreaterThanOrEqual(0);
            expect(s.T).toBeGreaterThanOrEqual(s.tx);
            expect(s.x).toBeLessThan(rows.length);
            expect(s.valuedRepeatCount).toBeLessThanOrEqual(s.x);
          }
        },
      ),
    );
  });
});
