import {
  bgNbdConditionalExpectedPurchases,
  bgNbdProbabilityAlive,
  fitBgNbd,
} from "../../analytics/clv/bg-nbd.model.ts";
import {
  discountedLifetimeValue,
  TIME_UNITS_PER_MONTH,
} from "../../analytics/clv/customer-lifetime-value.ts";
import {
  type CustomerSummary,
  type SummaryTimeUnit,
  summarizeTransactions,
  type Transaction,
} from "../../analytics/clv/customer-summary.ts";
import {
  fitGammaGamma,
  gammaGammaConditionalExpectedValue,
  selectSpendObservations,
} from "../../analytics/clv/gamma-gamma.model.ts";
import { fitParetoNbd } from "../../analytics/clv/pareto-nbd.model.ts";
import { validationFailed } from "../../errors.ts";
import { parseCalendarDay, parseDecimal, type RowError, readCsvRows } from "./retention-csv.reader.ts";
import { type AnalysisProgress, RowErrorLog } from "./retention-progress.ts";

export interface ClvAnalysisOptions {
  file: string;
  columns: { customer: string; date: string; amount: string };
  /** Last day of the calibration period (inclusive, UTC). Later purchases are the holdout. */
  calibrationEnd: Date;
  timeUnit: SummaryTimeUnit;
  /** Horizon of the expected-purchases prediction, in model time units. */
  predictHorizon: number;
  clvMonths: number;
  monthlyDiscountRate: number;
  /** Stop at the first bad row instead of skipping it. */
  strict: boolean;
  onProgress?: (progress: AnalysisProgress) => void;
}

export interface CustomerPrediction {
  id: string;
  x: number;
  t_x: number;
  T: number;
  pAliveBgNbd: number;
  /** BG/NBD expected purchases in the next `predictHorizon` time units. */
  expectedPurchases: number;
  /** Gamma-Gamma expected value per purchase (the population mean for customers without valued repeats). */
  expectedAverageValue: number | null;
  clv: number | null;
}

export interface HoldoutBin {
  /** Calibration-period repeat purchases: "0" … "6", "7+". */
  frequency: string;
  customers: number;
  /** Mean purchase days in the holdout period. */
  actual: number;
  /** Mean BG/NBD conditional expectation over the holdout length. */
  expected: number;
}

export interface ClvAnalysis {
  file: string;
  calibrationEnd: string;
  timeUnit: SummaryTimeUnit;
  counts: {
    /** Data rows in the file (header excluded). */
    rows: number;
    /** Rows read as purchases (rows minus row errors). */
    transactions: number;
    rowErrors: number;
    /** Distinct (customer, day) pairs: same-day purchases count as one. */
    purchaseDays: number;
    calibrationPurchaseDays: number;
    holdoutPurchaseDays: number;
    /** Customers with a purchase in the calibration period: the ones the models are fitted on. */
    customers: number;
    repeatCustomers: number;
    singlePurchaseCustomers: number;
    gammaGammaCustomers: number;
  };
  excluded: { count: number; reason: string }[];
  /** The first row errors, with line numbers (all of them are counted in counts.rowErrors). */
  rowErrors: RowError[];
  bgnbd: ModelFit<{ r: number; alpha: number; a: number; b: number }>;
  paretoNbd: ModelFit<{ r: number; alpha: number; s: number; beta: number }>;
  gammaGamma: ModelFit<{ p: number; q: number; gamma: number }> | null;
  prediction: {
    horizon: number;
    clvMonths: number;
    monthlyDiscountRate: number;
    totalExpectedPurchases: number;
    meanClv: number | null;
    totalClv: number | null;
  };
  holdout: { length: number; bins: HoldoutBin[] } | null;
  customers: CustomerPrediction[];
}

type ModelFit<P> = P & {
  logLikelihood: number;
  standardErrors: P;
  converged: boolean;
  iterations: number;
  fitMs: number;
};

const MS_PER_DAY = 86_400_000;
const DAYS_PER_UNIT: Record<SummaryTimeUnit, number> = { day: 1, week: 7 };
const HOLDOUT_BINS = 8;

/**
 * Reads a transaction export (customer, date, amount per row), summarises each customer over the calibration
 * period (same-day purchases merged), fits BG/NBD, Pareto/NBD and Gamma-Gamma and predicts per customer. The rows
 * are streamed and folded into purchase days as they come, so memory grows with customer-days, not rows.
 */
