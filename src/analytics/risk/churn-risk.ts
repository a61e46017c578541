import { bgNbdProbabilityAlive, fitBgNbd } from "../clv/bg-nbd.model.ts";
import { summarizeTransactions, type Transaction } from "../clv/customer-summary.ts";
import {
  fitLogisticRegression,
  type LogisticModel,
  logisticContributions,
  predictLogistic,
} from "./logistic-regression.ts";
import { areaUnderRoc, brierScore, type CalibrationBin, calibrationCurve } from "./risk-metrics.ts";

// Churn risk: who is likely to stop buying in the next `horizonDays`. A logistic model combines the purchase
// model's probability that the customer is still "alive" (BG/NBD) and recency with service signals, trained on the
// past (features at an earlier date, outcome = no order in the horizon after it) and judged on what happened next.
// Times are whole days (UTC day numbers); amounts in any unit.

export interface CustomerHistory {
  id: number;
  /** Orders that count (not cancelled or refunded), by day, ascending. */
  orders: { day: number; amount: number }[];
  tickets: { openedDay: number; solvedDay: number | null; reopened: boolean }[];
  /** Days of SLA targets missed (the clock's due day). */
  slaBreachDays: number[];
  /** Days of low survey answers (CSAT 1-2, NPS 0-6). */
  lowScoreDays: number[];
  /** Days of inbound messages flagged frustrated. */
  frustratedDays: number[];
}

export const riskFeatures = [
  { key: "notAlive", label: "purchase pattern suggests they have stopped" },
  { key: "recency", label: "days since the last order" },
  { key: "orders", label: "orders so far" },
  { key: "meanOrder", label: "average order value" },
  { key: "tenure", label: "days as a customer" },
  { key: "openTickets", label: "tickets still open" },
  { key: "recentTickets", label: "tickets in the last 90 days" },
  { key: "slaBreaches", label: "service targets missed in the last 180 days" },
  { key: "reopened", label: "reopened tickets in the last 180 days" },
  { key: "lowScores", label: "low satisfaction scores in the last 180 days" },
  { key: "frustrated", label: "frustrated messages in the last 90 days" },
  { key: "repeatedContact", label: "three or more tickets within 30 days" },
] as const;
export type RiskFeatureKey = (typeof riskFeatures)[number]["key"];

const dayMs = 86_400_000;
const countIn = (days: readonly number[], from: number, to: number) =>
  days.reduce((n, day) => n + (day > from && day <= to ? 1 : 0), 0);

/** Ordered at least once by `asOf` and within `activeDays` before it: a customer who can still be lost. */
export function isActiveAt(history: CustomerHistory, asOf: number, activeDays: number): boolean {
  let last = Number.NEGATIVE_INFINITY;
  for (const order of history.orders) if (order.day <= asOf) last = order.day;
  return last > asOf - activeDays;
}

/** The outcome a risk score predicts: no order in (asOf, asOf + horizon]. */
export function churnedWithin(history: CustomerHistory, asOf: number, horizonDays: number): boolean {
  return !history.orders.some((order) => order.day > asOf && order.day <= asOf + horizonDays);
}

/** BG/NBD fitted on every customer's orders up to `asOf` (weeks), and each customer's probability of being alive. */
export function probabilityAliveAt(histories: readonly CustomerHistory[], asOf: number): Map<number, number> {
  const transactions: Transaction[] = [];
  for (const history of histories) {
    for (const order of history.orders) {
      if (order.day <= asOf) {
        transactions.push({
          customerId: String(history.id),
          date: new Date(order.day * dayMs),
          amount: order.amount,
        });
      }
    }
  }
  const summaries = summarizeTransactions(transactions, {
    calibrationEnd: new Date(asOf * dayMs),
    timeUnit: "week",
  });
  const result = new Map<number, number>();
  if (summaries.length < 20) return result;
  const fit = fitBgNbd(summaries);
  for (const summary of summaries) {
    result.set(Number(summary.customerId), bgNbdProbabilityAlive(fit.params, summary));
  }
  return result;
}

