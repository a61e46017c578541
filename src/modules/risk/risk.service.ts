import type { BgNbdParams } from "../../analytics/clv/bg-nbd.model.ts";
import { predictCustomerValues } from "../../analytics/clv/customer-value.ts";
import {
  backtestRiskModel,
  type CustomerHistory,
  isActiveAt,
  type RiskModel,
  riskBandOf,
  scoreCustomers,
  scoreHistory,
  trainRiskModel,
} from "../../analytics/risk/churn-risk.ts";
import type { LogisticModel } from "../../analytics/risk/logistic-regression.ts";
import type { ServiceContext } from "../../context.ts";
import { withTransaction } from "../../db/transaction.ts";
import {
  countRiskBands,
  countRiskList,
  deleteRiskNotIn,
  insertRiskModel,
  type RiskModelRow,
  saveRiskScores,
  selectCountedOrders,
  selectCustomerLabels,
  selectCustomerRisk,
  selectCustomerRiskHistory,
  selectFrustratedDays,
  selectHasOrders,
  selectLatestRiskModel,
  selectLowScoreDays,
  selectRiskForCustomers,
  selectRiskList,
  selectSlaBreachDays,
  selectTicketFacts,
} from "./risk.repo.ts";

type Ctx = Pick<ServiceContext, "db" | "clock">;

export type RiskSettings = {
  horizonDays: number;
  activeDays: number;
  valueMonths: number;
  monthlyDiscountRate: number;
};
export const defaultRiskSettings: RiskSettings = {
  horizonDays: 120,
  activeDays: 365,
  valueMonths: 12,
  monthlyDiscountRate: 0.01,
};

const dayMs = 86_400_000;

