import { z } from "zod";
import { RFM_SEGMENTS } from "../../analytics/retention/rfm-segments.ts";
import { currencySchema } from "../orders/orders.schemas.ts";

// Retention measures: every answer carries its scope (what data it was computed from) and `definitions`, the
// words behind each rate, so a number on a dashboard can always be explained.

const rate = z.number().nullable();
const day = z.iso.date();

export const rfmSegmentSchema = z.enum(RFM_SEGMENTS);
export const retentionPeriodSchema = z.enum(["month", "quarter"]);
export const definitionsSchema = z
  .record(z.string(), z.string())
  .describe("How each rate or figure is defined, in words");

export const retentionScopeSchema = z.object({
  source: z.enum(["workspace", "file"]),
  currency: z.string().nullable().describe("The currency of every amount; other currencies are left out"),
  asOf: z.string().describe("The day recency and partial periods are measured against (yyyy-mm-dd, UTC)"),
  customers: z.number(),
  orders: z.number().describe("Counted orders"),
  firstPurchase: z.string().nullable(),
  lastPurchase: z.string().nullable(),
  excluded: z.array(z.object({ count: z.number(), reason: z.string() })),
});

export const periodRetentionSchema = z.object({
  period: z.string(),
  start: z.string(),
  end: z.string(),
  partial: z.boolean(),
  activeCustomers: z.number(),
  newCustomers: z.number(),
  reactivatedCustomers: z.number(),
  previousCustomers: z.number(),
  retainedCustomers: z.number(),
  customerRetentionRate: rate,
  customerChurnRate: rate,
  revenueMinor: z.number(),
  previousRevenueMinor: z.number(),
  retainedRevenueMinor: z.number(),
  grossRevenueRetention: rate,
  netRevenueRetention: rate,
  revenueChurnRate: rate,
});

const formatSchema = z
  .enum(["json", "csv"])
  .default("json")
  .describe("csv returns the main table as a CSV download");
const baseQuery = z.object({ currency: currencySchema.optional(), format: formatSchema });
const fromTo = {
  from: day.optional().describe("First day (yyyy-mm-dd)"),
  to: day.optional().describe("Last day (yyyy-mm-dd)"),
};
const fromNotAfterTo = (query: { from?: string; to?: string }) =>
  query.from === undefined || query.to === undefined || query.from <= query.to;

export const retentionSummaryQuerySchema = baseQuery;
export const retentionRatesQuerySchema = baseQuery
  .extend({ period: retentionPeriodSchema.default("month"), ...fromTo })
  .refine(fromNotAfterTo, { message: "from must not be after to", path: ["from"] });
export const retentionCohortsQuerySchema = baseQuery
  .extend(fromTo)
  .refine(fromNotAfterTo, { message: "from must not be after to", path: ["from"] });
