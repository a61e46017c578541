import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { RiskReasonJson } from "../../db/schema.ts";
import { notFound } from "../../errors.ts";
import { errorResponses, idParams } from "../../http/api-common.schemas.ts";
import { sendCsv } from "../../http/csv-reply.ts";
import { getCustomerTierAndTags } from "../customers/customers.service.ts";
import {
  customerRiskResponseSchema,
  rescoreResultSchema,
  riskListQuerySchema,
  riskListSchema,
  riskModelSchema,
  serviceImpactQuerySchema,
  serviceImpactSchema,
} from "./risk.schemas.ts";
import {
  getCustomerRisk,
  getRiskOverview,
  listAtRiskCustomers,
  rescoreAllCustomers,
} from "./risk.service.ts";
import { getServiceImpact } from "./service-impact.service.ts";

const dayMs = 86_400_000;
const isoDay = (day: number) => new Date(day * dayMs).toISOString().slice(0, 10);
const finiteOrNull = (value: number) => (Number.isFinite(value) ? value : null);

function presentReasons(reasons: RiskReasonJson) {
  return reasons.map((reason) => ({ ...reason, text: `${reason.label}: ${reason.value}` }));
}

type RiskRow = {
  score: number;
  band: string;
  pAlive: number;
  reasons: RiskReasonJson;
  predictedValueMinor: number | null;
  valueAtRiskMinor: number | null;
  currency: string | null;
  scoredAt: Date;
};

function presentRisk(row: RiskRow) {
  return {
    score: row.score,
    band: row.band as "low" | "medium" | "high",
    pAlive: row.pAlive,
    reasons: presentReasons(row.reasons),
    predictedValueMinor: row.predictedValueMinor,
    valueAtRiskMinor: row.valueAtRiskMinor,
    currency: row.currency,
    scoredAt: row.scoredAt.toISOString(),
  };
}

export const serviceImpactDefinitions = {
  population:
    "Customers at their first support contact while still buying (an order within the recency window before it), one contact each.",
  churn: "Stopping buying: a gap of lapseDays without an order, dated when the gap completes.",
  hazardRatio:
    "How many times as fast customers with the experience stop buying, from a Cox model allowing for orders so far, average order value and tenure (1 = no difference).",
  valueLost:
    "Expected revenue lost within the horizon per bad contact: their revenue per day × the days of buying lost, from the unexposed group's survival curve raised to the hazard ratio.",
  tooThin: "Fewer than 30 customers or 10 who stopped buying in either group: no conclusion is drawn.",
};

export const riskDefinitions = {
  score:
    "The model's chance, in percent, that the customer places no order within the horizon (120 days by default), from the purchase model's forecast (BG/NBD's probability of no purchase in the horizon), recency, order history and service signals.",
  bands: "High from 60, medium from 30, low below.",
  predictedValue:
    "Expected discounted spend over the next 12 months (BG/NBD purchases × Gamma-Gamma spend, 1% a month).",
  valueAtRisk: "Predicted value × score / 100.",
  auc: "Backtest AUC: the chance a customer who stopped buying was scored above one who did not (0.5 = guessing).",
  brier: "Backtest Brier score: mean squared error of the predicted probabilities (lower is better).",
  baseline:
    "The same backtest for the purchase model alone (BG/NBD's probability of no purchase in the horizon), to show what recency, order history and service signals add.",
};

