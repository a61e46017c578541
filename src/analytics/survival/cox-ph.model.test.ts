import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { expectWithin } from "../analytics-expect.test-support.ts";
import { readReferences, referenceNumber, referenceNumbers } from "../analytics-fixtures.test-support.ts";
import { concordanceIndex, fitCoxProportionalHazards } from "./cox-ph.model.ts";
import { rossiCovariates, rossiCoxData } from "./survival.test-support.ts";

const refs = readReferences();
const cox = (...path: string[]) => referenceNumber(refs, "coxph_rossi", ...path);

describe("fitCoxProportionalHazards on Rossi (R survival::coxph, lifelines)", () => {
  const fit = fitCoxProportionalHazards(rossiCoxData(rossiCovariates));

  it("Efron ties: coefficients, standard errors and z to the published decimals", () => {
    expect(fit.converged).toBe(true);
    rossiCovariates.forEach((name, j) => {
      expectWithin(fit.coefficients[j], cox("coef", name), 5e-7);
      expectWithin(fit.standardErrors[j], cox("se", name), 5e-5);
      expectWithin(fit.z[j], cox("z", name), 5e-4);
    });
  });

  it("Efron ties: partial log-likelihood, null, likelihood-ratio test, partial AIC and concordance", () => {
    expectWithin(fit.logPartialLikelihood, cox("partial_LL"), 5e-4);
    expectWithin(fit.nullLogPartialLikelihood, cox("null_partial_LL_recomputed"), 5e-5);
    expectWithin(fit.likelihoodRatioTest.statistic, cox("LR_test"), 5e-4);
    expect(fit.likelihoodRatioTest.degreesOfFreedom).toBe(7);
    expectWithin(fit.partialAic, cox("partial_AIC"), 5e-4);
    expectWithin(fit.concordance, cox("concordance"), 5e-3);
  });

  it("hazard ratios are exp(coef) with Wald 95 % limits", () => {
    rossiCovariates.forEach((_, j) => {
      const b = fit.coefficients[j];
      const se = fit.standardErrors[j];
      expectWithin(fit.hazardRatios[j], Math.exp(b), 1e-12);
      expectWithin(fit.hazardRatioLower[j], Math.exp(b - 1.959963984540054 * se), 1e-9);
      expectWithin(fit.hazardRatioUpper[j], Math.exp(b + 1.959963984540054 * se), 1e-9);
    });
    // fin: HR 0.684 (0.470, 0.996), the figure quoted from the Rossi analysis.
    expectWithin(fit.hazardRatios[0], 0.684, 5e-4);
    expectWithin(fit.hazardRatioLower[0], 0.47, 5e-4);
    expectWithin(fit.hazardRatioUpper[0], 0.996, 5e-4);
  });

  it("Breslow ties reproduce the recomputed coefficients and partial log-likelihood", () => {
    const breslow = fitCoxProportionalHazards(rossiCoxData(rossiCovariates), { ties: "breslow" });
    referenceNumbers(refs, "coxph_rossi", "breslow_ties_recomputed", "coef").forEach((b, j) => {
      expectWithin(breslow.coefficients[j], b, 5e-7);
    });
    expectWithin(breslow.logPartialLikelihood, cox("breslow_ties_recomputed", "partial_LL"), 5e-4);
  });

  it("strata: race, and race x paro x mar x wexp, reproduce R to 4 decimals", () => {
    const byRace = ["fin", "age", "wexp", "mar", "paro", "prio"];
    const stratifiedByRace = fitCoxProportionalHazards(rossiCoxData(byRace, ["race"]));
    byRace.forEach((name, j) => {
      expectWithin(stratifiedByRace.coefficients[j], cox("strata_race_coef_R", name), 5e-5);
    });
    const fourWay = fitCoxProportionalHazards(
      rossiCoxData(["fin", "age", "prio"], ["race", "paro", "mar", "wexp"]),
    );
    ["fin", "age", "prio"].forEach((name, j) => {
      expectWithin(fourWay.coefficients[j], cox("strata_race_paro_mar_wexp_R", name), 5e-5);
    });
    expectWithin(fourWay.logPartialLikelihood, cox("strata_race_paro_mar_wexp_R", "LL"), 5e-5);
  });
});

describe("Cox properties", () => {
  it("the fitted partial likelihood is at least the null one; degenerate data is refused with a RangeError", () => {
    const subject = fc.record({
      time: fc.integer({ min: 1, max: 30 }),
      event: fc.boolean(),
      x: fc.double({ min: -2, max: 2, noNaN: true }),
    });
    fc.assert(
      fc.property(fc.array(subject, { minLength: 8, maxLength: 40 }), (subjects) => {
        fc.pre(subjects.filter((s) => s.event).length >= 2 && new Set(subjects.map((s) => s.x)).size >= 3);
        const data = {
          time: subjects.map((s) => s.time),
          event: subjects.map((s) => s.event),
          covariates: subjects.map((s) => [s.x]),
        };
        let fit: ReturnType<typeof fitCoxProportionalHazards>;
        try {
          fit = fitCoxProportionalHazards(data, { maxIterations: 30 });
        } catch (error) {
          expect(error).toBeInstanceOf(RangeError);
          return;
        }
        fc.pre(fit.converged && Number.isFinite(fit.coefficients[0]) && Math.abs(fit.coefficients[0]) < 20);
        expect(fit.logPartialLikelihood).toBeGreaterThanOrEqual(fit.nullLogPartialLikelihood - 1e-9);
      }),
      { numRuns: 60 },
    );
  });

  it("Harrell's C is 1 for perfectly ordered risks, 0 for reversed, 0.5 for constant scores", () => {
    const time = [1, 2, 3, 4, 5];
    const event = [true, true, false, true, true];
    expect(concordanceIndex(time, [5, 4, 3, 2, 1], event)).toBe(1);
    expect(concordanceIndex(time, [1, 2, 3, 4, 5], event)).toBe(0);
    expect(concordanceIndex(time, [1, 1, 1, 1, 1], event)).toBe(0.5);
  });
});

describe("Harrell's C", () => {
  /** The definition, pair by pair. */
  function pairwiseConcordance(time: number[], risk: number[], event: boolean[]): number {
    let concordant = 0;
    let usable = 0;
    for (let i = 0; i < time.length; i++) {
      if (!event[i]) continue;
      for (let j = 0; j < time.length; j++) {
        if (i === j || !(time[j] > time[i] || (time[j] === time[i] && !event[j]))) continue;
        usable++;
        concordant += risk[i] > risk[j] ? 1 : risk[i] === risk[j] ? 0.5 : 0;
      }
    }
    return usable === 0 ? Number.NaN : concordant / usable;
  }

  it("matches the pairwise definition, ties in time and in score included", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 8 }), fc.integer({ min: -3, max: 3 }), fc.boolean()), {
          minLength: 2,
          maxLength: 60,
        }),
        (rows) => {
          const time = rows.map((r) => r[0]);
          const risk = rows.map((r) => r[1] / 2);
          const event = rows.map((r) => r[2]);
          const expected = pairwiseConcordance(time, risk, event);
          const actual = concordanceIndex(time, risk, event);
          return Number.isNaN(expected) ? Number.isNaN(actual) : Math.abs(actual - expected) < 1e-12;
        },
      ),
      { numRuns: 300 },
    );
  });
});