export const retentionRfmQuerySchema = baseQuery.extend({
  segment: rfmSegmentSchema.optional().describe("List this segment's customers, highest value first"),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export const retentionSummarySchema = z.object({
  scope: retentionScopeSchema,
  revenueMinor: z.number(),
  repeatPurchaseRate: rate,
  medianDaysBetweenPurchases: z.number().nullable(),
  meanLifetimeValueMinor: z.number().nullable(),
  medianLifetimeValueMinor: z.number().nullable(),
  lastMonth: periodRetentionSchema.nullable(),
  lastQuarter: periodRetentionSchema.nullable(),
  segments: z.array(
    z.object({
      segment: rfmSegmentSchema,
      label: z.string(),
      customers: z.number(),
      revenueMinor: z.number(),
    }),
  ),
  definitions: definitionsSchema,
});

export const retentionRatesSchema = z.object({
  scope: retentionScopeSchema,
  period: retentionPeriodSchema,
  rows: z.array(periodRetentionSchema),
  definitions: definitionsSchema,
});

export const cohortRowSchema = z.object({
  cohort: z.string(),
  customers: z.number(),
  counts: z.array(z.number()),
  shares: z.array(z.number()),
  revenueMinor: z.array(z.number()),
});

export const retentionCohortsSchema = z.object({
  scope: retentionScopeSchema,
  months: z.number().describe("Length of the longest row (the oldest cohort)"),
  rows: z.array(cohortRowSchema),
  definitions: definitionsSchema,
});

export const rfmSegmentSummarySchema = z.object({
  segment: rfmSegmentSchema,
  label: z.string(),
  meaning: z.string(),
  customers: z.number(),
  revenueMinor: z.number(),
  customerShare: z.number(),
  revenueShare: z.number().nullable(),
});

export const rfmCustomerSchema = z.object({
  customerId: z.number(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  recencyDays: z.number(),
  frequency: z.number(),
  monetaryMinor: z.number(),
  r: z.number(),
  f: z.number(),
  m: z.number(),
  segment: rfmSegmentSchema,
});

export const retentionRfmSchema = z.object({
  scope: retentionScopeSchema,
  segments: z.array(rfmSegmentSummarySchema),
  segment: rfmSegmentSchema.nullable(),
  segmentCustomers: z.number().nullable(),
  customers: z.array(rfmCustomerSchema).nullable(),
  definitions: definitionsSchema,
});

export const retentionLtvSchema = z.object({
  scope: retentionScopeSchema,
  customers: z.number(),
  totalMinor: z.number(),
  meanMinor: z.number().nullable(),
  medianMinor: z.number().nullable(),
  p90Minor: z.number().nullable(),
  histogram: z.array(z.object({ fromMinor: z.number(), toMinor: z.number().nullable(), count: z.number() })),
  byCohort: z.array(
    z.object({
      cohort: z.string(),
      customers: z.number(),
      revenueMinor: z.number(),
      meanMinor: z.number(),
      medianMinor: z.number(),
    }),
  ),
  definitions: definitionsSchema,
});

export const retentionPurchasesSchema = z.object({
  scope: retentionScopeSchema,
  customers: z.number(),
  repeatCustomers: z.number(),
  repeatPurchaseRate: rate,
  meanPurchaseDays: z.number().nullable(),
  intervals: z.object({
    count: z.number(),
    meanDays: z.number().nullable(),
    p25Days: z.number().nullable(),
    medianDays: z.number().nullable(),
    p75Days: z.number().nullable(),
  }),
  firstRepeat: z.object({ count: z.number(), medianDays: z.number().nullable() }),
  histogram: z.array(
    z.object({ label: z.string(), fromDays: z.number(), toDays: z.number().nullable(), count: z.number() }),
  ),
  definitions: definitionsSchema,
});

export const importParamsSchema = z.object({ kind: z.enum(["orders", "customers", "tickets"]) });

export const importQuerySchema = z.object({
  map: z
    .string()
    .max(2000)
    .regex(/^[a-z_]+=[^,=]+(,[a-z_]+=[^,=]+)*$/, "use field=Column pairs separated by commas")
    .optional()
    .describe("field=Column pairs, e.g. customer_id=Customer,placed_at=Date,amount=Total"),
  currency: currencySchema.default("EUR"),
  dateFormat: z.enum(["iso", "dmy", "mdy"]).default("iso"),
  decimalComma: z.stringbool().default(false),
  partial: z.stringbool().default(false).describe("Import the good rows even when some are bad"),
});

export const importSummarySchema = z.object({
  kind: z.enum(["orders", "customers", "tickets"]),
  rows: z.number(),
  imported: z.number(),
  messages: z.number().describe("Messages stored with imported tickets (a tickets file with a body column)"),
  alreadyPresent: z
    .number()
    .describe(
      "Rows skipped as already imported: the same order or ticket id, or for orders without an id the same customer, date, amount and currency (and occurrence of them in the file)",
    ),
  customersCreated: z.number(),
  customersUpdated: z.number(),
  rowErrors: z.number(),
  errors: z.array(z.object({ line: z.number(), reason: z.string() })),
  committed: z.boolean(),
  partial: z.boolean(),
});
