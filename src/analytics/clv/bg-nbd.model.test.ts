import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { expectSignificant, expectWithin } from "../analytics-expect.test-support.ts";
import {
  readCdnowTransactions,
  readReferences,
  referenceAt,
  referenceNumber,
  referenceNumbers,
} from "../analytics-fixtures.test-support.ts";
import { finiteDifferenceGradient } from "../optimize/numeric-derivatives.ts";
import {
  type BgNbdFit,
  type BgNbdParams,
  bgNbdConditionalExpectedPurchases,
  bgNbdExpectedPurchases,
  bgNbdLogLikelihood,
  bgNbdLogLikelihoodWithGradient,
  bgNbdProbabilityAlive,
  bgNbdProbabilityNoPurchase,
  bgNbdPurchaseCountProbability,
  fitBgNbd,
} from "./bg-nbd.model.ts";
import { cdnowCalibrationSummary } from "./cdnow.test-support.ts";
import { type CustomerSummary, summarizeTransactions } from "./customer-summary.ts";
import { groupRfmObservations } from "./rfm-groups.ts";

const refs = readReferences();
const bg = (...path: string[]) => referenceNumber(refs, "cdnow_calibration", "bgnbd", ...path);
const publishedParams: BgNbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };

let customers: CustomerSummary[];
let fit: BgNbdFit;

beforeAll(() => {
  customers = cdnowCalibrationSummary();
  fit = fitBgNbd(customers);
});

describe("fitBgNbd on CDNOW (Fader, Hardie & Lee 2005)", () => {
  it("reproduces the published parameters to 3 significant figures and the log-likelihood to 0.01", () => {
    expect(fit.converged).toBe(true);
    for (const name of ["r", "alpha", "a", "b"] as const) {
      expectSignificant(fit.params[name], bg("published_FHL2005", name), 3);
      expectSignificant(fit.params[name], bg("BTYD_vignette", name), 3);
    }
    expectWithin(fit.logLikelihood, bg("BTYD_vignette", "LL"), 0.01);
    // The likelihood is flat in a and b (their optima differ in the 5th digit); ours is no worse than theirs.
    for (const source of ["BTYD_vignette", "recomputed"]) {
      const theirs = {
        r: bg(source, "r"),
        alpha: bg(source, "alpha"),
        a: bg(source, "a"),
        b: bg(source, "b"),
      };
      expect(fit.logLikelihood).toBeGreaterThanOrEqual(bgNbdLogLikelihood(theirs, customers) - 1e-7);
    }
  });

  it("reproduces the standard errors lifetimes reports, to 3 significant figures", () => {
    for (const name of ["r", "alpha", "a", "b"] as const) {
      const [, se] = referenceNumbers(refs, "cdnow_calibration", "bgnbd", "lifetimes_docs_summary", name);
      expectSignificant(fit.standardErrors[name], se, 3);
    }
  });

  it("groups the 2,357 customers into far fewer likelihood terms", () => {
    expect(fit.customers).toBe(2357);
    expect(fit.groups).toBeLessThan(1100);
  });
});

