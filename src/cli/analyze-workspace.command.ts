import type { Config } from "../config.ts";
import { riskDefinitions, serviceImpactDefinitions } from "../modules/risk/risk.routes.ts";
import { computeRiskScores, rescoreAllCustomers } from "../modules/risk/risk.service.ts";
import { getServiceImpact } from "../modules/risk/service-impact.service.ts";
import { openCliContext } from "./cli-context.ts";

// `tend analyze risk` and `tend analyze service-impact`: the workspace's own data, through the same services as the
// dashboard's API, so the numbers match.

const progress = (message: string) => process.stderr.write(`… ${message}\n`);
const fixed = (value: number | null | undefined, digits: number) =>
  value === null || value === undefined || !Number.isFinite(value) ? "n/a" : value.toFixed(digits);

export async function runAnalyzeRiskCommand(config: Config, options: { json?: boolean; store?: boolean }) {
  const ctx = await openCliContext(config, { mustExist: true });
  try {
    const { backtest, scores, values, currency } = options.store
      ? await (async () => {
          const computed = await computeRiskScores(ctx, undefined, progress);
          await rescoreAllCustomers(ctx, undefined, progress);
          return computed;
        })()
      : await computeRiskScores(ctx, undefined, progress);
    const bands = { low: 0, medium: 0, high: 0 };
    for (const score of scores) bands[score.score >= 60 ? "high" : score.score >= 30 ? "medium" : "low"]++;
    const top = [...scores]
      .map((score) => ({ ...score, value: values.get(String(score.customerId)) ?? 0 }))
      .sort((a, b) => (b.value * b.score) / 100 - (a.value * a.score) / 100)
      .slice(0, 10);
    if (options.json) {
      process.stdout.write(
        `${JSON.stringify({ backtest, bands, currency, top, definitions: riskDefinitions, stored: options.store ?? false }, null, 2)}\n`,
      );
      return;
    }
    const lines = [
      `Churn risk: ${scores.length} active customers scored (${bands.high} high, ${bands.medium} medium, ${bands.low} low)`,
      "",
      `Backtest: trained as of ${new Date(backtest.trainedAsOf * 86_400_000).toISOString().slice(0, 10)}, scored ${backtest.testCustomers} customers as of ${new Date(backtest.testedAsOf * 86_400_000).toISOString().slice(0, 10)}, outcome over ${backtest.horizonDays} days (${fixed(backtest.churnRate * 100, 1)}% stopped buying)`,
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
      `Most value at risk (${currency ?? "minor units"}):`,
      ...top.map(
        (row) =>
          `  customer ${String(row.customerId).padEnd(7)} score ${fixed(row.score, 1).padStart(5)}  value ${fixed(row.value / 100, 2).padStart(9)}  ${row.reasons.map((reason) => `${reason.label}: ${reason.value}`).join("; ")}`,
      ),
      "",
      options.store
        ? "Stored: the dashboard and the inbox's value-at-risk view show these scores."
        : "Not stored (add --store to save the scores for the dashboard and the inbox).",
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
  } finally {
    await ctx.close();
  }
}

export async function runAnalyzeServiceImpactCommand(
  config: Config,
  options: { json?: boolean; lapseDays: number; recencyDays: number; horizonDays: number },
) {
  const ctx = await openCliContext(config, { mustExist: true });
  try {
    progress("reading orders and tickets; fitting Kaplan-Meier curves and Cox models");
    const report = await getServiceImpact(ctx, {
      lapseDays: options.lapseDays,
      recencyDays: options.recencyDays,
      horizonDays: options.horizonDays,
    });
    if (options.json) {
      process.stdout.write(
        `${JSON.stringify({ ...report, definitions: serviceImpactDefinitions }, null, 2)}\n`,
      );
      return;
    }
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
    process.stdout.write(`${lines.join("\n")}`);
  } finally {
    await ctx.close();
  }
}
