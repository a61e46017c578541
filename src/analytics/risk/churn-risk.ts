import {
  type BgNbdParams,
  bgNbdProbabilityAlive,
  bgNbdProbabilityNoPurchase,
  fitBgNbd,
} from "../clv/bg-nbd.model.ts";
import { type CustomerSummary, summarizeTransactions, type Transaction } from "../clv/customer-summary.ts";
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
  { key: "purchaseForecast", label: "their purchase pattern forecasts no order in the horizon" },
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

/** Features that count service events; they are a reason only when the customer has some. */
const serviceSignals = new Set<RiskFeatureKey>([
  "openTickets",
  "recentTickets",
  "slaBreaches",
  "reopened",
  "lowScores",
  "frustrated",
  "repeatedContact",
]);

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

/** What the purchase model (BG/NBD) says of one customer at a date. */
export interface PurchaseOutlook {
  pAlive: number;
  /** Its own forecast of the churn outcome: no purchase in the horizon after the date. */
  pNoPurchase: number;
}

function transactionsOf(history: CustomerHistory, asOf: number): Transaction[] {
  return history.orders
    .filter((order) => order.day <= asOf)
    .map((order) => ({
      customerId: String(history.id),
      date: new Date(order.day * dayMs),
      amount: order.amount,
    }));
}

const summaryOptions = (asOf: number) => ({
  calibrationEnd: new Date(asOf * dayMs),
  timeUnit: "week" as const,
});

/**
 * BG/NBD fitted (time unit: week) on every customer's orders up to day `asOf` (params null with under 20 customers),
 * with each customer's summary, so the outlooks need no second pass over the orders.
 */
export function fitPurchaseModelAt(
  histories: readonly CustomerHistory[],
  asOf: number,
): { params: BgNbdParams | null; summaries: Map<number, CustomerSummary> } {
  const all = summarizeTransactions(
    histories.flatMap((history) => transactionsOf(history, asOf)),
    summaryOptions(asOf),
  );
  const summaries = new Map(all.map((summary) => [Number(summary.customerId), summary]));
  return { params: all.length < 20 ? null : fitBgNbd(all).params, summaries };
}

function outlookOf(
  params: BgNbdParams | null,
  summary: CustomerSummary | undefined,
  horizonDays: number,
): PurchaseOutlook {
  if (!params || !summary) return { pAlive: 1, pNoPurchase: 1 };
  return {
    pAlive: bgNbdProbabilityAlive(params, summary),
    pNoPurchase: bgNbdProbabilityNoPurchase(params, horizonDays / 7, summary),
  };
}

/**
 * One customer's probability of being alive at day `asOf` and of buying nothing in the `horizonDays` after it, from
 * their own orders and the fitted parameters (so one customer can be re-scored without refitting on everyone).
 */
export function purchaseOutlookOf(
  params: BgNbdParams | null,
  history: CustomerHistory,
  asOf: number,
  horizonDays: number,
): PurchaseOutlook {
  const [summary] = summarizeTransactions(transactionsOf(history, asOf), summaryOptions(asOf));
  return outlookOf(params, summary, horizonDays);
}

/** The features of one customer at `asOf`, in `riskFeatures` order. */
export function featuresAt(history: CustomerHistory, asOf: number, outlook: PurchaseOutlook): number[] {
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
  const clipped = Math.min(Math.max(outlook.pNoPurchase, 1e-4), 1 - 1e-4);
  return [
    Math.log(clipped / (1 - clipped)),
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
  /** BG/NBD parameters (weeks) fitted at the date the model scores, so one customer can be re-scored alone. */
  purchase: BgNbdParams | null;
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
  const purchase = fitPurchaseModelAt(histories, asOf);
  const outlook = new Map<number, PurchaseOutlook>();
  const rows: number[][] = [];
  const outcomes: boolean[] = [];
  const ids: number[] = [];
  for (const history of histories) {
    if (!isActiveAt(history, asOf, options.activeDays)) continue;
    const forecast = outlookOf(purchase.params, purchase.summaries.get(history.id), options.horizonDays);
    outlook.set(history.id, forecast);
    rows.push(featuresAt(history, asOf, forecast));
    outcomes.push(churnedWithin(history, asOf, options.horizonDays));
    ids.push(history.id);
  }
  return { rows, outcomes, ids, outlook };
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
    purchase: null,
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
  /** The same judged for the purchase model alone (BG/NBD's P(no purchase in the horizon)), to show what the rest adds. */
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
  // The purchase model's own forecast of the outcome, P(no purchase in the horizon), not 1 - P(alive): BG/NBD
  // holds a one-order customer surely alive, so 1 - P(alive) ties most recent buyers at 0 and ranks at chance.
  const purchaseOnly = test.ids.map((id) => test.outlook.get(id)?.pNoPurchase ?? 1);
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
  if (key === "purchaseForecast") return 1 / (1 + Math.exp(-value));
  if (key === "recency" || key === "orders" || key === "meanOrder" || key === "tenure") {
    return Math.round(Math.expm1(value) * 100) / 100;
  }
  return value;
}

/**
 * One customer's score at `asOf`, with the purchase model of `model.purchase`; the top reasons are the features that
 * raise it most.
 */
export function scoreHistory(
  model: RiskModel,
  history: CustomerHistory,
  asOf: number,
  topReasons = 3,
  outlook: PurchaseOutlook = purchaseOutlookOf(model.purchase, history, asOf, model.horizonDays),
): RiskScore {
  const row = featuresAt(history, asOf, outlook);
  const reasons = logisticContributions(model.logistic, row)
    .map((weight, index) => ({ weight, index }))
    // A service signal the customer does not have is no reason: when contacts go with loyalty, "no tickets" raises
    // the modelled risk, but "tickets in the last 90 days: 0" reads as nonsense to the person acting on it.
    .filter(
      (entry) =>
        entry.weight > 0.05 && (!serviceSignals.has(riskFeatures[entry.index].key) || row[entry.index] > 0),
    )
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
    pAlive: outlook.pAlive,
    reasons,
  };
}

/**
 * Scores every customer active at `asOf` with a trained model, refitting the purchase model on everyone's orders up
 * to `asOf`; the model returned carries those parameters (store it to re-score one customer later).
 */
export function scoreCustomers(
  histories: readonly CustomerHistory[],
  trained: RiskModel,
  asOf: number,
  options: { topReasons?: number } = {},
): { model: RiskModel; scores: RiskScore[] } {
  const purchase = fitPurchaseModelAt(histories, asOf);
  const model = { ...trained, purchase: purchase.params };
  const scores = histories
    .filter((history) => isActiveAt(history, asOf, model.activeDays))
    .map((history) =>
      scoreHistory(
        model,
        history,
        asOf,
        options.topReasons,
        outlookOf(model.purchase, purchase.summaries.get(history.id), model.horizonDays),
      ),
    );
  return { model, scores };
}

export type RiskBand = "low" | "medium" | "high";

/** Bands a rule or playbook can use: high from 60, medium from 30 (percent chance of no order in the horizon). */
export function riskBandOf(score: number, thresholds = { medium: 30, high: 60 }): RiskBand {
  return score >= thresholds.high ? "high" : score >= thresholds.medium ? "medium" : "low";
}
