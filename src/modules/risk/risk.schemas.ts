import { z } from "zod";
import { limitSchema } from "../../http/api-common.schemas.ts";

export const riskBandSchema = z.enum(["low", "medium", "high"]);

export const riskReasonSchema = z.object({
  feature: z.string(),
  label: z.string(),
  value: z.number(),
  /** How much it raised the log-odds of churn above an average customer's. */
  weight: z.number(),
  /** The reason as a person reads it, e.g. "days since the last order: 214". */
  text: z.string(),
});

export const customerRiskSchema = z.object({
  score: z
    .number()
    .describe("0-100: the predicted chance, in percent, of no order within the model's horizon"),
  band: riskBandSchema,
  pAlive: z.number().describe("The purchase model's probability that the customer is still active"),
  reasons: z.array(riskReasonSchema),
  predictedValueMinor: z.number().int().nullable().describe("Discounted value of the next 12 months"),
  valueAtRiskMinor: z.number().int().nullable().describe("predicted value × score / 100"),
  currency: z.string().nullable(),
  scoredAt: z.string(),
});

export const customerRiskResponseSchema = z.object({
  current: customerRiskSchema.nullable(),
  history: z.array(z.object({ scoredAt: z.string(), score: z.number(), band: riskBandSchema })),
});

export const riskListQuerySchema = z.object({
  band: riskBandSchema.optional(),
  orderBy: z.enum(["value", "score"]).default("value"),
  limit: limitSchema,
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  format: z.enum(["json", "csv"]).default("json"),
});

export const riskListSchema = z.object({
  items: z.array(
    customerRiskSchema.extend({
      customer: z.object({ id: z.number(), name: z.string().nullable(), email: z.string().nullable() }),
    }),
  ),
  total: z.number().int(),
});

const calibrationBinSchema = z.object({
  from: z.number(),
  to: z.number(),
  count: z.number().int(),
  predicted: z.number().describe("Mean predicted probability of churn in the bin"),
  observed: z.number().describe("Share of the bin that actually stopped buying"),
});

export const riskModelSchema = z.object({
  model: z
    .object({
      trainedAt: z.string(),
      asOf: z.string(),
      horizonDays: z.number().int(),
      activeDays: z.number().int(),
      customers: z.number().int().describe("Customers scored"),
      backtest: z.object({
        trainedAsOf: z.string(),
        cutoff: z.string().describe("Scored as of this day; outcomes are the orders in the horizon after it"),
        horizonDays: z.number().int(),
        trainCustomers: z.number().int(),
        testCustomers: z.number().int(),
        churnRate: z.number(),
        auc: z.number().nullable(),
        brier: z.number().nullable(),
        baseline: z.object({ auc: z.number().nullable(), brier: z.number().nullable() }),
        calibration: z.array(calibrationBinSchema),
      }),
    })
    .nullable(),
  bands: z.object({ low: z.number().int(), medium: z.number().int(), high: z.number().int() }),
  valueAtRiskMinor: z.object({ low: z.number(), medium: z.number(), high: z.number() }),
  definitions: z.record(z.string(), z.string()),
});

export const rescoreResultSchema = z.object({ modelId: z.number().int(), scored: z.number().int() });

export const serviceImpactQuerySchema = z.object({
  lapseDays: z.coerce.number().int().min(14).max(1095).default(180),
  recencyDays: z.coerce.number().int().min(1).max(365).default(30),
  horizonDays: z.coerce.number().int().min(30).max(1825).default(365),
  format: z.enum(["json", "csv"]).default("json"),
});

const survivalPointSchema = z.object({
  t: z.number(),
  survival: z.number(),
  lower: z.number(),
  upper: z.number(),
});
const groupSchema = z.object({
  customers: z.number().int(),
  churned: z.number().int(),
  meanDailyRevenueMinor: z.number(),
});
const intervalSchema = z.object({ value: z.number(), lower: z.number(), upper: z.number() });

export const serviceImpactSchema = z.object({
  customers: z.number().int(),
  contacts: z.number().int(),
  horizonDays: z.number().int(),
  lapseDays: z.number().int(),
  recencyDays: z.number().int(),
  currency: z.string().nullable(),
  summary: z.string(),
  definitions: z.record(z.string(), z.string()),
  experiences: z.array(
    z.object({
      key: z.enum(["slowFirstResponse", "reopened", "lowCsat", "frustrated"]),
      label: z.string(),
      exposedLabel: z.string(),
      unexposedLabel: z.string(),
      exposed: groupSchema,
      unexposed: groupSchema,
      curves: z.object({ exposed: z.array(survivalPointSchema), unexposed: z.array(survivalPointSchema) }),
      logRank: z.object({ chiSquare: z.number(), p: z.number() }).nullable(),
      hazardRatio: intervalSchema.extend({ p: z.number() }).nullable(),
      controls: z.array(
        z.object({ name: z.string(), hazardRatio: z.number(), lower: z.number(), upper: z.number() }),
      ),
      valueLostPerEventMinor: intervalSchema.nullable(),
      conclusion: z.enum(["harmful", "no_evidence", "protective", "too_thin"]),
      message: z.string(),
    }),
  ),
});
