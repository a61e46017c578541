import {
  COHORT_DEFINITIONS,
  type CohortRow,
  cohortRetention,
} from "../../analytics/retention/cohort-retention.ts";
import {
  HISTORICAL_VALUE_DEFINITIONS,
  type HistoricalValue,
  historicalValue,
} from "../../analytics/retention/historical-value.ts";
import {
  PERIOD_RETENTION_DEFINITIONS,
  type PeriodRetention,
  retentionByPeriod,
} from "../../analytics/retention/period-retention.ts";
import {
  PURCHASE_INTERVAL_DEFINITIONS,
  type PurchaseIntervals,
  purchaseIntervals,
} from "../../analytics/retention/purchase-intervals.ts";
import {
  dayOf,
  isoDayOf,
  type Purchase,
  type RetentionPeriod,
} from "../../analytics/retention/purchase-log.ts";
import {
  type CustomerRfm,
  RFM_DEFINITIONS,
  type RfmSegment,
  type RfmSegmentSummary,
  scoreRfm,
  summarizeRfmSegments,
} from "../../analytics/retention/rfm-segments.ts";
import type { ServiceContext } from "../../context.ts";
import { minorDigitsOf, parseAmountMinor, parseImportDate } from "./import-values.ts";
import {
  countUncountedOrders,
  selectCountedOrderCurrencies,
  selectCountedOrdersIn,
  selectCustomerLabels,
} from "./retention.repo.ts";
import { type RowError, readCsvRows } from "./retention-csv.reader.ts";

/** The purchases the measures are computed from, and what was left out of them. */
export interface PurchaseLog {
  source: "workspace" | "file";
  /** Currency of every amount; measures never add different currencies. */
  currency: string | null;
  /** The day "now" is for recency and partial periods (the clock's today, or a file's last purchase day). */
  asOfDay: number;
  purchases: Purchase[];
  excluded: { count: number; reason: string }[];
}

/** What every retention answer says about the data it was computed from. */
export interface RetentionScope {
  source: "workspace" | "file";
  currency: string | null;
  asOf: string;
  customers: number;
  orders: number;
  firstPurchase: string | null;
  lastPurchase: string | null;
  excluded: { count: number; reason: string }[];
}

export const COUNTED_ORDERS_DEFINITION =
  "Counted orders: every order except cancelled and refunded ones, in one currency (the one with the most orders unless chosen). Revenue is the sum of counted orders' amounts in minor units.";

/** The workspace's counted orders in one currency (the one with most orders unless given). */
export async function loadWorkspacePurchases(
  ctx: Pick<ServiceContext, "db" | "clock">,
  options: { currency?: string } = {},
): Promise<PurchaseLog> {
  const currencies = await selectCountedOrderCurrencies(ctx.db);
  const currency = options.currency ?? currencies[0]?.currency ?? null;
  const rows = currency === null ? [] : await selectCountedOrdersIn(ctx.db, currency);
  const excluded: PurchaseLog["excluded"] = [];
  const uncounted = await countUncountedOrders(ctx.db);
  if (uncounted > 0) excluded.push({ count: uncounted, reason: "cancelled or refunded orders" });
  for (const other of currencies) {
    if (other.currency !== currency) {
      excluded.push({
        count: other.orders,
        reason: `orders in ${other.currency} (measures use ${currency})`,
      });
    }
  }
  return {
    source: "workspace",
    currency,
    asOfDay: dayOf(ctx.clock.now()),
    purchases: rows.map((row) => ({
      customerId: String(row.customerId),
      day: row.day,
      amountMinor: Number(row.amountMinor),
    })),
    excluded,
  };
}

export function describeScope(log: PurchaseLog): RetentionScope {
  const customers = new Set<string>();
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const p of log.purchases) {
    customers.add(p.customerId);
    first = Math.min(first, p.day);
    last = Math.max(last, p.day);
  }
  return {
    source: log.source,
    currency: log.currency,
    asOf: isoDayOf(log.asOfDay),
    customers: customers.size,
    orders: log.purchases.length,
    firstPurchase: log.purchases.length > 0 ? isoDayOf(first) : null,
    lastPurchase: log.purchases.length > 0 ? isoDayOf(last) : null,
    excluded: log.excluded,
  };
}

export interface RetentionRatesReport {
  scope: RetentionScope;
  period: RetentionPeriod;
  rows: PeriodRetention[];
  definitions: Record<string, string>;
}

