import { type Command, InvalidArgumentError, Option } from "commander";
import type { Config } from "../config.ts";
import type { AnalyzeClvCommandOptions, AnalyzeSurvivalCommandOptions } from "./analyze.command.ts";
import type { AnalyzeRetentionCommandOptions } from "./analyze-retention.command.ts";
import type { AnalyzeRiskOptions, AnalyzeServiceImpactOptions } from "./analyze-workspace.command.ts";

// `tend analyze` options. The command module is imported inside each action so `tend --help` stays quick.

function parseDay(value: string): Date {
  const match = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(value);
  const date = match
    ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])))
    : undefined;
  if (!match || !date || date.toISOString().slice(0, 10) !== `${match[1]}-${match[2]}-${match[3]}`) {
    throw new InvalidArgumentError("use a date as YYYY-MM-DD");
  }
  return date;
}

function parsePositive(value: string): number {
  const n = Number(value);
  if (!(Number.isFinite(n) && n > 0)) throw new InvalidArgumentError("use a number above 0");
  return n;
}

function parseWholeMonths(value: string): number {
  const n = Number(value);
  if (!(Number.isInteger(n) && n >= 0)) throw new InvalidArgumentError("use a whole number of months");
  return n;
}

function parseRate(value: string): number {
  const n = Number(value);
  if (!(Number.isFinite(n) && n > -1 && n < 1))
    throw new InvalidArgumentError("use a rate such as 0.01 (1 % a month)");
  return n;
}

function parseColumnList(value: string): string[] {
  const names = value
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean);
  if (names.length === 0) throw new InvalidArgumentError("use a comma-separated list of column names");
  return names;
}

function parseDays(value: string): number {
  const n = Number(value);
  if (!(Number.isInteger(n) && n > 0 && n <= 3650))
    throw new InvalidArgumentError("use a whole number of days");
  return n;
}

/**
 * Adds `tend analyze clv` and `survival` (files in, numbers out), `retention` (workspace or file), and `risk` and
 * `service-impact` (the workspace's own data).
 */
export function registerAnalyzeCommands(program: Command, loadConfig: () => Config): void {
  const analyze = program
    .command("analyze")
    .description(
      "Retention analyses: clv and survival of a CSV export (no database); retention of the workspace or a CSV; risk and service-impact of the workspace",
    );
  analyze
    .command("clv")
    .description("BG/NBD, Pareto/NBD and Gamma-Gamma from a transaction log: one row per purchase")
    .requiredOption("--orders <file>", "CSV with a header and at least customer_id,date,amount")
    .requiredOption(
      "--calibration-end <date>",
      "last day (YYYY-MM-DD) of the period the models learn from",
      parseDay,
    )
    .addOption(new Option("--time-unit <unit>", "model time unit").choices(["day", "week"]).default("week"))
    .option("--customer-column <name>", "column with the customer id", "customer_id")
    .option("--date-column <name>", "column with the purchase date (YYYY-MM-DD or YYYYMMDD)", "date")
    .option("--amount-column <name>", "column with the amount (a decimal such as 12.50)", "amount")
    .option(
      "--predict-horizon <n>",
      "prediction horizon in time units (default 52 weeks or 365 days)",
      parsePositive,
    )
    .option("--clv-months <n>", "CLV horizon in months", parseWholeMonths, 12)
    .option("--monthly-discount <rate>", "CLV discount rate per month", parseRate, 0.01)
    .option("--customers", "include the per-customer predictions")
    .option("--strict", "stop at the first bad row (default: skip bad rows and report them)")
    .option("--json", "print JSON instead of a table")
    .option("--html <file>", "also write a self-contained HTML report")
    .action(async (options: AnalyzeClvCommandOptions) => {
      const { runAnalyzeClvCommand } = await import("./analyze.command.ts");
      await runAnalyzeClvCommand(options);
    });
  analyze
    .command("survival")
    .description("Cox proportional hazards, and Kaplan-Meier curves with the log-rank test per group")
    .requiredOption("--file <file>", "CSV with a header, one subject per row")
    .requiredOption("--duration <column>", "column with the time to the event or to censoring")
    .requiredOption("--event <column>", "column with 1/0 (true/false, yes/no): did the event happen")
    .option(
      "--covariates <columns>",
      "comma-separated numeric columns for the Cox model",
      parseColumnList,
      [],
    )
    .option("--group <column>", "column to split Kaplan-Meier curves and the log-rank test by")
    .addOption(
      new Option("--ties <method>", "tied event times").choices(["efron", "breslow"]).default("efron"),
    )
    .option("--strict", "stop at the first bad row (default: skip bad rows and report them)")
    .option("--json", "print JSON instead of a table")
    .option("--html <file>", "also write a self-contained HTML report")
    .action(async (options: AnalyzeSurvivalCommandOptions) => {
      const { runAnalyzeSurvivalCommand } = await import("./analyze.command.ts");
      await runAnalyzeSurvivalCommand(options);
    });
  analyze
    .command("retention")
    .description(
      "Retention and churn per period, GRR/NRR, cohorts, repeat rate, purchase gaps, RFM segments, lifetime value: of the workspace's orders, or of a CSV with --orders",
    )
    .option("--orders <file>", "CSV with a header and at least customer_id,date,amount (no database then)")
    .addOption(
      new Option("--period <period>", "retention period").choices(["month", "quarter"]).default("month"),
    )
    .option("--currency <code>", "currency to measure (default: the one with most orders; EUR for a file)")
    .option("--customer-column <name>", "with --orders: column with the customer id", "customer_id")
    .option("--date-column <name>", "with --orders: column with the purchase date", "date")
    .option(
      "--amount-column <name>",
      "with --orders: column with the amount (a decimal such as 12.50)",
      "amount",
    )
    .option(
      "--as-of <date>",
      "with --orders: the day recency is measured to (default: the last purchase)",
      parseDay,
    )
    .option("--json", "print JSON (the API's answers) instead of tables")
    .option("--html <file>", "also write a self-contained HTML report")
    .action(async (options: AnalyzeRetentionCommandOptions) => {
      const { runAnalyzeRetentionCommand } = await import("./analyze-retention.command.ts");
      await runAnalyzeRetentionCommand(loadConfig, options);
    });
  analyze
    .command("risk")
    .description(
      "Churn risk on the workspace's data: backtest (AUC, Brier, calibration) and the customers most at risk",
    )
    .option("--store", "save the scores (as the nightly job does) for the dashboard and the inbox")
    .option("--json", "print JSON instead of a table")
    .option("--html <file>", "also write a self-contained HTML report")
    .action(async (options: AnalyzeRiskOptions) => {
      const { runAnalyzeRiskCommand } = await import("./analyze-workspace.command.ts");
      await runAnalyzeRiskCommand(loadConfig(), options);
    });
  analyze
    .command("service-impact")
    .description(
      "What service does to retention on the workspace's data: survival by experience, hazard ratios, money",
    )
    .option("--lapse-days <n>", "days without an order that count as churn", parseDays, 180)
    .option(
      "--recency-days <n>",
      "a contact counts if the customer ordered within this many days before",
      parseDays,
      30,
    )
    .option("--horizon-days <n>", "revenue lost within this many days after a contact", parseDays, 365)
    .option("--json", "print JSON instead of a table")
    .option("--html <file>", "also write a self-contained HTML report")
    .action(async (options: AnalyzeServiceImpactOptions) => {
      const { runAnalyzeServiceImpactCommand } = await import("./analyze-workspace.command.ts");
      await runAnalyzeServiceImpactCommand(loadConfig(), options);
    });
}
