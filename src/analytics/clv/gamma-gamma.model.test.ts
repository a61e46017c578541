import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { expectSignificant, expectWithin } from "../analytics-expect.test-support.ts";
import {
  readCdnowPublishedSummary,
  readReferences,
  referenceNumber,
  referenceNumbers,
} from "../analytics-fixtures.test-support.ts";
import { finiteDifferenceGradient } from "../optimize/numeric-derivatives.ts";
import { bgNbdConditionalExpectedPurchases, fitBgNbd } from "./bg-nbd.model.ts";
import { cdnowCalibrationSummary } from "./cdnow.test-support.ts";
import { discountedLifetimeValue, TIME_UNITS_PER_MONTH } from "./customer-lifetime-value.ts";
import {
  fitGammaGamma,
  gammaGammaConditionalExpectedValue,
  gammaGammaLogLikelihoodWithGradient,
  selectSpendObservations,
} from "./gamma-gamma.model.ts";

const refs = readReferences();
const gg = (...path: string[]) => referenceNumber(refs, "cdnow_calibration", "gamma_gamma", ...path);
const ggNumbers = (...path: string[]) => referenceNumbers(refs, "cdnow_calibration", "gamma_gamma", ...path);

// The published summary (lifetimes' CSV) rounds zbar and t_x to 2 decimals; the references marked "recomputed"
// and lifetimes' Quickstart figures were computed from it, FHL 2005b from the unrounded transactions.
const published = readCdnowPublishedSummary();
const publishedSpend = published.filter((row) => row.x > 0).map((row) => ({ x: row.x, meanValue: row.zbar }));

describe("fitGammaGamma on CDNOW (Fader, Hardie & Lee 2005b)", () => {
  it("from the transactions: the 946 repeat customers, the published spend summary, p, q, gamma and LL", () => {
    const spend = selectSpendObservations(cdnowCalibrationSummary());
    expect(spend).toHaveLength(gg("calibration_spend_stats_FHL2005b", "count"));
    const means = spend.map((s) => s.meanValue).sort((a, b) => a - b);
    const average = means.reduce((sum, m) => sum + m, 0) / means.length;
    expectWithin(average, gg("calibration_spend_stats_FHL2005b", "recomputed", "mean"), 1e-4);
    expectWithin(means[0], gg("calibration_spend_stats_FHL2005b", "recomputed", "min"), 0.005);
    expectWithin(means[means.length - 1], gg("calibration_spend_stats_FHL2005b", "recomputed", "max"), 0.005);
    const fit = fitGammaGamma(spend);
    expect(fit.converged).toBe(true);
    expectSignificant(fit.params.p, gg("published_FH2013", "p"), 3);
    expectSignificant(fit.params.q, gg("published_FH2013", "q"), 3);
    expectSignificant(fit.params.gamma, gg("published_FH2013", "gamma"), 4);
    expectWithin(fit.logLikelihood, gg("published_FH2013", "LL"), 1e-3);
  });

  it("from lifetimes' rounded summary: the recomputed estimates to 5 significant figures and LL to 1e-3", () => {
    const fit = fitGammaGamma(publishedSpend);
    for (const name of ["p", "q", "gamma"] as const)
      expectSignificant(fit.params[name], gg("recomputed", name), 5);
    expectWithin(fit.logLikelihood, gg("recomputed", "LL"), 1e-3);
  });

  it("conditional expected average spend matches lifetimes' Quickstart (first 10 customers and the mean of all)", () => {
    const { params } = fitGammaGamma(publishedSpend);
    const expected = ggNumbers("conditional_expected_avg_profit_first10", "value");
    expected.forEach((value, i) => {
      expectSignificant(
        gammaGammaConditionalExpectedValue(params, published[i].x, published[i].zbar),
        value,
        6,
      );
    });
    const all = published.map((row) => gammaGammaConditionalExpectedValue(params, row.x, row.zbar));
    expectSignificant(
      all.reduce((s, v) => s + v, 0) / all.length,
      gg("mean_conditional_expected_avg_profit_all_2357"),
      6,
    );
  });

  it("the analytic gradient matches central finite differences", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.5, max: 20, noNaN: true }),
        fc.double({ min: 1.5, max: 10, noNaN: true }),
        fc.double({ min: 1, max: 50, noNaN: true }),
        (p, q, gamma) => {
          const sample = publishedSpend.slice(0, 200);
          const analytic = gammaGammaLogLikelihoodWithGradient({ p, q, gamma }, sample).gradient;
          const numeric = finiteDifferenceGradient(
            (v) => gammaGammaLogLikelihoodWithGradient({ p: v[0], q: v[1], gamma: v[2] }, sample).value,
            [p, q, gamma],
          );
          analytic.forEach((g, i) => {
            expectWithin(g, numeric[i], 1e-5 * Math.max(1, Math.abs(numeric[i])));
          });
        },
      ),
      { numRuns: 30 },
    );
  });

  it("the conditional expectation lies between the population mean and the customer's own mean", () => {
    const params = { p: 6.25, q: 3.74, gamma: 15.44 };
    const population = gammaGammaConditionalExpectedValue(params, 0, 0);
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.double({ min: 0.5, max: 500, noNaN: true }),
        (x, mean) => {
          const value = gammaGammaConditionalExpectedValue(params, x, mean);
          expect(value).toBeGreaterThanOrEqual(Math.min(population, mean) - 1e-9);
          expect(value).toBeLessThanOrEqual(Math.max(population, mean) + 1e-9);
        },
      ),
    );
  });
});

describe("discountedLifetimeValue", () => {
  it("reproduces lifetimes' customer_lifetime_value for the first 10 CDNOW customers (BG/NBD x Gamma-Gamma)", () => {
    const bg = fitBgNbd(published.map((row) => ({ x: row.x, tx: row.tx, T: row.T })));
    const { params } = fitGammaGamma(publishedSpend);
    const expected = ggNumbers("clv_time12_monthly_discount0.01_first10", "clv");
    expected.forEach((clv, i) => {
      const row = published[i];
      const history = { x: row.x, tx: row.tx, T: row.T };
      const value = discountedLifetimeValue(
        (t) => bgNbdConditionalExpectedPurchases(bg.params, t, history),
        gammaGammaConditionalExpectedValue(params, row.x, row.zbar),
        // lifetimes' default freq "D" makes a month 30 model time units although CDNOW is in weeks; its
        // published figures are reproduced with that, a weekly model should pass TIME_UNITS_PER_MONTH.week.
        { months: 12, monthlyDiscountRate: 0.01, timeUnitsPerMonth: TIME_UNITS_PER_MONTH.day },
      );
      expectSignificant(value, clv, 6);
    });
  });

  it("is zero over no months, and a higher discount rate never raises it", () => {
    const purchases = (t: number) => 2 * (1 - Math.exp(-t / 20));
    const options = { months: 12, monthlyDiscountRate: 0.01, timeUnitsPerMonth: TIME_UNITS_PER_MONTH.week };
    expect(discountedLifetimeValue(purchases, 30, { ...options, months: 0 })).toBe(0);
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 0.2, noNaN: true }),
        fc.double({ min: 0, max: 0.2, noNaN: true }),
        (d1, d2) => {
          const low = discountedLifetimeValue(purchases, 30, {
            ...options,
            monthlyDiscountRate: Math.min(d1, d2),
          });
          const high = discountedLifetimeValue(purchases, 30, {
            ...options,
            monthlyDiscountRate: Math.max(d1, d2),
          });
          expect(high).toBeLessThanOrEqual(low + 1e-12);
        },
      ),
    );
  });
});
