import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { expectSignificant, expectWithin } from "../analytics-expect.test-support.ts";
import {
  readCsv,
  readReferences,
  referenceNumber,
  referenceNumbers,
} from "../analytics-fixtures.test-support.ts";
import { finiteDifferenceGradient } from "../optimize/numeric-derivatives.ts";
import {
  fitShiftedBetaGeometric,
  sbgChurnProbability,
  sbgDiscountedExpectedResidualLifetime,
  sbgLogLikelihoodWithGradient,
  sbgRetentionRate,
  sbgSurvival,
} from "./shifted-beta-geometric.model.ts";

const refs = readReferences();
const ref = (...path: string[]) => referenceNumber(refs, "sbg_retention_FH2007", ...path);
const table = readCsv("sbg_fader_hardie_2007_retention.csv");
// Table 1 gives the percentage of a cohort of 1,000 surviving each year; the model is fitted on years 0-7.
const cohort = (column: string): number[] => table.map((row) => Math.round(Number(row[column]) * 10));

describe("fitShiftedBetaGeometric on Fader & Hardie (2007) Table 1", () => {
  for (const [name, column] of [
    ["regular", "regular_pct_surviving"],
    ["highend", "highend_pct_surviving"],
  ] as const) {
    it(`${name} cohort: alpha, beta to 3 decimals, LL to 0.01, years 8-12 projected as published`, () => {
      const counts = cohort(column);
      const fit = fitShiftedBetaGeometric(counts.slice(0, 8));
      expect(fit.converged).toBe(true);
      expectWithin(fit.params.alpha, ref(name, "alpha"), 5e-4);
      expectWithin(fit.params.beta, ref(name, "beta"), 5e-4);
      expectWithin(fit.logLikelihood, ref(name, "LL"), 0.01);
      referenceNumbers(refs, "sbg_retention_FH2007", name, "projected_S_8_12").forEach((s, i) => {
        expectWithin(sbgSurvival(fit.params, 8 + i), s, 5e-4);
        // The projection tracks the actual holdout years within 2 points (the paper's Figure 3).
        expectWithin(sbgSurvival(fit.params, 8 + i), counts[8 + i] / 1000, 0.02);
      });
    });
  }

  it("high-end cohort: discounted expected residual lifetime after 7 renewals at 10 % is 7.53", () => {
    const fit = fitShiftedBetaGeometric(cohort("highend_pct_surviving").slice(0, 8));
    expectSignificant(
      sbgDiscountedExpectedResidualLifetime(fit.params, 0.1, 7),
      ref("highend", "DERL_d0.10_after7"),
      3,
    );
  });
});

describe("sBG properties", () => {
  const params = fc.record({
    alpha: fc.double({ min: 0.05, max: 10, noNaN: true }),
    beta: fc.double({ min: 0.05, max: 10, noNaN: true }),
  });

  it("survival falls, retention rises, and S(t) = S(t-1) - P(T = t) = S(t-1) r(t)", () => {
    fc.assert(
      fc.property(params, fc.integer({ min: 1, max: 50 }), (p, t) => {
        const before = sbgSurvival(p, t - 1);
        const now = sbgSurvival(p, t);
        expect(now).toBeLessThanOrEqual(before);
        expectWithin(now, before - sbgChurnProbability(p, t), 1e-12);
        expectWithin(now, before * sbgRetentionRate(p, t), 1e-12);
        expect(sbgRetentionRate(p, t + 1)).toBeGreaterThanOrEqual(sbgRetentionRate(p, t));
      }),
    );
  });

  it("the analytic gradient matches central finite differences", () => {
    const counts = cohort("regular_pct_surviving").slice(0, 8);
    fc.assert(
      fc.property(params, (p) => {
        const analytic = sbgLogLikelihoodWithGradient(p, counts).gradient;
        const numeric = finiteDifferenceGradient(
          (v) => sbgLogLikelihoodWithGradient({ alpha: v[0], beta: v[1] }, counts).value,
          [p.alpha, p.beta],
        );
        analytic.forEach((g, i) => {
          expectWithin(g, numeric[i], 1e-5 * Math.max(1, Math.abs(numeric[i])));
        });
      }),
      { numRuns: 50 },
    );
  });
});
