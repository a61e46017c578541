import { type CoxTies, fitCoxProportionalHazards } from "../../analytics/survival/cox-ph.model.ts";
import {
  type KaplanMeierStep,
  kaplanMeier,
  medianSurvivalTime,
} from "../../analytics/survival/kaplan-meier.ts";
import { type LogRankResult, logRankTest } from "../../analytics/survival/log-rank.ts";
import { validationFailed } from "../../errors.ts";
import { parseDecimal, type RowError, readCsvRows } from "./retention-csv.reader.ts";
import { type AnalysisProgress, RowErrorLog } from "./retention-progress.ts";

export interface SurvivalAnalysisOptions {
  file: string;
  /** Column with the time to the event or to censoring (a number >= 0). */
  duration: string;
  /** Column with 1/0, true/false or yes/no: did the event happen (else the subject is censored)? */
  event: string;
  covariates: readonly string[];
  group?: string;
  ties: CoxTies;
  strict: boolean;
  onProgress?: (progress: AnalysisProgress) => void;
}

export interface CoxCovariateEstimate {
  name: string;
  coef: number;
  se: number;
  z: number;
  p: number;
  hazardRatio: number;
  hazardRatioLower: number;
  hazardRatioUpper: number;
}

export interface SurvivalCurve {
  group: string;
  subjects: number;
  events: number;
  /** Infinity is written as null: the curve never reaches 0.5. */
  median: number | null;
  steps: KaplanMeierStep[];
}

export interface SurvivalAnalysis {
  file: string;
  counts: { rows: number; rowErrors: number; subjects: number; events: number };
  rowErrors: RowError[];
  cox: {
    ties: CoxTies;
    confidenceLevel: number;
    covariates: CoxCovariateEstimate[];
    logPartialLikelihood: number;
    nullLogPartialLikelihood: number;
    likelihoodRatioTest: { statistic: number; degreesOfFreedom: number; pValue: number };
    partialAic: number;
    concordance: number;
    converged: boolean;
    iterations: number;
    fitMs: number;
  } | null;
  /** Kaplan-Meier per group (--group), or one curve "all" without a group. */
  kaplanMeier: { column: string | null; confidence: "log-log"; curves: SurvivalCurve[] };
  logRank: LogRankResult | null;
}

const EVENT_VALUES: Record<string, boolean> = {
  "1": true,
  "0": false,
  true: true,
  false: false,
  yes: true,
  no: false,
  t: true,
  f: false,
};

/**
 * Reads one subject per row (duration, event, numeric covariates, optional group) and fits a Cox model (Efron
 * ties by default) and Kaplan-Meier curves with the log-rank test per group. Rows are streamed; the subjects
 * are kept column-wise, which the Cox fit needs in memory anyway.
 */
export async function analyzeSurvivalFile(options: SurvivalAnalysisOptions): Promise<SurvivalAnalysis> {
  const progress = options.onProgress ?? (() => {});
  const errors = new RowErrorLog(options.strict, options.file);
  const required = [
    { name: options.duration, flag: "--duration" },
    { name: options.event, flag: "--event" },
    ...options.covariates.map((name) => ({ name, flag: "--covariates (a comma-separated list)" })),
    ...(options.group ? [{ name: options.group, flag: "--group" }] : []),
  ];
  const time: number[] = [];
  const event: boolean[] = [];
  const covariates: number[][] = [];
  const groups: string[] = [];
  let rows = 0;
  progress({ stage: "read", message: `reading ${options.file}` });
  rowLoop: for await (const row of readCsvRows(options.file, {
    required,
    onRowError: (e) => {
      rows++;
      errors.add(e);
    },
  })) {
    rows++;
    const durationText = row.cells[options.duration];
    const duration = parseDecimal(durationText);
    if (duration === undefined || duration < 0) {
      errors.add({ line: row.line, reason: `${options.duration} "${durationText}" is not a number >= 0` });
      continue;
    }
    const eventText = row.cells[options.event];
    const happened = EVENT_VALUES[eventText.toLowerCase()];
    if (happened === undefined) {
      errors.add({
        line: row.line,
        reason: `${options.event} "${eventText}" is not 1/0, true/false or yes/no`,
      });
      continue;
    }
    const values: number[] = [];
    for (const name of options.covariates) {
      const value = parseDecimal(row.cells[name]);
      if (value === undefined) {
        errors.add({ line: row.line, reason: `covariate ${name} "${row.cells[name]}" is not a number` });
        continue rowLoop;
      }
      values.push(value);
    }
    const group = options.group ? row.cells[options.group] : "all";
    if (group === "") {
      errors.add({ line: row.line, reason: `${options.group} is empty` });
      continue;
    }
    time.push(duration);
    event.push(happened);
    covariates.push(values);
    groups.push(group);
  }
  const events = event.filter(Boolean).length;
  progress({
    stage: "read",
    message: `read ${rows.toLocaleString("en")} rows: ${time.length.toLocaleString("en")} subjects, ${events} events, ${errors.count} row errors`,
  });
  if (time.length === 0) throw validationFailed(`${options.file}: no usable rows`);

  let cox: SurvivalAnalysis["cox"] = null;
  if (options.covariates.length > 0) {
    progress({
      stage: "fit",
      message: `fitting Cox (${options.ties} ties) on ${time.length.toLocaleString("en")} subjects`,
    });
    const started = performance.now();
    const fit = fitCoxProportionalHazards({ time, event, covariates }, { ties: options.ties });
    const fitMs = performance.now() - started;
    progress({ stage: "fit", message: `fitted Cox in ${fitMs.toFixed(0)} ms` });
    cox = {
      ties: fit.ties,
      confidenceLevel: fit.confidenceLevel,
      covariates: options.covariates.map((name, j) => ({
        name,
        coef: fit.coefficients[j],
        se: fit.standardErrors[j],
        z: fit.z[j],
        p: fit.pValues[j],
        hazardRatio: fit.hazardRatios[j],
        hazardRatioLower: fit.hazardRatioLower[j],
        hazardRatioUpper: fit.hazardRatioUpper[j],
      })),
      logPartialLikelihood: fit.logPartialLikelihood,
      nullLogPartialLikelihood: fit.nullLogPartialLikelihood,
      likelihoodRatioTest: fit.likelihoodRatioTest,
      partialAic: fit.partialAic,
      concordance: fit.concordance,
      converged: fit.converged,
      iterations: fit.iterations,
      fitMs: Math.round(fitMs * 10) / 10,
    };
  }

  progress({ stage: "fit", message: "Kaplan-Meier curves" });
  const byGroup = new Map<string, { time: number; event: boolean }[]>();
  for (let i = 0; i < time.length; i++) {
    const members = byGroup.get(groups[i]) ?? [];
    members.push({ time: time[i], event: event[i] });
    byGroup.set(groups[i], members);
  }
  const curves = [...byGroup.keys()].sort().map((group): SurvivalCurve => {
    const members = byGroup.get(group) ?? [];
    const curve = kaplanMeier(members);
    const median = medianSurvivalTime(curve);
    return {
      group,
      subjects: members.length,
      events: members.filter((m) => m.event).length,
      median: Number.isFinite(median) ? median : null,
      steps: curve.steps,
    };
  });
  const logRank =
    options.group && byGroup.size >= 2
      ? logRankTest(time.map((t, i) => ({ time: t, event: event[i], group: groups[i] })))
      : null;

  return {
    file: options.file,
    counts: { rows, rowErrors: errors.count, subjects: time.length, events },
    rowErrors: errors.first,
    cox,
    kaplanMeier: { column: options.group ?? null, confidence: "log-log", curves },
    logRank,
  };
}