/** Churn risk: the list by value at risk, one customer's score and trend, the model's backtest, a manual rescore. */
export async function registerRiskRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const ctx = app.tend;
  const tags = ["retention"];

  app.get(
    "/api/v1/retention/risk",
    {
      config: { access: "lead" },
      schema: {
        tags,
        summary: "Customers by churn risk (value at risk first); format=csv downloads the table",
        querystring: riskListQuerySchema,
        response: { 200: riskListSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { band, orderBy, limit, offset, format } = request.query;
      const page = await listAtRiskCustomers(ctx, {
        band,
        orderBy,
        limit: format === "csv" ? 100_000 : limit,
        offset,
      });
      const items = page.items.map((row) => ({
        customer: { id: row.customerId, name: row.name, email: row.email },
        ...presentRisk(row),
      }));
      if (format === "csv") {
        return sendCsv(
          reply,
          "churn-risk.csv",
          [
            { header: "customer_id", value: (item) => item.customer.id },
            { header: "name", value: (item) => item.customer.name },
            { header: "email", value: (item) => item.customer.email },
            { header: "score", value: (item) => item.score },
            { header: "band", value: (item) => item.band },
            { header: "p_alive", value: (item) => item.pAlive.toFixed(4) },
            { header: "predicted_value_minor", value: (item) => item.predictedValueMinor },
            { header: "value_at_risk_minor", value: (item) => item.valueAtRiskMinor },
            { header: "currency", value: (item) => item.currency },
            { header: "reasons", value: (item) => item.reasons.map((reason) => reason.text).join("; ") },
            { header: "scored_at", value: (item) => item.scoredAt },
          ],
          items,
        );
      }
      return { items, total: page.total };
    },
  );

  app.get(
    "/api/v1/retention/risk/model",
    {
      config: { access: "lead" },
      schema: {
        tags,
        summary:
          "The churn-risk model: time-split backtest (AUC, Brier, calibration) beside the purchase model alone",
        response: { 200: riskModelSchema, ...errorResponses },
      },
    },
    async () => {
      const { model, bands } = await getRiskOverview(ctx);
      const count = { low: 0, medium: 0, high: 0 };
      const value = { low: 0, medium: 0, high: 0 };
      for (const row of bands) {
        if (row.band === "low" || row.band === "medium" || row.band === "high") {
          count[row.band] = row.n;
          value[row.band] = row.value;
        }
      }
      const backtest = model?.backtest as
        | {
            trainedAsOf: number;
            testedAsOf: number;
            horizonDays: number;
            trainCustomers: number;
            testCustomers: number;
            churnRate: number;
            auc: number;
            brier: number;
            calibration: {
              from: number;
              to: number;
              count: number;
              meanPredicted: number;
              observedRate: number;
            }[];
            purchaseModelOnly: { auc: number; brier: number };
          }
        | undefined;
      return {
        model:
          model && backtest
            ? {
                trainedAt: model.trainedAt.toISOString(),
                asOf: model.asOf.toISOString(),
                horizonDays: model.horizonDays,
                activeDays: model.activeDays,
                customers: model.customersScored,
                backtest: {
                  trainedAsOf: isoDay(backtest.trainedAsOf),
                  cutoff: isoDay(backtest.testedAsOf),
                  horizonDays: backtest.horizonDays,
                  trainCustomers: backtest.trainCustomers,
                  testCustomers: backtest.testCustomers,
                  churnRate: backtest.churnRate,
                  auc: finiteOrNull(backtest.auc),
                  brier: finiteOrNull(backtest.brier),
                  baseline: {
                    auc: finiteOrNull(backtest.purchaseModelOnly.auc),
                    brier: finiteOrNull(backtest.purchaseModelOnly.brier),
                  },
                  calibration: backtest.calibration.map((bin) => ({
                    from: bin.from,
                    to: bin.to,
                    count: bin.count,
                    predicted: bin.meanPredicted,
                    observed: bin.observedRate,
                  })),
                },
              }
            : null,
        bands: count,
        valueAtRiskMinor: value,
        definitions: riskDefinitions,
      };
    },
  );

  app.get(
    "/api/v1/retention/service-impact",
    {
      config: { access: "lead" },
      schema: {
        tags,
        summary:
          "What service does to retention: survival by service experience, Cox hazard ratios with controls, value lost per bad contact",
        querystring: serviceImpactQuerySchema,
        response: { 200: serviceImpactSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { format, ...settings } = request.query;
      const report = await getServiceImpact(ctx, settings);
      if (format === "csv") {
        return sendCsv(
          reply,
          "service-impact.csv",
          [
            { header: "experience", value: (e) => e.label },
            { header: "exposed_customers", value: (e) => e.exposed.customers },
            { header: "exposed_churned", value: (e) => e.exposed.churned },
            { header: "unexposed_customers", value: (e) => e.unexposed.customers },
            { header: "unexposed_churned", value: (e) => e.unexposed.churned },
            { header: "hazard_ratio", value: (e) => e.hazardRatio?.value },
            { header: "hr_lower_95", value: (e) => e.hazardRatio?.lower },
            { header: "hr_upper_95", value: (e) => e.hazardRatio?.upper },
            { header: "p_value", value: (e) => e.hazardRatio?.p },
            { header: "logrank_p", value: (e) => e.logRank?.p },
            { header: "value_lost_per_event_minor", value: (e) => e.valueLostPerEventMinor?.value },
            { header: "currency", value: () => report.currency },
            { header: "conclusion", value: (e) => e.conclusion },
            { header: "message", value: (e) => e.message },
          ],
          report.experiences,
        );
      }
      return { ...report, definitions: serviceImpactDefinitions };
    },
  );

  app.post(
    "/api/v1/retention/risk/rescore",
    {
      config: { access: "admin" },
      schema: {
        tags,
        summary:
          "Retrain the churn-risk model and rescore every customer now (the nightly job does this at 02:40 UTC)",
        response: { 200: rescoreResultSchema, ...errorResponses },
      },
    },
    async () => {
      const result = await rescoreAllCustomers(ctx);
      return { modelId: result.model.id, scored: result.scored };
    },
  );

  app.get(
    "/api/v1/customers/:id/risk",
    {
      config: { access: "agent" },
      schema: {
        tags: ["customers"],
        summary: "A customer's churn risk, predicted value and recent score history",
        params: idParams,
        response: { 200: customerRiskResponseSchema, ...errorResponses },
      },
    },
    async (request) => {
      if (!(await getCustomerTierAndTags(ctx, request.params.id))) throw notFound("Customer");
      const { current, history } = await getCustomerRisk(ctx, request.params.id);
      return {
        current: current ? presentRisk(current) : null,
        history: history.map((row) => ({
          scoredAt: row.scoredAt.toISOString(),
          score: row.score,
          band: row.band as "low" | "medium" | "high",
        })),
      };
    },
  );
}