export async function analyzeClvFile(options: ClvAnalysisOptions): Promise<ClvAnalysis> {
  const progress = options.onProgress ?? (() => {});
  const { columns } = options;
  const errors = new RowErrorLog(options.strict, options.file);
  const days = new Map<string, Map<number, number>>();
  let rows = 0;
  let transactions = 0;
  const required = [
    { name: columns.customer, flag: "--customer-column" },
    { name: columns.date, flag: "--date-column" },
    { name: columns.amount, flag: "--amount-column" },
  ];
  progress({ stage: "read", message: `reading ${options.file}` });
  for await (const row of readCsvRows(options.file, {
    required,
    onRowError: (e) => {
      rows++;
      errors.add(e);
    },
  })) {
    rows++;
    if (rows % 250_000 === 0) progress({ stage: "read", message: `read ${rows.toLocaleString("en")} rows` });
    const customer = row.cells[columns.customer];
    const dateText = row.cells[columns.date];
    const amountText = row.cells[columns.amount];
    if (customer === "") {
      errors.add({ line: row.line, reason: `${columns.customer} is empty` });
      continue;
    }
    const date = parseCalendarDay(dateText);
    if (date === undefined) {
      errors.add({
        line: row.line,
        reason: `${columns.date} "${dateText}" is not a yyyy-mm-dd or yyyymmdd date`,
      });
      continue;
    }
    const amount = parseDecimal(amountText);
    if (amount === undefined) {
      errors.add({ line: row.line, reason: `${columns.amount} "${amountText}" is not a decimal number` });
      continue;
    }
    if (amount < 0) {
      errors.add({
        line: row.line,
        reason: `${columns.amount} ${amountText} is negative (net refunds out first)`,
      });
      continue;
    }
    transactions++;
    const day = Math.floor(date.getTime() / MS_PER_DAY);
    let perDay = days.get(customer);
    if (perDay === undefined) {
      perDay = new Map();
      days.set(customer, perDay);
    }
    perDay.set(day, (perDay.get(day) ?? 0) + amount);
  }
  progress({
    stage: "read",
    message: `read ${rows.toLocaleString("en")} rows: ${transactions.toLocaleString("en")} purchases, ${errors.count} row errors`,
  });

  const endDay = Math.floor(options.calibrationEnd.getTime() / MS_PER_DAY);
  const unit = DAYS_PER_UNIT[options.timeUnit];
  const calibration: Transaction[] = [];
  const holdoutDays = new Map<string, number>();
  let purchaseDays = 0;
  let lastDay = Number.NEGATIVE_INFINITY;
  let lateCustomers = 0;
  for (const [customerId, perDay] of days) {
    let inCalibration = 0;
    let later = 0;
    for (const [day, amount] of perDay) {
      purchaseDays++;
      lastDay = Math.max(lastDay, day);
      if (day <= endDay) {
        inCalibration++;
        calibration.push({ customerId, date: new Date(day * MS_PER_DAY), amount });
      } else later++;
    }
    if (inCalibration === 0) lateCustomers++;
    else holdoutDays.set(customerId, later);
  }
  days.clear();
  const summaries = summarizeTransactions(calibration, {
    calibrationEnd: options.calibrationEnd,
    timeUnit: options.timeUnit,
  });
  if (summaries.length === 0) {
    throw validationFailed(
      `no purchases on or before the calibration end ${isoDay(options.calibrationEnd)}; ` +
        "choose a later --calibration-end",
    );
  }
  const repeatCustomers = summaries.filter((s) => s.x > 0).length;
  const spend = selectSpendObservations(summaries);
  let zeroValueRepeatDays = 0;
  for (const s of summaries) zeroValueRepeatDays += s.x - s.valuedRepeatCount;
  const repeatButNoValue = summaries.filter((s) => s.x > 0 && s.valuedRepeatCount === 0).length;

  const bgnbd = timed(progress, "BG/NBD", summaries.length, () => fitBgNbd(summaries));
  const paretoNbd = timed(progress, "Pareto/NBD", summaries.length, () => fitParetoNbd(summaries));
  const gammaGamma =
    spend.length > 0 ? timed(progress, "Gamma-Gamma", spend.length, () => fitGammaGamma(spend)) : null;
  const ggUsable = gammaGamma !== null && gammaGamma.fit.params.q > 1;

  progress({ stage: "predict", message: `predicting ${summaries.length.toLocaleString("en")} customers` });
  const timeUnitsPerMonth = TIME_UNITS_PER_MONTH[options.timeUnit];
  const customers = summaries.map((s): CustomerPrediction => {
    const params = bgnbd.fit.params;
    const expectedAverageValue =
      gammaGamma && ggUsable
        ? gammaGammaConditionalExpectedValue(gammaGamma.fit.params, s.valuedRepeatCount, s.meanRepeatValue)
        : null;
    return {
      id: s.customerId,
      x: s.x,
      t_x: s.tx,
      T: s.T,
      pAliveBgNbd: bgNbdProbabilityAlive(params, s),
      expectedPurchases: bgNbdConditionalExpectedPurchases(params, options.predictHorizon, s),
      expectedAverageValue,
      clv:
        expectedAverageValue === null
          ? null
          : discountedLifetimeValue(
              (t) => bgNbdConditionalExpectedPurchases(params, t, s),
              expectedAverageValue,
              {
                months: options.clvMonths,
                monthlyDiscountRate: options.monthlyDiscountRate,
                timeUnitsPerMonth,
              },
            ),
    };
  });
  const totalClv = ggUsable ? customers.reduce((sum, c) => sum + (c.clv ?? 0), 0) : null;

  const excluded: { count: number; reason: string }[] = [];
  if (errors.count > 0)
    excluded.push({
      count: errors.count,
      reason: "rows with errors (skipped; see rowErrors, or use --strict)",
    });
  if (transactions > purchaseDays)
    excluded.push({
      count: transactions - purchaseDays,
      reason:
        "purchases on a day the customer had already bought: merged into one purchase day (amounts summed)",
    });
  if (lateCustomers > 0)
    excluded.push({
      count: lateCustomers,
      reason: "customers whose first purchase is after the calibration end: not in any model",
    });
  if (summaries.length - repeatCustomers > 0)
    excluded.push({
      count: summaries.length - repeatCustomers,
      reason:
        "single-purchase customers: in BG/NBD and Pareto/NBD (x = 0), not in Gamma-Gamma; their value per purchase is the population mean",
    });
  if (zeroValueRepeatDays > 0)
    excluded.push({
      count: zeroValueRepeatDays,
      reason: "zero-value repeat purchase days: counted as purchases, left out of the mean spend",
    });
  if (repeatButNoValue > 0)
    excluded.push({
      count: repeatButNoValue,
      reason: "repeat customers whose repeat purchases are all zero-value: not in Gamma-Gamma",
    });
  if (gammaGamma && !ggUsable)
    excluded.push({
      count: summaries.length,
      reason: "Gamma-Gamma q <= 1: the expected spend is infinite, so no value or CLV is predicted",
    });

  const holdoutLength = (lastDay - endDay) / unit;
  const holdout =
    lastDay > endDay ? holdoutComparison(summaries, holdoutDays, holdoutLength, bgnbd.fit.params) : null;

  return {
    file: options.file,
    calibrationEnd: isoDay(options.calibrationEnd),
    timeUnit: options.timeUnit,
    counts: {
      rows,
      transactions,
      rowErrors: errors.count,
      purchaseDays,
      calibrationPurchaseDays: calibration.length,
      holdoutPurchaseDays: purchaseDays - calibration.length,
      customers: summaries.length,
      repeatCustomers,
      singlePurchaseCustomers: summaries.length - repeatCustomers,
      gammaGammaCustomers: spend.length,
    },
    excluded,
    rowErrors: errors.first,
    bgnbd: present(bgnbd),
    paretoNbd: present(paretoNbd),
    gammaGamma: gammaGamma ? present(gammaGamma) : null,
    prediction: {
      horizon: options.predictHorizon,
      clvMonths: options.clvMonths,
      monthlyDiscountRate: options.monthlyDiscountRate,
      totalExpectedPurchases: customers.reduce((sum, c) => sum + c.expectedPurchases, 0),
      meanClv: totalClv === null ? null : totalClv / customers.length,
      totalClv,
    },
    holdout,
    customers,
  };
}