/** Customer retention, churn, GRR and NRR per month or quarter in [from, to]. */
export function measureRetentionRates(
  log: PurchaseLog,
  options: { period: RetentionPeriod; from?: Date; to?: Date },
): RetentionRatesReport {
  return {
    scope: describeScope(log),
    period: options.period,
    rows: retentionByPeriod(log.purchases, {
      period: options.period,
      asOfDay: log.asOfDay,
      fromDay: options.from && dayOf(options.from),
      toDay: options.to && dayOf(options.to),
    }),
    definitions: { countedOrders: COUNTED_ORDERS_DEFINITION, ...PERIOD_RETENTION_DEFINITIONS },
  };
}

export interface CohortReport {
  scope: RetentionScope;
  months: number;
  rows: CohortRow[];
  definitions: Record<string, string>;
}

/** Cohort retention matrix by first-purchase month, cohorts in [from, to], observed up to the as-of day. */
export function measureCohorts(log: PurchaseLog, options: { from?: Date; to?: Date } = {}): CohortReport {
  const { months, rows } = cohortRetention(log.purchases, {
    lastDay: lastObservedDay(log),
    fromDay: options.from && dayOf(options.from),
    toDay: options.to && dayOf(options.to),
  });
  return {
    scope: describeScope(log),
    months,
    rows,
    definitions: { countedOrders: COUNTED_ORDERS_DEFINITION, ...COHORT_DEFINITIONS },
  };
}

export interface PurchasesReport extends PurchaseIntervals {
  scope: RetentionScope;
  definitions: Record<string, string>;
}

export function measurePurchases(log: PurchaseLog): PurchasesReport {
  return {
    scope: describeScope(log),
    ...purchaseIntervals(log.purchases),
    definitions: { countedOrders: COUNTED_ORDERS_DEFINITION, ...PURCHASE_INTERVAL_DEFINITIONS },
  };
}

export interface LifetimeValueReport extends HistoricalValue {
  scope: RetentionScope;
  definitions: Record<string, string>;
}

export function measureLifetimeValue(log: PurchaseLog): LifetimeValueReport {
  return {
    scope: describeScope(log),
    ...historicalValue(log.purchases),
    definitions: { countedOrders: COUNTED_ORDERS_DEFINITION, ...HISTORICAL_VALUE_DEFINITIONS },
  };
}

export interface RfmCustomer extends CustomerRfm {
  name: string | null;
  email: string | null;
}

export interface RfmReport {
  scope: RetentionScope;
  segments: RfmSegmentSummary[];
  /** With a segment asked for: its customers, highest monetary value first, up to the limit. */
  segment: RfmSegment | null;
  customers: RfmCustomer[] | null;
  /** All customers in the segment (the list may be cut at the limit). */
  segmentCustomers: number | null;
  definitions: Record<string, string>;
}

/** RFM scores and segments as of the log's day; with `segment`, that segment's customers (names looked up). */
export function measureRfm(
  log: PurchaseLog,
  options: { segment?: RfmSegment; limit?: number } = {},
): { report: Omit<RfmReport, "customers">; members: CustomerRfm[] | null } {
  const scored = scoreRfm(log.purchases, log.asOfDay);
  const members =
    options.segment === undefined
      ? null
      : scored
          .filter((c) => c.segment === options.segment)
          .sort((a, b) => b.monetaryMinor - a.monetaryMinor || a.recencyDays - b.recencyDays);
  return {
    report: {
      scope: describeScope(log),
      segments: summarizeRfmSegments(scored),
      segment: options.segment ?? null,
      segmentCustomers: members === null ? null : members.length,
      definitions: { countedOrders: COUNTED_ORDERS_DEFINITION, ...RFM_DEFINITIONS },
    },
    members: members === null ? null : members.slice(0, options.limit ?? 100),
  };
}

/** measureRfm on the workspace, with each listed customer's name and email. */
export async function measureWorkspaceRfm(
  ctx: Pick<ServiceContext, "db" | "clock">,
  options: { currency?: string; segment?: RfmSegment; limit?: number },
): Promise<RfmReport> {
  const log = await loadWorkspacePurchases(ctx, options);
  const { report, members } = measureRfm(log, options);
  if (members === null) return { ...report, customers: null };
  const labels = new Map(
    (
      await selectCustomerLabels(
        ctx.db,
        members.map((m) => Number(m.customerId)),
      )
    ).map((l) => [String(l.id), l]),
  );
  return {
    ...report,
    customers: members.map((m) => ({
      ...m,
      name: labels.get(m.customerId)?.name ?? null,
      email: labels.get(m.customerId)?.email ?? null,
    })),
  };
}

export interface RetentionSummary {
  scope: RetentionScope;
  revenueMinor: number;
  repeatPurchaseRate: number | null;
  medianDaysBetweenPurchases: number | null;
  meanLifetimeValueMinor: number | null;
  medianLifetimeValueMinor: number | null;
  /** The last month and quarter that had ended by the as-of day, with their rates (null when none has). */
  lastMonth: PeriodRetention | null;
  lastQuarter: PeriodRetention | null;
  segments: { segment: RfmSegment; label: string; customers: number; revenueMinor: number }[];
  definitions: Record<string, string>;
}