/** Every customer's history as the risk model reads it, from a handful of queries (or one customer's). */
export async function loadCustomerHistories(ctx: Pick<Ctx, "db">, customerId?: number) {
  const orderRows = await selectCountedOrders(ctx.db, customerId);
  const ticketRows = await selectTicketFacts(ctx.db, customerId);
  const breaches = await selectSlaBreachDays(ctx.db, customerId);
  const lowScores = await selectLowScoreDays(ctx.db, customerId);
  const frustrated = await selectFrustratedDays(ctx.db, customerId);
  const byId = new Map<number, CustomerHistory>();
  const historyOf = (id: number) => {
    let history = byId.get(id);
    if (!history) {
      history = { id, orders: [], tickets: [], slaBreachDays: [], lowScoreDays: [], frustratedDays: [] };
      byId.set(id, history);
    }
    return history;
  };
  const currencies = new Map<string, number>();
  for (const row of orderRows) {
    historyOf(row.customerId).orders.push({ day: row.day, amount: Number(row.amountMinor) });
    currencies.set(row.currency, (currencies.get(row.currency) ?? 0) + 1);
  }
  for (const row of ticketRows) {
    historyOf(row.customerId).tickets.push({
      openedDay: row.openedDay,
      solvedDay: row.solvedDay,
      reopened: row.reopened,
    });
  }
  for (const row of breaches) historyOf(row.customerId).slaBreachDays.push(row.day);
  for (const row of lowScores) historyOf(row.customerId).lowScoreDays.push(row.day);
  for (const row of frustrated) historyOf(row.customerId).frustratedDays.push(row.day);
  // The main currency: predicted values are in it (mixed-currency shops get a value per main currency only).
  const currency = [...currencies.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
  return { histories: [...byId.values()], currency };
}

function transactionsOf(histories: readonly CustomerHistory[]) {
  return histories.flatMap((history) =>
    history.orders.map((order) => ({
      customerId: String(history.id),
      date: new Date(order.day * dayMs),
      amount: order.amount,
    })),
  );
}

/** Value at risk in minor units: the predicted value times the score as a share, rounded as it is stored. */
export function valueAtRiskOf(predictedValueMinor: number | null, score: number): number | null {
  return predictedValueMinor === null ? null : Math.round((predictedValueMinor * score) / 100);
}

/** Backtest, train and score everyone in memory (nothing is written): what the nightly job stores. */
export async function computeRiskScores(
  ctx: Pick<ServiceContext, "db" | "clock">,
  settings: RiskSettings = defaultRiskSettings,
  onProgress?: (message: string) => void,
) {
  const now = ctx.clock.now();
  const today = Math.floor(now.getTime() / dayMs);
  onProgress?.("reading orders, tickets, SLA breaches and survey answers");
  const { histories, currency } = await loadCustomerHistories(ctx);
  const options = { horizonDays: settings.horizonDays, activeDays: settings.activeDays };
  onProgress?.(`backtesting on ${histories.length} customers`);
  const backtest = backtestRiskModel(histories, today, options);
  // The production model learns from the most recent period whose outcome is already known.
  onProgress?.("training the model");
  const trained = trainRiskModel(histories, today - settings.horizonDays, options);
  onProgress?.("scoring active customers and predicting their 12-month value");
  const { model, scores } = scoreCustomers(histories, trained, today);
  const values = predictCustomerValues(transactionsOf(histories), now, {
    months: settings.valueMonths,
    monthlyDiscountRate: settings.monthlyDiscountRate,
  });
  return { now, backtest, model, scores, values, currency };
}

export type RiskComputation = Awaited<ReturnType<typeof computeRiskScores>>;

/**
 * What `tend analyze risk` prints and writes as HTML, from a computation (stored or not): the backtest, the band
 * counts, and the customers with the most value at risk (named), valued and rounded as the stored scores are.
 */
export async function summarizeRiskScores(
  ctx: Pick<ServiceContext, "db">,
  computed: RiskComputation,
  options: { top?: number } = {},
) {
  const bands: Record<"low" | "medium" | "high", number> = { low: 0, medium: 0, high: 0 };
  const rows = computed.scores.map((score) => {
    const band = riskBandOf(score.score);
    bands[band]++;
    const value = computed.values.get(String(score.customerId));
    const predictedValueMinor = value === undefined ? null : Math.round(value);
    return {
      ...score,
      band,
      predictedValueMinor,
      valueAtRiskMinor: valueAtRiskOf(predictedValueMinor, score.score),
    };
  });
  // The API's list order: value at risk first (none last), then the customer id.
  rows.sort((a, b) => (b.valueAtRiskMinor ?? -1) - (a.valueAtRiskMinor ?? -1) || a.customerId - b.customerId);
  const top = rows.slice(0, options.top ?? 10);
  const labels = new Map(
    (
      await selectCustomerLabels(
        ctx.db,
        top.map((row) => row.customerId),
      )
    ).map((c) => [c.id, c]),
  );
  return {
    asOf: computed.now.toISOString(),
    scored: computed.scores.length,
    bands,
    currency: computed.currency,
    backtest: computed.backtest,
    top: top.map((row) => ({
      customerId: row.customerId,
      name: labels.get(row.customerId)?.name ?? null,
      email: labels.get(row.customerId)?.email ?? null,
      score: row.score,
      band: row.band,
      pAlive: row.pAlive,
      reasons: row.reasons,
      predictedValueMinor: row.predictedValueMinor,
      valueAtRiskMinor: row.valueAtRiskMinor,
    })),
  };
}

export type RiskSummary = Awaited<ReturnType<typeof summarizeRiskScores>>;
/** The stored model row and how many were scored, with everything computed (the CLI prints it). */
export type RescoreResult = { model: RiskModelRow; scored: number; computed: RiskComputation };

/**
 * Nightly: backtests, trains on the latest period whose outcome is known (features at now - horizon), scores every
 * active customer now with their top reasons, predicts their next-12-months value, and stores it all (a history row
 * per customer, the latest in customer_risk). Customers who are no longer active lose their live score.
 */
export async function rescoreAllCustomers(
  ctx: ServiceContext,
  settings: RiskSettings = defaultRiskSettings,
  onProgress?: (message: string) => void,
): Promise<RescoreResult> {
  const computed = await computeRiskScores(ctx, settings, onProgress);
  const { now, backtest, model, scores, values, currency } = computed;
  onProgress?.(`storing ${scores.length} scores`);
  // Reading and fitting happen outside a transaction; only the writes hold one (PGlite has a single connection).
  return withTransaction(ctx, async (tx) => {
    const stored = await insertRiskModel(tx.db, {
      trainedAt: now,
      asOf: new Date(model.asOf * dayMs),
      horizonDays: settings.horizonDays,
      activeDays: settings.activeDays,
      model: {
        logistic: model.logistic,
        purchase: model.purchase,
        churnRate: model.churnRate,
        trainedOn: model.trainedOn,
      },
      backtest: backtest as unknown as Record<string, unknown>,
      customersScored: scores.length,
    });
    await saveRiskScores(
      tx.db,
      scores.map((score) => {
        const value = values.get(String(score.customerId));
        const predictedValueMinor = value === undefined ? null : Math.round(value);
        return {
          customerId: score.customerId,
          modelId: stored.id,
          scoredAt: now,
          score: score.score,
          band: riskBandOf(score.score),
          pAlive: score.pAlive,
          reasons: score.reasons,
          predictedValueMinor,
          currency,
          valueAtRiskMinor: valueAtRiskOf(predictedValueMinor, score.score),
        };
      }),
    );
    await deleteRiskNotIn(
      tx.db,
      scores.map((score) => score.customerId),
      now,
    );
    return { model: stored, scored: scores.length, computed };
  });
}

function modelOf(row: RiskModelRow): RiskModel {
  const stored = row.model as {
    logistic: LogisticModel;
    purchase?: BgNbdParams | null;
    churnRate: number;
    trainedOn: number;
  };
  return {
    logistic: stored.logistic,
    purchase: stored.purchase ?? null,
    asOf: Math.floor(row.asOf.getTime() / dayMs),
    horizonDays: row.horizonDays,
    activeDays: row.activeDays,
    trainedOn: stored.trainedOn,
    churnRate: stored.churnRate,
  };
}

/**
 * Re-scores one customer now with the latest model (after a ticket, a survey answer or an order), keeping the
 * last predicted value. The stored model carries the purchase model's parameters from its nightly fit, so the
 * customer's P(alive) and purchase forecast are recomputed from their own orders. A model stored before the
 * parameters were kept re-scores nobody until the next nightly run.
 */
export async function rescoreCustomer(ctx: Ctx, customerId: number): Promise<boolean> {
  const row = await selectLatestRiskModel(ctx.db);
  if (!row) return false;
  const model = modelOf(row);
  if (!model.purchase) return false;
  const now = ctx.clock.now();
  const today = Math.floor(now.getTime() / dayMs);
  const { histories } = await loadCustomerHistories(ctx, customerId);
  const previous = await selectCustomerRisk(ctx.db, customerId);
  const history = histories[0];
  if (!history) return false;
  if (!isActiveAt(history, today, model.activeDays)) return false;
  const { score, pAlive, reasons } = scoreHistory(model, history, today);
  const predictedValueMinor = previous?.predictedValueMinor ?? null;
  await saveRiskScores(ctx.db, [
    {
      customerId,
      modelId: row.id,
      scoredAt: now,
      score,
      band: riskBandOf(score),
      pAlive,
      reasons,
      predictedValueMinor,
      currency: previous?.currency ?? null,
      valueAtRiskMinor: valueAtRiskOf(predictedValueMinor, score),
    },
  ]);
  return true;
}

export async function getCustomerRisk(ctx: Pick<Ctx, "db">, customerId: number) {
  const current = await selectCustomerRisk(ctx.db, customerId);
  const history = await selectCustomerRiskHistory(ctx.db, customerId, 30);
  return { current: current ?? null, history };
}

export async function getRiskForCustomers(ctx: Pick<Ctx, "db">, customerIds: number[]) {
  return new Map((await selectRiskForCustomers(ctx.db, customerIds)).map((row) => [row.customerId, row]));
}

export async function listAtRiskCustomers(
  ctx: Pick<Ctx, "db">,
  options: { band?: string; limit: number; offset: number; orderBy: "value" | "score" },
) {
  const [items, total] = [await selectRiskList(ctx.db, options), await countRiskList(ctx.db, options.band)];
  return { items, total };
}

export async function getRiskOverview(ctx: Pick<Ctx, "db">) {
  const model = (await selectLatestRiskModel(ctx.db)) ?? null;
  return { model, bands: await countRiskBands(ctx.db) };
}

/** A workspace with orders but no risk model yet (a new or upgraded one): scoring should not wait for the night. */
export async function needsFirstRiskScoring(ctx: Pick<Ctx, "db">): Promise<boolean> {
  return !(await selectLatestRiskModel(ctx.db)) && (await selectHasOrders(ctx.db));
}
