import { writeFile } from "node:fs/promises";
import { AppError } from "../errors.ts";
import { analyzeClvFile, type ClvAnalysis } from "../modules/retention/clv-analysis.service.ts";
import type { AnalysisProgress } from "../modules/retention/retention-progress.ts";
import { renderClvReport, renderSurvivalReport } from "../modules/retention/retention-report.ts";
import {
  analyzeSurvivalFile,
  type SurvivalAnalysis,
} from "../modules/retention/survival-analysis.service.ts";
import { formatClvTable, formatSurvivalTable } from "./analyze-format.ts";
import { CliError } from "./cli-context.ts";

// `tend analyze clv|survival` work on files alone: they never open the database or read the workspace configuration
// (`tend analyze retention` without --orders does; see analyze-retention.command.ts).

export interface AnalyzeClvCommandOptions {
  orders: string;
  calibrationEnd: Date;
  timeUnit: "day" | "week";
  customerColumn: string;
  dateColumn: string;
  amountColumn: string;
  predictHorizon?: number;
  clvMonths: number;
  monthlyDiscount: number;
  customers?: boolean;
  strict?: boolean;
  json?: boolean;
  html?: string;
}

/** `tend analyze clv`: the fitted models as JSON (--json) or a table on stdout; progress on stderr. */
export async function runAnalyzeClvCommand(options: AnalyzeClvCommandOptions): Promise<void> {
  const analysis = await withUsageErrors(() =>
    analyzeClvFile({
      file: options.orders,
      columns: { customer: options.customerColumn, date: options.dateColumn, amount: options.amountColumn },
      calibrationEnd: options.calibrationEnd,
      timeUnit: options.timeUnit,
      predictHorizon: options.predictHorizon ?? (options.timeUnit === "week" ? 52 : 365),
      clvMonths: options.clvMonths,
      monthlyDiscountRate: options.monthlyDiscount,
      strict: options.strict ?? false,
      onProgress: reportProgress,
    }),
  );
  if (options.html) {
    await writeFile(options.html, renderClvReport(analysis));
    process.stderr.write(`wrote the report to ${options.html}\n`);
  }
  const presented = presentClvAnalysis(analysis, options.customers ?? false);
  process.stdout.write(
    options.json
      ? `${JSON.stringify(presented, null, 2)}\n`
      : formatClvTable(analysis, options.customers ?? false),
  );
  warnAboutRowErrors(analysis.counts.rowErrors, analysis.rowErrors);
}

export interface AnalyzeSurvivalCommandOptions {
  file: string;
  duration: string;
  event: string;
  covariates: string[];
  group?: string;
  ties: "efron" | "breslow";
  strict?: boolean;
  json?: boolean;
  html?: string;
}

/** `tend analyze survival`: Cox model, and Kaplan-Meier curves with the log-rank test per --group. */
export async function runAnalyzeSurvivalCommand(options: AnalyzeSurvivalCommandOptions): Promise<void> {
  const analysis = await withUsageErrors(() =>
    analyzeSurvivalFile({
      file: options.file,
      duration: options.duration,
      event: options.event,
      covariates: options.covariates,
      group: options.group,
      ties: options.ties,
      strict: options.strict ?? false,
      onProgress: reportProgress,
    }),
  );
  if (options.html) {
    await writeFile(options.html, renderSurvivalReport(analysis));
    process.stderr.write(`wrote the report to ${options.html}\n`);
  }
  process.stdout.write(
    options.json
      ? `${JSON.stringify(presentSurvivalAnalysis(analysis), null, 2)}\n`
      : formatSurvivalTable(analysis),
  );
  warnAboutRowErrors(analysis.counts.rowErrors, analysis.rowErrors);
}

/** The JSON document: everything but the per-customer predictions, which come only with --customers. */
export function presentClvAnalysis(analysis: ClvAnalysis, withCustomers: boolean): object {
  const { customers, ...rest } = analysis;
  return withCustomers ? { ...rest, customers } : rest;
}

function presentSurvivalAnalysis(analysis: SurvivalAnalysis): object {
  return analysis;
}

function reportProgress(progress: AnalysisProgress): void {
  process.stderr.write(`${progress.message}\n`);
}

function warnAboutRowErrors(count: number, first: readonly { line: number; reason: string }[]): void {
  if (count === 0) return;
  const shown = first.map((e) => `  line ${e.line}: ${e.reason}`).join("\n");
  process.stderr.write(
    `skipped ${count} bad row${count === 1 ? "" : "s"}${count > first.length ? ` (first ${first.length} shown)` : ""}:\n${shown}\n` +
      "use --strict to stop at the first bad row instead\n",
  );
}

// Bad input (a missing column, a bad row under --strict, an unreadable file) is a usage error: exit 2.
async function withUsageErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof AppError && error.code === "validation_failed") throw new CliError(error.message, 2);
    if (error instanceof RangeError) throw new CliError(`cannot fit the model: ${error.message}`, 1);
    throw error;
  }
}