/** The features of one customer at `asOf`, in `riskFeatures` order. */
export function featuresAt(history: CustomerHistory, asOf: number, pAlive: number): number[] {
  const past = history.orders.filter((order) => order.day <= asOf);
  const first = past[0]?.day ?? asOf;
  const last = past[past.length - 1]?.day ?? asOf;
  const mean = past.length > 0 ? past.reduce((s, o) => s + o.amount, 0) / past.length : 0;
  const open = history.tickets.filter(
    (t) => t.openedDay <= asOf && (t.solvedDay === null || t.solvedDay > asOf),
  ).length;
  const ticketDays = history.tickets.map((t) => t.openedDay);
  const reopened = history.tickets.filter(
    (t) => t.reopened && t.openedDay > asOf - 180 && t.openedDay <= asOf,
  );
  let repeated = 0;
  for (const day of ticketDays)
    if (day <= asOf && day > asOf - 90 && countIn(ticketDays, day - 30, day) >= 3) repeated = 1;
  const clipped = Math.min(Math.max(pAlive, 1e-4), 1 - 1e-4);
  return [
    Math.log((1 - clipped) / clipped),
    Math.log1p(asOf - last),
    Math.log1p(past.length),
    Math.log1p(mean),
    Math.log1p(asOf - first),
    Math.min(open, 5),
    Math.min(countIn(ticketDays, asOf - 90, asOf), 10),
    Math.min(countIn(history.slaBreachDays, asOf - 180, asOf), 10),
    Math.min(reopened.length, 5),
    Math.min(countIn(history.lowScoreDays, asOf - 180, asOf), 5),
    Math.min(countIn(history.frustratedDays, asOf - 90, asOf), 10),
    repeated,
  ];
}

export interface RiskModel {
  logistic: LogisticModel;
  asOf: number;
  horizonDays: number;
  activeDays: number;
  trainedOn: number;
  churnRate: number;
}

export interface RiskOptions {
  horizonDays: number;
  /** Customers with an order in this many days before the as-of date are scored; the rest are already lapsed. */
  activeDays: number;
}

function dataset(histories: readonly CustomerHistory[], asOf: number, options: RiskOptions) {
  const pAlive = probabilityAliveAt(histories, asOf);
  const rows: number[][] = [];
  const outcomes: boolean[] = [];
  const ids: number[] = [];
  for (const history of histories) {
    if (!isActiveAt(history, asOf, options.activeDays)) continue;
    rows.push(featuresAt(history, asOf, pAlive.get(history.id) ?? 1));
    outcomes.push(churnedWithin(history, asOf, options.horizonDays));
    ids.push(history.id);
  }
  return { rows, outcomes, ids, pAlive };
}

/** Trains on features at `asOf` with the outcome observed in the horizon after it (needs asOf + horizon <= now). */
export function trainRiskModel(
  histories: readonly CustomerHistory[],
  asOf: number,
  options: RiskOptions,
): RiskModel {
  const { rows, outcomes } = dataset(histories, asOf, options);
  if (rows.length < 30 || outcomes.every(Boolean) || !outcomes.some(Boolean)) {
    throw new RangeError(
      `Too little history to learn churn: ${rows.length} active customers at the training date, with and without churn needed`,
    );
  }
  return {
    logistic: fitLogisticRegression(rows, outcomes, { l2: 1 }),
    asOf,
    horizonDays: options.horizonDays,
    activeDays: options.activeDays,
    trainedOn: rows.length,
    churnRate: outcomes.filter(Boolean).length / outcomes.length,
  };
}

export interface Backtest {
  trainedAsOf: number;
  testedAsOf: number;
  horizonDays: number;
  trainCustomers: number;
  testCustomers: number;
  churnRate: number;
  auc: number;
  brier: number;
  calibration: CalibrationBin[];
  /** The same judged for the purchase model alone (1 - P(alive)), to show what the service signals add. */
  purchaseModelOnly: { auc: number; brier: number };
}

