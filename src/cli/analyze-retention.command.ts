import type { RetentionPeriod } from "../analytics/retention/purchase-log.ts";
import type { Config } from "../config.ts";
import {
  loadWorkspacePurchases,
  measureCohorts,
  measureLifetimeValue,
  measurePurchases,
  measureRetentionRates,
  measureRfm,
  type PurchaseLog,
  readPurchaseFile,
  summarizeRetention,
} from "../modules/retention/retention-measures.service.ts";
import {
  cohortsTable,
  lifetimeValueTable,
  purchasesTable,
  ratesTable,
  rfmTable,
  type Table,
} from "../modules/retention/retention-tables.ts";
import { openCliContext } from "./cli-context.ts";

export interface AnalyzeRetentionCommandOptions {
  orders?: string;
  period: RetentionPeriod;
  currency?: string;
  customerColumn: string;
  dateColumn: string;
  amountColumn: string;
  asOf?: Date;
  json?: boolean;
  html?: string;
}

/**
 * `tend analyze retention`: the numbers the retention API gives, from the same service, over the workspace's
 * orders, or over a CSV export alone with --orders (no database opened then).
 */
export async function runAnalyzeRetentionCommand(
  config: () => Config,
  options: AnalyzeRetentionCommandOptions,
): Promise<void> {
  let log: PurchaseLog;
  if (options.orders) {
    const read = await readPurchaseFile({
      file: options.orders,
      columns: { customer: options.customerColumn, date: options.dateColumn, amount: options.amountColumn },
      currency: options.currency ?? "EUR",
      asOf: options.asOf,
    });
    for (const e of read.rowErrors) process.stderr.write(`${options.orders} line ${e.line}: ${e.reason}\n`);
    log = read;
  } else {
    const ctx = await openCliContext(config(), { mustExist: true });
    try {
      log = await loadWorkspacePurchases(ctx, { currency: options.currency });
    } finally {
      await ctx.close();
    }
  }
  const summary = summarizeRetention(log);
  const rates = measureRetentionRates(log, { period: options.period });
  const cohorts = measureCohorts(log);
  const rfm = measureRfm(log).report;
  const ltv = measureLifetimeValue(log);
  const purchases = measurePurchases(log);
  if (options.html) {
    const { writeFile } = await import("node:fs/promises");
    const { renderRetentionReport } = await import("../modules/retention/retention-measures-report.ts");
    await writeFile(
      options.html,
      renderRetentionReport({ summary, rates, cohorts, lifetimeValue: ltv, rfm, purchases }),
    );
    process.stderr.write(`wrote the report to ${options.html}\n`);
  }
  if (options.json) {
    process.stdout.write(
      `${JSON.stringify({ summary, rates, cohorts, rfm: { ...rfm, customers: null }, ltv, purchases }, null, 2)}\n`,
    );
    return;
  }
  const pct = (v: number | null | undefined) =>
    v === null || v === undefined ? "-" : `${(v * 100).toFixed(1)} %`;
  const s = summary.scope;
  const out = [
    `Retention of ${s.customers.toLocaleString("en")} customers, ${s.orders.toLocaleString("en")} orders in ${s.currency ?? "-"} (${s.firstPurchase ?? "-"} to ${s.lastPurchase ?? "-"}), as of ${s.asOf}`,
    ...s.excluded.map((e) => `  left out: ${e.count} ${e.reason}`),
    `Repeat purchase rate ${pct(summary.repeatPurchaseRate)}; median ${summary.medianDaysBetweenPurchases ?? "-"} days between purchases`,
    `Last complete month ${summary.lastMonth?.period ?? "-"}: retention ${pct(summary.lastMonth?.customerRetentionRate)}, GRR ${pct(summary.lastMonth?.grossRevenueRetention)}, NRR ${pct(summary.lastMonth?.netRevenueRetention)}`,
    `Last complete quarter ${summary.lastQuarter?.period ?? "-"}: retention ${pct(summary.lastQuarter?.customerRetentionRate)}, GRR ${pct(summary.lastQuarter?.grossRevenueRetention)}, NRR ${pct(summary.lastQuarter?.netRevenueRetention)}`,
    `Lifetime value (minor units): mean ${ltv.meanMinor?.toFixed(0) ?? "-"}, median ${ltv.medianMinor?.toFixed(0) ?? "-"}, p90 ${ltv.p90Minor?.toFixed(0) ?? "-"}`,
    "",
    `Retention by ${options.period}`,
    formatTable(ratesTable(rates), [
      "period",
      "active_customers",
      "new_customers",
      "retained_customers",
      "customer_retention_rate",
      "gross_revenue_retention",
      "net_revenue_retention",
      "revenue_minor",
    ]),
    "",
    "Cohorts by first-purchase month (share active k months later)",
    formatTable(
      cohortsTable(cohorts),
      (header) => header === "cohort" || header === "customers" || header.endsWith("_share"),
    ),
    "",
    "RFM segments",
    formatTable(rfmTable({ ...rfm, customers: null }), [
      "label",
      "customers",
      "customer_share",
      "revenue_minor",
      "revenue_share",
    ]),
    "",
    "Lifetime value by cohort",
    formatTable(lifetimeValueTable(ltv)),
    "",
    "Days between purchases",
    formatTable(purchasesTable(purchases)),
    "",
    "Definitions",
    ...Object.entries({ ...rates.definitions, ...purchases.definitions, ...rfm.definitions }).map(
      ([key, text]) => `  ${key}: ${text}`,
    ),
  ];
  process.stdout.write(`${out.join("\n")}\n`);
}

/** Aligned text for a Table, with only some columns; rates read as fractions, amounts as integers. */
function formatTable(table: Table, columns?: string[] | ((header: string) => boolean)): string {
  const keep = table.header
    .map((h, i) => [h, i] as const)
    .filter(([h]) =>
      columns === undefined ? true : typeof columns === "function" ? columns(h) : columns.includes(h),
    );
  const cell = (v: string | number | boolean | null) =>
    v === null ? "-" : typeof v === "number" && !Number.isInteger(v) ? v.toFixed(3) : String(v);
  const rows = table.rows.map((row) => keep.map(([, i]) => cell(row[i])));
  const header = keep.map(([h]) =>
    h.startsWith("month_") ? h.replace(/_share$/, "").replace(/^month_/, "m") : h,
  );
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  return [line(header), ...rows.map(line)].join("\n");
}
