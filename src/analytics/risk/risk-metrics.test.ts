import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fitLogisticRegression, predictLogistic } from "./logistic-regression.ts";
import { areaUnderRoc, brierScore, calibrationCurve } from "./risk-metrics.ts";

describe("risk metrics", () => {
  it("AUC matches counting every positive-negative pair, ties one half", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.boolean()), { minLength: 2, maxLength: 80 }),
        (rows) => {
          const scores = rows.map((r) => r[0]);
          const outcomes = rows.map((r) => r[1]);
          let wins = 0;
          let pairs = 0;
          for (let i = 0; i < rows.length; i++)
            for (let j = 0; j < rows.length; j++)
              if (outcomes[i] && !outcomes[j]) {
                pairs++;
                wins += scores[i] > scores[j] ? 1 : scores[i] === scores[j] ? 0.5 : 0;
              }
          const auc = areaUnderRoc(scores, outcomes);
          return pairs === 0 ? Number.isNaN(auc) : Math.abs(auc - wins / pairs) < 1e-12;
        },
      ),
    );
  });

  it("Brier and calibration on a small worked example", () => {
    expect(brierScore([0.9, 0.2, 0.6], [true, false, false])).toBeCloseTo((0.01 + 0.04 + 0.36) / 3, 12);
    const bins = calibrationCurve([0.1, 0.2, 0.8, 0.9], [false, false, true, false], 2);
    expect(bins).toEqual([
      { from: 0.1, to: 0.2, count: 2, meanPredicted: 0.15000000000000002, observedRate: 0 },
      { from: 0.8, to: 0.9, count: 2, meanPredicted: 0.8500000000000001, observedRate: 0.5 },
    ]);
  });

  it("logistic regression recovers planted coefficients", () => {
    let state = 7;
    const uniform = () => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return (state + 0.5) / 4294967296;
    };
    const rows: number[][] = [];
    const outcomes: boolean[] = [];
    for (let i = 0; i < 20_000; i++) {
      const x = [uniform() * 4 - 2, uniform() < 0.3 ? 1 : 0];
      const eta = -0.5 + 1.2 * x[0] - 0.8 * x[1];
      rows.push(x);
      outcomes.push(uniform() < 1 / (1 + Math.exp(-eta)));
    }
    const model = fitLogisticRegression(rows, outcomes, { l2: 0 });
    // Back on the original scale: coefficient / scale.
    expect(model.coefficients[0] / model.scales[0]).toBeCloseTo(1.2, 1);
    expect(model.coefficients[1] / model.scales[1]).toBeCloseTo(-0.8, 1);
    expect(predictLogistic(model, [0, 0])).toBeCloseTo(1 / (1 + Math.exp(0.5)), 1);
    expect(model.converged).toBe(true);
  });
});
