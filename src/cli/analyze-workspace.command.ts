import { writeFile } from "node:fs/promises";
import type { Config } from "../config.ts";
import type { ServiceContext } from "../context.ts";
import { riskDefinitions, serviceImpactDefinitions } from "../modules/risk/risk.routes.ts";
import {
  computeRiskScores,
  type RiskSummary,
  rescoreAllCustomers,
  summarizeRiskScores,
} from "../modules/risk/risk.service.ts";
import { renderRiskReport, renderServiceImpactReport } from "../modules/risk/risk-report.ts";
import {
  getServiceImpact,
  type ServiceImpact,
  type ServiceImpactSettings,
} from "../modules/risk/service-impact.service.ts";
import { openCliContext } from "./cli-context.ts";

// `tend analyze risk` and `tend analyze service-impact`: the workspace's own data, through the same services as the
// dashboard's API, so the numbers match. Text, JSON and the HTML report are written from one result.

/** Where a command writes: stdout for the result, stderr for progress and notes. */
export interface CommandOutput {
  out: (text: string) => void;
  err: (text: string) => void;
}

const processOutput: CommandOutput = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

const fixed = (value: number | null | undefined, digits: number) =>
  value === null || value === undefined || !Number.isFinite(value) ? "n/a" : value.toFixed(digits);
const isoDay = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10);

export interface AnalyzeRiskOptions {
  json?: boolean;
  store?: boolean;
  html?: string;
}

export async function runAnalyzeRiskCommand(config: Config, options: AnalyzeRiskOptions) {
  const ctx = await openCliContext(config, { mustExist: true });
  try {
    await analyzeRisk(ctx, options);
  } finally {
    await ctx.close();
  }
}

/** Scores churn risk (and with `store`, saves the scores as the nightly job does), then prints and writes it. */
export async function analyzeRisk(
  ctx: ServiceContext,
  options: AnalyzeRiskOptions,
  output: CommandOutput = processOutput,
): Promise<RiskSummary> {
  const progress = (message: string) => output.err(`… ${message}\n`);
  // Storing computes once and hands back what it stored, so what is printed is what the dashboard shows.
  const stored = options.store ? await rescoreAllCustomers(ctx, undefined, progress) : null;
  const computed = stored ? stored.computed : await computeRiskScores(ctx, undefined, progress);
  const summary = await summarizeRiskScores(ctx, computed);
  if (options.html) {
    await writeFile(
      options.html,
      renderRiskReport(summary, { definitions: riskDefinitions, stored: stored !== null }),
    );
    output.err(`wrote the report to ${options.html}\n`);
  }
  if (options.json) {
    output.out(
      `${JSON.stringify(
        {
          ...summary,
          definitions: riskDefinitions,
          stored: stored ? { modelId: stored.model.id, scored: stored.scored } : null,
        },
        null,
        2,
      )}\n`,
    );
    return summary;
  }
  output.out(`${formatRiskText(summary, stored)}\n`);
  return summary;
}

function formatRiskText(summary: RiskSummary, stored: { model: { id: number }; scored: number } | null) {
  const { backtest, bands } = summary;
  return [
    `Churn risk: ${summary.scored} active customers scored (${bands.high} high, ${bands.medium} medium, ${bands.low} low)`,
    "",
    `Backtest: trained as of ${isoDay(backtest.trainedAsOf)}, scored ${backtest.testCustomers} customers as of ${isoDay(backtest.testedAsOf)}, outcome over ${backtest.horizonDays} days (${fixed(backtest.churnRate * 100, 1)}% stopped buying)`,
    `                 AUC     Brier`,
    `  risk model     ${fixed(backtest.auc, 3)}   ${fixed(backtest.brier, 4)}`,
    `  purchase only  ${fixed(backtest.purchaseModelOnly.auc, 3)}   ${fixed(backtest.purchaseModelOnly.brier, 4)}`,
    "",
    "Calibration (predicted → observed, customers):",
    ...backtest.calibration.map(
      (bin) =>
        `  ${fixed(bin.meanPredicted * 100, 1).padStart(5)}% → ${fixed(bin.observedRate * 100, 1).padStart(5)}%  (${bin.count})`,
    ),
    "",
    `Most value at risk (${summary.currency ?? "minor units"}):`,
    ...summary.top.map(
      (row) =>
        `  customer ${String(row.customerId).padEnd(7)} score ${fixed(row.score, 1).padStart(5)}  value at risk ${fixed((row.valueAtRiskMinor ?? 0) / 100, 2).padStart(9)}  ${row.reasons.map((reason) => `${reason.label}: ${reason.value}`).join("; ")}`,
    ),
    "",
    stored
      ? `Stored ${stored.scored} scores (model ${stored.model.id}): the dashboard and the inbox's value-at-risk view show these.`
      : "Not stored (add --store to save the scores for the dashboard and the inbox).",
  ].join("\n");
}

export interface AnalyzeServiceImpactOptions
  extends Required<Pick<ServiceImpactSettings, "lapseDays" | "recencyDays" | "horizonDays">> {
  json?: boolean;
  html?: string;
}

export async function runAnalyzeServiceImpactCommand(config: Config, options: AnalyzeServiceImpactOptions) {
  const ctx = await openCliContext(config, { mustExist: true });
  try {
    await analyzeServiceImpact(ctx, options);
  } finally {
    await ctx.close();
  }
}

/** What service does to retention on the workspace's data, printed and written as the dashboard reads it. */
export async function analyzeServiceImpact(
  ctx: ServiceContext,
  options: AnalyzeServiceImpactOptions,
  output: CommandOutput = processOutput,
): Promise<ServiceImpact> {
  output.err("… reading orders and tickets; fitting Kaplan-Meier curves and Cox models\n");
  const report = await getServiceImpact(ctx, {
    lapseDays: options.lapseDays,
    recencyDays: options.recencyDays,
    horizonDays: options.horizonDays,
  });
  if (options.html) {
    await writeFile(
      options.html,
      renderServiceImpactReport(report, { definitions: serviceImpactDefinitions }),
    );
    output.err(`wrote the report to ${options.html}\n`);
  }
  if (options.json) {
    output.out(`${JSON.stringify({ ...report, definitions: serviceImpactDefinitions }, null, 2)}\n`);
    return report;
  }
  output.out(formatServiceImpactText(report));
  return report;
}

function formatServiceImpactText(report: ServiceImpact): string {
  const lines = [
    `What service does to retention: ${report.customers} customers, ${report.contacts} tickets`,
    `(churn = ${report.lapseDays} days without an order; contacts of customers who ordered within ${report.recencyDays} days before; money over ${report.horizonDays} days)`,
    "",
    report.summary,
    "",
  ];
  for (const e of report.experiences) {
    lines.push(`${e.label}`);
    lines.push(
      `  ${e.exposedLabel}: ${e.exposed.customers} customers, ${e.exposed.churned} stopped buying · ${e.unexposedLabel}: ${e.unexposed.customers} customers, ${e.unexposed.churned} stopped buying`,
    );
    if (e.hazardRatio) {
      lines.push(
        `  hazard ratio ${fixed(e.hazardRatio.value, 2)} (95% ${fixed(e.hazardRatio.lower, 2)}-${fixed(e.hazardRatio.upper, 2)}, p ${e.hazardRatio.p < 0.001 ? "< 0.001" : fixed(e.hazardRatio.p, 3)}) · log-rank p ${e.logRank ? fixed(e.logRank.p, 4) : "n/a"}`,
      );
    }
    lines.push(`  ${e.message}`, "");
  }
  return `${lines.join("\n")}`;
}