/** The headline numbers: last complete month and quarter, repeat rate, purchase gap, lifetime value, segments. */
export function summarizeRetention(log: PurchaseLog): RetentionSummary {
  const lastComplete = (period: RetentionPeriod) =>
    retentionByPeriod(log.purchases, { period, asOfDay: log.asOfDay, toDay: log.asOfDay })
      .filter((row) => !row.partial)
      .at(-1) ?? null;
  const intervals = purchaseIntervals(log.purchases);
  const value = historicalValue(log.purchases);
  const segments = summarizeRfmSegments(scoreRfm(log.purchases, log.asOfDay));
  return {
    scope: describeScope(log),
    revenueMinor: value.totalMinor,
    repeatPurchaseRate: intervals.repeatPurchaseRate,
    medianDaysBetweenPurchases: intervals.intervals.medianDays,
    meanLifetimeValueMinor: value.meanMinor,
    medianLifetimeValueMinor: value.medianMinor,
    lastMonth: lastComplete("month"),
    lastQuarter: lastComplete("quarter"),
    segments: segments.map(({ segment, label, customers, revenueMinor }) => ({
      segment,
      label,
      customers,
      revenueMinor,
    })),
    definitions: {
      countedOrders: COUNTED_ORDERS_DEFINITION,
      lastPeriod:
        "lastMonth and lastQuarter are the latest calendar month and quarter that had ended by the as-of day.",
      customerRetentionRate: PERIOD_RETENTION_DEFINITIONS.customerRetentionRate,
      grossRevenueRetention: PERIOD_RETENTION_DEFINITIONS.grossRevenueRetention,
      netRevenueRetention: PERIOD_RETENTION_DEFINITIONS.netRevenueRetention,
      repeatPurchaseRate: PURCHASE_INTERVAL_DEFINITIONS.repeatPurchaseRate,
      medianDaysBetweenPurchases: PURCHASE_INTERVAL_DEFINITIONS.interval,
      lifetimeValue: HISTORICAL_VALUE_DEFINITIONS.lifetimeValue,
      segments: RFM_DEFINITIONS.segments,
    },
  };
}

/** The last day the data can speak for: the as-of day, or the last purchase if that is later (a file's future). */
function lastObservedDay(log: PurchaseLog): number {
  let last = log.asOfDay;
  for (const p of log.purchases) if (p.day > last) last = p.day;
  return last;
}

/**
 * Reads purchases from a transaction export (customer, date, amount per row) for `tend analyze retention --orders`:
 * amounts are decimals in `currency`, converted exactly to minor units; bad rows are skipped and counted.
 */
export async function readPurchaseFile(options: {
  file: string;
  columns: { customer: string; date: string; amount: string };
  currency: string;
  asOf?: Date;
}): Promise<PurchaseLog & { rowErrors: RowError[] }> {
  const { columns } = options;
  const digits = minorDigitsOf(options.currency);
  const purchases: Purchase[] = [];
  const errors: RowError[] = [];
  let errorCount = 0;
  const addError = (e: RowError) => {
    errorCount++;
    if (errors.length < 20) errors.push(e);
  };
  for await (const row of readCsvRows(options.file, {
    required: [
      { name: columns.customer, flag: "--customer-column" },
      { name: columns.date, flag: "--date-column" },
      { name: columns.amount, flag: "--amount-column" },
    ],
    onRowError: addError,
  })) {
    const customer = row.cells[columns.customer];
    if (customer === "") {
      addError({ line: row.line, reason: `${columns.customer} is empty` });
      continue;
    }
    const date = parseImportDate(row.cells[columns.date], "iso");
    if (date === undefined) {
      addError({ line: row.line, reason: `${columns.date} "${row.cells[columns.date]}" is not a date` });
      continue;
    }
    const amount = parseAmountMinor(row.cells[columns.amount], digits);
    if ("error" in amount) {
      addError({
        line: row.line,
        reason: `${columns.amount} "${row.cells[columns.amount]}" ${amount.error}`,
      });
      continue;
    }
    purchases.push({ customerId: customer, day: dayOf(date), amountMinor: amount.minor });
  }
  let last = Number.NEGATIVE_INFINITY;
  for (const p of purchases) last = Math.max(last, p.day);
  return {
    source: "file",
    currency: options.currency,
    asOfDay: options.asOf ? dayOf(options.asOf) : Number.isFinite(last) ? last : dayOf(new Date(0)),
    purchases,
    excluded: errorCount > 0 ? [{ count: errorCount, reason: "rows with errors (skipped)" }] : [],
    rowErrors: errors,
  };
}
