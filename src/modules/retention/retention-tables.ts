import type {
  CohortReport,
  LifetimeValueReport,
  PurchasesReport,
  RetentionRatesReport,
  RetentionSummary,
  RfmReport,
} from "./retention-measures.service.ts";

// The main table of each retention answer, for CSV downloads (the API's ?format=csv) and the CLI.

export interface Table {
  /** File name stem for a download, e.g. "retention-rates-month". */
  name: string;
  header: string[];
  rows: (string | number | boolean | null)[][];
}

export function summaryTable(summary: RetentionSummary): Table {
  const rows: Table["rows"] = [
    ["currency", summary.scope.currency],
    ["as_of", summary.scope.asOf],
    ["customers", summary.scope.customers],
    ["orders", summary.scope.orders],
    ["revenue_minor", summary.revenueMinor],
    ["repeat_purchase_rate", summary.repeatPurchaseRate],
    ["median_days_between_purchases", summary.medianDaysBetweenPurchases],
    ["mean_lifetime_value_minor", summary.meanLifetimeValueMinor],
    ["median_lifetime_value_minor", summary.medianLifetimeValueMinor],
  ];
  for (const [key, row] of [
    ["last_month", summary.lastMonth],
    ["last_quarter", summary.lastQuarter],
  ] as const) {
    rows.push([`${key}`, row?.period ?? null]);
    rows.push([`${key}_customer_retention_rate`, row?.customerRetentionRate ?? null]);
    rows.push([`${key}_gross_revenue_retention`, row?.grossRevenueRetention ?? null]);
    rows.push([`${key}_net_revenue_retention`, row?.netRevenueRetention ?? null]);
  }
  for (const s of summary.segments) rows.push([`segment_${s.segment}_customers`, s.customers]);
  return { name: "retention-summary", header: ["metric", "value"], rows };
}

export function ratesTable(report: RetentionRatesReport): Table {
  return {
    name: `retention-rates-${report.period}`,
    header: [
      "period",
      "start",
      "end",
      "partial",
      "active_customers",
      "new_customers",
      "reactivated_customers",
      "previous_customers",
      "retained_customers",
      "customer_retention_rate",
      "customer_churn_rate",
      "revenue_minor",
      "previous_revenue_minor",
      "retained_revenue_minor",
      "gross_revenue_retention",
      "net_revenue_retention",
      "revenue_churn_rate",
    ],
    rows: report.rows.map((r) => [
      r.period,
      r.start,
      r.end,
      r.partial,
      r.activeCustomers,
      r.newCustomers,
      r.reactivatedCustomers,
      r.previousCustomers,
      r.retainedCustomers,
      r.customerRetentionRate,
      r.customerChurnRate,
      r.revenueMinor,
      r.previousRevenueMinor,
      r.retainedRevenueMinor,
      r.grossRevenueRetention,
      r.netRevenueRetention,
      r.revenueChurnRate,
    ]),
  };
}

/** One row per cohort: its size, then the count and the share active in each month since the first purchase. */
export function cohortsTable(report: CohortReport): Table {
  const months = Array.from({ length: report.months }, (_, k) => k);
  return {
    name: "retention-cohorts",
    header: [
      "cohort",
      "customers",
      ...months.map((k) => `month_${k}_customers`),
      ...months.map((k) => `month_${k}_share`),
    ],
    rows: report.rows.map((r) => [
      r.cohort,
      r.customers,
      ...months.map((k) => r.counts[k] ?? null),
      ...months.map((k) => r.shares[k] ?? null),
    ]),
  };
}

/** The segment's customers when one was asked for, else the segments. */
export function rfmTable(report: RfmReport): Table {
  if (report.customers !== null) {
    return {
      name: `retention-rfm-${report.segment}`,
      header: [
        "customer_id",
        "name",
        "email",
        "segment",
        "recency_days",
        "frequency",
        "monetary_minor",
        "r",
        "f",
        "m",
      ],
      rows: report.customers.map((c) => [
        c.customerId,
        c.name,
        c.email,
        c.segment,
        c.recencyDays,
        c.frequency,
        c.monetaryMinor,
        c.r,
        c.f,
        c.m,
      ]),
    };
  }
  return {
    name: "retention-rfm-segments",
    header: ["segment", "label", "customers", "customer_share", "revenue_minor", "revenue_share", "meaning"],
    rows: report.segments.map((s) => [
      s.segment,
      s.label,
      s.customers,
      s.customerShare,
      s.revenueMinor,
      s.revenueShare,
      s.meaning,
    ]),
  };
}

export function lifetimeValueTable(report: LifetimeValueReport): Table {
  return {
    name: "retention-ltv-by-cohort",
    header: ["cohort", "customers", "revenue_minor", "mean_minor", "median_minor"],
    rows: report.byCohort.map((c) => [c.cohort, c.customers, c.revenueMinor, c.meanMinor, c.medianMinor]),
  };
}

export function purchasesTable(report: PurchasesReport): Table {
  return {
    name: "retention-purchase-intervals",
    header: ["interval", "from_days", "to_days", "gaps"],
    rows: report.histogram.map((b) => [
      b.label,
      b.fromDays,
      b.toDays === null ? null : b.toDays - 1,
      b.count,
    ]),
  };
}