/**
 * A time-split backtest: train at now - 2·horizon (outcomes known by now - horizon), score everyone active at
 * now - horizon with that model, and compare with who actually stopped buying by now.
 */
export function backtestRiskModel(
  histories: readonly CustomerHistory[],
  now: number,
  options: RiskOptions,
): Backtest {
  const testedAsOf = now - options.horizonDays;
  const trainedAsOf = testedAsOf - options.horizonDays;
  const model = trainRiskModel(histories, trainedAsOf, options);
  const test = dataset(histories, testedAsOf, options);
  const predicted = test.rows.map((row) => predictLogistic(model.logistic, row));
  const purchaseOnly = test.ids.map((id) => 1 - (test.pAlive.get(id) ?? 1));
  return {
    trainedAsOf,
    testedAsOf,
    horizonDays: options.horizonDays,
    trainCustomers: model.trainedOn,
    testCustomers: test.rows.length,
    churnRate: test.outcomes.filter(Boolean).length / Math.max(1, test.outcomes.length),
    auc: areaUnderRoc(predicted, test.outcomes),
    brier: brierScore(predicted, test.outcomes),
    calibration: calibrationCurve(predicted, test.outcomes, 10),
    purchaseModelOnly: {
      auc: areaUnderRoc(purchaseOnly, test.outcomes),
      brier: brierScore(purchaseOnly, test.outcomes),
    },
  };
}

export interface RiskReason {
  feature: RiskFeatureKey;
  label: string;
  /** The customer's value of the feature, as a person reads it (days, counts, a probability). */
  value: number;
  /** How much it raised the log-odds of churn above an average customer's. */
  weight: number;
}

export interface RiskScore {
  customerId: number;
  /** 0-100: the predicted probability of no order in the horizon, in percent. */
  score: number;
  pAlive: number;
  reasons: RiskReason[];
}

/** Undoes the feature transforms so a reason shows a number a person recognises. */
function readable(index: number, value: number): number {
  const key = riskFeatures[index].key;
  if (key === "notAlive") return 1 / (1 + Math.exp(value));
  if (key === "recency" || key === "orders" || key === "meanOrder" || key === "tenure") {
    return Math.round(Math.expm1(value) * 100) / 100;
  }
  return value;
}

/** One customer's score at `asOf` (with their P(alive) then); the top reasons are the features that raise it most. */
export function scoreHistory(
  model: RiskModel,
  history: CustomerHistory,
  asOf: number,
  pAlive: number,
  topReasons = 3,
): RiskScore {
  const row = featuresAt(history, asOf, pAlive);
  const reasons = logisticContributions(model.logistic, row)
    .map((weight, index) => ({ weight, index }))
    .filter((entry) => entry.weight > 0.05)
    .sort((a, b) => b.weight - a.weight)
    .slice(0, topReasons)
    .map(({ weight, index }) => ({
      feature: riskFeatures[index].key,
      label: riskFeatures[index].label,
      value: readable(index, row[index]),
      weight: Math.round(weight * 1000) / 1000,
    }));
  return {
    customerId: history.id,
    score: Math.round(predictLogistic(model.logistic, row) * 1000) / 10,
    pAlive,
    reasons,
  };
}

/** Scores every customer active at `asOf` with a trained model. */
export function scoreCustomers(
  histories: readonly CustomerHistory[],
  model: RiskModel,
  asOf: number,
  options: { topReasons?: number } = {},
): RiskScore[] {
  const pAlive = probabilityAliveAt(histories, asOf);
  return histories
    .filter((history) => isActiveAt(history, asOf, model.activeDays))
    .map((history) => scoreHistory(model, history, asOf, pAlive.get(history.id) ?? 1, options.topReasons));
}

export type RiskBand = "low" | "medium" | "high";

/** Bands a rule or playbook can use: high from 60, medium from 30 (percent chance of no order in the horizon). */
export function riskBandOf(score: number, thresholds = { medium: 30, high: 60 }): RiskBand {
  return score >= thresholds.high ? "high" : score >= thresholds.medium ? "medium" : "low";
}