describe("BG/NBD predictions", () => {
  // Hardie's sheet gives 1.8576 at t = 78 where every published optimum gives 1.85794-1.85797 (cephes' 2F1
  // agrees with the direct series to 1e-15 there), so the sheet's rounded parameters differ: 3 decimals.
  it("E[X(t)] for a new customer matches Hardie's spreadsheet (3 decimals) and BTYD at t = 52", () => {
    const ts = referenceNumbers(refs, "cdnow_calibration", "bgnbd", "expected_purchases_new_customer", "t");
    const es = referenceNumbers(refs, "cdnow_calibration", "bgnbd", "expected_purchases_new_customer", "E");
    ts.forEach((t, i) => {
      expectWithin(bgNbdExpectedPurchases(fit.params, t), es[i], t < 78 ? 5e-5 : 5e-4);
    });
    expectSignificant(bgNbdExpectedPurchases(fit.params, 52), bg("expectation_t52_BTYD"), 4);
  });

  it("conditional expected purchases match the published values to 4 significant figures", () => {
    const cases = referenceAt(refs, ["cdnow_calibration", "bgnbd", "conditional_expectation"]) as {
      x: number;
      t_x: number;
      T: number;
      t: number;
      E: number;
    }[];
    expect(cases.length).toBe(6);
    for (const c of cases) {
      expectSignificant(
        bgNbdConditionalExpectedPurchases(fit.params, c.t, { x: c.x, tx: c.t_x, T: c.T }),
        c.E,
        4,
      );
    }
  });

  it("P(alive) of BTYD's customer 1516 matches to 4 significant figures", () => {
    expectSignificant(
      bgNbdProbabilityAlive(fit.params, { x: 26, tx: 30.85714, T: 31 }),
      bg("p_alive", "0", "p"),
      4,
    );
  });

  it("the lifetimes Quickstart top-5 predictions for the next week match at lifetimes' estimates", () => {
    const params: BgNbdParams = { r: 0.242593, alpha: 4.413532, a: 0.792886, b: 2.425752 };
    const rows = referenceAt(refs, [
      "cdnow_calibration",
      "bgnbd",
      "lifetimes_docs_top5_predicted_t1",
      "rows",
    ]) as {
      x: number;
      t_x: number;
      T: number;
      E: number;
    }[];
    for (const row of rows) {
      expectSignificant(
        bgNbdConditionalExpectedPurchases(params, 1, { x: row.x, tx: row.t_x, T: row.T }),
        row.E,
        5,
      );
    }
  });

  it("the purchase-count pmf matches BTYD at the published parameters to 4 significant figures", () => {
    const pmf = (...path: string[]) => bg("pmf_at_published_params", ...path);
    expectSignificant(bgNbdPurchaseCountProbability(publishedParams, 2, 10), pmf("P(X(2)=10)"), 4);
    expectSignificant(bgNbdPurchaseCountProbability(publishedParams, 39, 0), pmf("P(X(39)=0)"), 4);
    const tail = referenceNumbers(
      refs,
      "cdnow_calibration",
      "bgnbd",
      "pmf_at_published_params",
      "P(X(30)=n), n=11..20",
    );
    tail.forEach((p, i) => {
      expectSignificant(bgNbdPurchaseCountProbability(publishedParams, 30, 11 + i), p, 4);
    });
  });

  it("P(no purchase in the next t) agrees with the pmf: a customer with no purchase by T, then none by T + t", () => {
    // For x = 0 the customer is surely alive, and P(none in (T, T+t]) = P(X(T+t) = 0) / P(X(T) = 0).
    for (const [T, t] of [
      [5, 10],
      [20, 13],
      [39, 52],
    ]) {
      const expected =
        bgNbdPurchaseCountProbability(publishedParams, T + t, 0) /
        bgNbdPurchaseCountProbability(publishedParams, T, 0);
      expectWithin(bgNbdProbabilityNoPurchase(publishedParams, t, { x: 0, tx: 0, T }), expected, 1e-12);
    }
  });

  it("P(no purchase in the next t) lies between 1 - P(alive) and 1 and falls as t grows", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 1, max: 78, noNaN: true }),
        fc.double({ min: 0.5, max: 100, noNaN: true }),
        (x, share, T, t) => {
          const customer = { x, tx: share * T, T };
          const dead = 1 - bgNbdProbabilityAlive(publishedParams, customer);
          const none = bgNbdProbabilityNoPurchase(publishedParams, t, customer);
          const later = bgNbdProbabilityNoPurchase(publishedParams, 2 * t, customer);
          return none >= dead - 1e-12 && none <= 1 && later <= none + 1e-12;
        },
      ),
    );
  });

  it("the pmf sums to 1 and its mean is E[X(t)]", () => {
    let total = 0;
    let mean = 0;
    for (let n = 0; n < 400; n++) {
      const p = bgNbdPurchaseCountProbability(publishedParams, 10, n);
      total += p;
      mean += n * p;
    }
    expectWithin(total, 1, 1e-9);
    expectWithin(mean, bgNbdExpectedPurchases(publishedParams, 10), 1e-6);
  });

  it("the log-likelihood stays finite for extreme histories (pymc-marketing's stable-logp cases)", () => {
    const params: BgNbdParams = { r: 0.25, alpha: 4, a: 0.8, b: 2.5 };
    const path = ["cdnow_calibration", "bgnbd", "numerically_stable_logp_pymc_marketing", "cases"];
    const cases = referenceAt(refs, path) as { x: number; t_x: number; ll: number }[];
    for (const c of cases) {
      expectWithin(bgNbdLogLikelihood(params, [{ x: c.x, tx: c.t_x, T: 40 }]), c.ll, 1e-4);
    }
  });

  it("reproduces BTYD's holdout check: mean purchases in the 39 holdout weeks by calibration frequency", () => {
    const holdoutEnd = new Date(Date.UTC(1998, 5, 30));
    const whole = new Map(
      summarizeTransactions(readCdnowTransactions(), { timeUnit: "week", calibrationEnd: holdoutEnd }).map(
        (s) => [s.customerId, s],
      ),
    );
    const bins = Array.from({ length: 8 }, () => ({ n: 0, actual: 0, expected: 0 }));
    for (const c of customers) {
      const bin = bins[Math.min(7, c.x)];
      bin.n++;
      bin.actual += (whole.get(c.customerId)?.x ?? 0) - c.x;
      bin.expected += bgNbdConditionalExpectedPurchases(fit.params, 39, c);
    }
    const base = ["cdnow_calibration", "bgnbd", "holdout_by_calib_freq_BTYD"];
    expect(bins.map((b) => b.n)).toEqual(referenceNumbers(refs, ...base, "n"));
    const actual = referenceNumbers(refs, ...base, "actual");
    const expected = referenceNumbers(refs, ...base, "expected");
    bins.forEach((b, i) => {
      expectSignificant(b.actual / b.n, actual[i], 6);
      expectSignificant(b.expected / b.n, expected[i], 4);
    });
  });

  it("reproduces BTYD's cumulative repeat-purchase tracking for weeks 20-25", () => {
    const maxT = Math.max(...customers.map((c) => c.T));
    const cumulative = (week: number) =>
      customers.reduce((sum, c) => {
        const born = maxT - c.T;
        return born <= week ? sum + bgNbdExpectedPurchases(fit.params, week - born) : sum;
      }, 0);
    const path = ["cdnow_calibration", "bgnbd", "weekly_tracking_weeks20_25_BTYD", "expected_cum"];
    referenceNumbers(refs, ...path).forEach((e, i) => {
      expectSignificant(cumulative(20 + i), e, 5);
    });
  });
});