function holdoutComparison(
  summaries: readonly CustomerSummary[],
  holdoutDays: ReadonlyMap<string, number>,
  length: number,
  params: { r: number; alpha: number; a: number; b: number },
): { length: number; bins: HoldoutBin[] } {
  const bins = Array.from({ length: HOLDOUT_BINS }, (_, i) => ({
    frequency: i === HOLDOUT_BINS - 1 ? `${i}+` : String(i),
    customers: 0,
    actual: 0,
    expected: 0,
  }));
  for (const s of summaries) {
    const bin = bins[Math.min(HOLDOUT_BINS - 1, s.x)];
    bin.customers++;
    bin.actual += holdoutDays.get(s.customerId) ?? 0;
    bin.expected += bgNbdConditionalExpectedPurchases(params, length, s);
  }
  return {
    length,
    bins: bins
      .filter((b) => b.customers > 0)
      .map((b) => ({ ...b, actual: b.actual / b.customers, expected: b.expected / b.customers })),
  };
}

interface Fitted<P> {
  params: P;
  logLikelihood: number;
  standardErrors: P;
  converged: boolean;
  iterations: number;
}

function timed<F>(
  progress: (p: AnalysisProgress) => void,
  model: string,
  n: number,
  fitModel: () => F,
): { fit: F; ms: number } {
  progress({ stage: "fit", message: `fitting ${model} on ${n.toLocaleString("en")} customers` });
  const started = performance.now();
  const result = fitModel();
  const ms = performance.now() - started;
  progress({ stage: "fit", message: `fitted ${model} in ${ms.toFixed(0)} ms` });
  return { fit: result, ms };
}

function present<P extends object>(timedFit: { fit: Fitted<P>; ms: number }): ModelFit<P> {
  const { fit, ms } = timedFit;
  return {
    ...fit.params,
    logLikelihood: fit.logLikelihood,
    standardErrors: fit.standardErrors,
    converged: fit.converged,
    iterations: fit.iterations,
    fitMs: Math.round(ms * 10) / 10,
  };
}

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}
