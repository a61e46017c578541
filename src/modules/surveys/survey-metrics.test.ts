import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addTallies, isRecoveryScore, metricValue, tallyScores } from "./survey-metrics.ts";

describe("survey metrics", () => {
  it("CSAT is the share of 4s and 5s", () => {
    expect(metricValue("csat", tallyScores("csat", [5, 4, 3, 1]))).toBe(50);
    expect(metricValue("csat", tallyScores("csat", [5, 5, 4]))).toBe(100);
    expect(metricValue("csat", tallyScores("csat", [1, 2, 3]))).toBe(0);
  });

  it("NPS is promoters minus detractors in points", () => {
    // 3 promoters (9, 10, 9), 2 passives (7, 8), 5 detractors (0-6): (3 - 5) / 10 = -20.
    expect(metricValue("nps", tallyScores("nps", [9, 10, 9, 7, 8, 0, 3, 6, 5, 6]))).toBe(-20);
    expect(metricValue("nps", tallyScores("nps", [10, 10]))).toBe(100);
    expect(metricValue("nps", tallyScores("nps", [7, 8]))).toBe(0);
  });

  it("CES is the mean, rounded to one decimal", () => {
    expect(metricValue("ces", tallyScores("ces", [7, 6, 5]))).toBe(6);
    expect(metricValue("ces", tallyScores("ces", [1, 2]))).toBe(1.5);
    expect(metricValue("ces", tallyScores("ces", [7, 7, 6]))).toBe(6.7);
  });

  it("has no value without responses", () => {
    expect(metricValue("csat", tallyScores("csat", []))).toBeNull();
  });

  it("adds tallies as if their scores were pooled (so SQL can pre-aggregate)", () => {
    const nps = fc.array(fc.integer({ min: 0, max: 10 }));
    fc.assert(
      fc.property(nps, nps, (a, b) => {
        expect(addTallies(tallyScores("nps", a), tallyScores("nps", b))).toEqual(
          tallyScores("nps", [...a, ...b]),
        );
        const value = metricValue("nps", tallyScores("nps", [...a, ...b]));
        if (value !== null) expect(value).toBeGreaterThanOrEqual(-100);
        if (value !== null) expect(value).toBeLessThanOrEqual(100);
      }),
    );
  });

  it("flags low scores for recovery by the thresholds", () => {
    const thresholds = { csatAtMost: 2, npsAtMost: 6, cesAtMost: 2 };
    expect([1, 2, 3, 4, 5].filter((s) => isRecoveryScore("csat", s, thresholds))).toEqual([1, 2]);
    expect([0, 6, 7, 9].filter((s) => isRecoveryScore("nps", s, thresholds))).toEqual([0, 6]);
    expect([1, 2, 3, 7].filter((s) => isRecoveryScore("ces", s, thresholds))).toEqual([1, 2]);
  });
});
