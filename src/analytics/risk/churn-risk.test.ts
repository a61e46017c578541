import { describe, expect, it } from "vitest";
import {
  backtestRiskModel,
  type CustomerHistory,
  churnedWithin,
  featuresAt,
  isActiveAt,
  type RiskModel,
  riskBandOf,
  riskFeatures,
  scoreCustomers,
  scoreHistory,
  trainRiskModel,
} from "./churn-risk.ts";

/** Customers buying at Poisson rates until they drop out; a missed SLA doubles the dropout hazard from then on. */
function simulate(count: number, now: number): CustomerHistory[] {
  let state = 99;
  const uniform = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state + 0.5) / 4294967296;
  };
  const exponential = (rate: number) => -Math.log(uniform()) / rate;
  const histories: CustomerHistory[] = [];
  for (let id = 1; id <= count; id++) {
    const start = uniform() * (now - 200);
    const rate = (exponential(1) + exponential(1)) / 40;
    const dropout = 1 / 500;
    const breachDay = uniform() < 0.35 ? start + uniform() * (now - start) : Number.POSITIVE_INFINITY;
    let death = start + exponential(dropout);
    if (death > breachDay) death = breachDay + exponential(dropout * 4);
    const orders: { day: number; amount: number }[] = [];
    for (let t = start; t < Math.min(death, now); t += exponential(rate))
      orders.push({ day: Math.floor(t), amount: 20 + 40 * uniform() });
    const breached = Number.isFinite(breachDay) && breachDay < now;
    histories.push({
      id,
      orders,
      tickets: breached
        ? [{ openedDay: Math.floor(breachDay) - 1, solvedDay: Math.floor(breachDay) + 2, reopened: false }]
        : [],
      slaBreachDays: breached ? [Math.floor(breachDay)] : [],
      lowScoreDays: [],
      frustratedDays: [],
    });
  }
  return histories;
}

describe("churn risk", () => {
  const now = 1500;
  const options = { horizonDays: 120, activeDays: 365 };
  const histories = simulate(3000, now);

  it("defines who is at risk and what churn means", () => {
    const h: CustomerHistory = {
      id: 1,
      orders: [
        { day: 10, amount: 5 },
        { day: 100, amount: 5 },
      ],
      tickets: [{ openedDay: 95, solvedDay: null, reopened: true }],
      slaBreachDays: [96],
      lowScoreDays: [],
      frustratedDays: [],
    };
    expect(isActiveAt(h, 120, 365)).toBe(true);
    expect(isActiveAt(h, 500, 365)).toBe(false);
    expect(churnedWithin(h, 50, 60)).toBe(false);
    expect(churnedWithin(h, 100, 60)).toBe(true);
    const features = featuresAt(h, 120, { pAlive: 0.5, pNoPurchase: 0.5 });
    expect(features[1]).toBeCloseTo(Math.log1p(20), 12); // 20 days since the last order
    expect(features.slice(5, 9)).toEqual([1, 1, 1, 1]); // open ticket, recent ticket, one breach, one reopened
  });

  it("a time-split backtest beats the purchase model alone when service matters, and is calibrated", () => {
    const backtest = backtestRiskModel(histories, now, options);
    expect(backtest.testCustomers).toBeGreaterThan(500);
    expect(backtest.auc).toBeGreaterThan(0.65);
    // The baseline is BG/NBD's own forecast of the outcome (P(no purchase in the horizon)), which already sees the
    // lapses a breach causes; the service features add about 0.01 AUC here (0.925 against 0.916; 0.926/0.913 and
    // 0.931/0.922 with 2,000 and 4,000 simulated customers).
    expect(backtest.auc).toBeGreaterThan(backtest.purchaseModelOnly.auc + 0.005);
    expect(backtest.brier).toBeLessThan(backtest.purchaseModelOnly.brier);
    expect(backtest.brier).toBeLessThan(backtest.churnRate * (1 - backtest.churnRate));
    for (const bin of backtest.calibration)
      expect(Math.abs(bin.meanPredicted - bin.observedRate)).toBeLessThan(0.2);
  });

  it("scores 0-100 with readable top reasons and bands", () => {
    const model = trainRiskModel(histories, now - options.horizonDays, options);
    const { model: scoring, scores } = scoreCustomers(histories, model, now);
    expect(scores.every((s) => s.score >= 0 && s.score <= 100)).toBe(true);
    // The returned model carries the purchase model's parameters: one customer re-scored alone gets the same score.
    expect(scoring.purchase).not.toBeNull();
    const one = histories.find((h) => h.id === scores[7].customerId);
    expect(one && scoreHistory(scoring, one, now)).toEqual(scores[7]);
    const breached = scores.find((s) => s.reasons.some((r) => r.feature === "slaBreaches"));
    expect(breached?.reasons.find((r) => r.feature === "slaBreaches")?.value).toBeGreaterThanOrEqual(1);
    expect(riskBandOf(75)).toBe("high");
    expect(riskBandOf(45)).toBe("medium");
    expect(riskBandOf(5)).toBe("low");
  });

  it("never gives a service signal the customer does not have as a reason, even when its absence raises risk", () => {
    // A model in which contacts go with loyalty: fewer recent tickets than average raises the risk.
    const coefficients: number[] = riskFeatures.map((feature) => (feature.key === "recentTickets" ? -2 : 0));
    coefficients[1] = 0.5; // recency raises it a little
    const model: RiskModel = {
      logistic: {
        intercept: 0,
        coefficients,
        means: riskFeatures.map(() => 1),
        scales: riskFeatures.map(() => 1),
        iterations: 1,
        converged: true,
      },
      purchase: null,
      asOf: 100,
      horizonDays: 120,
      activeDays: 365,
      trainedOn: 100,
      churnRate: 0.3,
    };
    const quiet: CustomerHistory = {
      id: 9,
      orders: [{ day: 10, amount: 5 }],
      tickets: [],
      slaBreachDays: [],
      lowScoreDays: [],
      frustratedDays: [],
    };
    const reasons = scoreHistory(model, quiet, 100).reasons.map((reason) => reason.feature);
    expect(reasons).toEqual(["recency"]);
  });
});
