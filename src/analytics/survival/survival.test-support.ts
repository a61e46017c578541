// Survival fixtures (lifelines' rossi.csv and g3.csv) shared by the survival tests. Tests only.
import { readCsv } from "../analytics-fixtures.test-support.ts";
import type { CoxData } from "./cox-ph.model.ts";

export const rossiCovariates = ["fin", "age", "race", "wexp", "mar", "paro", "prio"] as const;

/** Rossi et al. (1980) recidivism data: 432 subjects, week of arrest or censoring at 52. */
export function readRossi(): Record<string, string>[] {
  return readCsv("survival/rossi.csv");
}

/** Rossi data as Cox input with the named covariates and optional strata columns. */
export function rossiCoxData(covariates: readonly string[], strataColumns: readonly string[] = []): CoxData {
  const rows = readRossi();
  return {
    time: rows.map((row) => Number(row.week)),
    event: rows.map((row) => row.arrest === "1"),
    covariates: rows.map((row) => covariates.map((name) => Number(row[name]))),
    strata:
      strataColumns.length > 0 ? rows.map((row) => strataColumns.map((c) => row[c]).join("|")) : undefined,
  };
}

/** The 17 glioma patients of g3.csv: time, event and treatment group (RIT or Control). */
export function readG3(): { time: number; event: boolean; group: string }[] {
  return readCsv("survival/g3.csv").map((row) => ({
    time: Number(row.time),
    event: row.event === "True",
    group: row.group,
  }));
}