describe("BG/NBD properties", () => {
  const params = fc.record({
    r: fc.double({ min: 0.05, max: 5, noNaN: true }),
    alpha: fc.double({ min: 0.5, max: 20, noNaN: true }),
    a: fc.double({ min: 0.1, max: 5, noNaN: true }),
    b: fc.double({ min: 0.1, max: 5, noNaN: true }),
  });
  const history = fc
    .record({
      x: fc.integer({ min: 0, max: 40 }),
      u: fc.double({ min: 0, max: 1, noNaN: true }),
      T: fc.double({ min: 1, max: 80, noNaN: true }),
    })
    .map(({ x, u, T }) => ({ x, tx: x === 0 ? 0 : u * T, T }));

  it("P(alive) lies in [0, 1] and is 1 for a customer with no repeat purchase", () => {
    fc.assert(
      fc.property(params, history, (p, h) => {
        const alive = bgNbdProbabilityAlive(p, h);
        expect(alive).toBeGreaterThanOrEqual(0);
        expect(alive).toBeLessThanOrEqual(1);
        if (h.x === 0) expect(alive).toBe(1);
      }),
    );
  });

  it("E[X(t)] increases with t", () => {
    fc.assert(
      fc.property(
        params,
        fc.double({ min: 0.1, max: 50, noNaN: true }),
        fc.double({ min: 0.1, max: 20, noNaN: true }),
        (p, t, dt) => {
          fc.pre(Math.abs(p.a - 1) > 0.05);
          expect(bgNbdExpectedPurchases(p, t + dt)).toBeGreaterThan(bgNbdExpectedPurchases(p, t));
        },
      ),
      { numRuns: 200 },
    );
  });

  it("the analytic gradient matches central finite differences", () => {
    const groups = groupRfmObservations(customers.slice(0, 300));
    fc.assert(
      fc.property(params, (p) => {
        const analytic = bgNbdLogLikelihoodWithGradient(p, groups).gradient;
        const numeric = finiteDifferenceGradient(
          (v) => bgNbdLogLikelihoodWithGradient({ r: v[0], alpha: v[1], a: v[2], b: v[3] }, groups).value,
          [p.r, p.alpha, p.a, p.b],
        );
        analytic.forEach((g, i) => {
          expectWithin(g, numeric[i], 1e-5 * Math.max(1, Math.abs(numeric[i])));
        });
      }),
      { numRuns: 30 },
    );
  });
});
