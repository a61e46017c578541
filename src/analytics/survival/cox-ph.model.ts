import chisquareCdf from "@stdlib/stats-base-dists-chisquare-cdf";
import normalCdf from "@stdlib/stats-base-dists-normal-cdf";
import normalQuantile from "@stdlib/stats-base-dists-normal-quantile";
import { inverse, Matrix, solve } from "ml-matrix";

/** Subjects for a Cox model: time, event (false: right-censored), one covariate row each, optional strata. */
export interface CoxData {
  time: readonly number[];
  event: readonly boolean[];
  covariates: readonly (readonly number[])[];
  /** Separate baseline hazard per stratum (R's strata()); shared coefficients. */
  strata?: readonly (string | number)[];
}

export type CoxTies = "efron" | "breslow";

export interface CoxFit {
  coefficients: number[];
  standardErrors: number[];
  z: number[];
  pValues: number[];
  hazardRatios: number[];
  hazardRatioLower: number[];
  hazardRatioUpper: number[];
  covariance: number[][];
  logPartialLikelihood: number;
  nullLogPartialLikelihood: number;
  likelihoodRatioTest: { statistic: number; degreesOfFreedom: number; pValue: number };
  /** Partial AIC as lifelines reports it: -2 log PL + 2 p. */
  partialAic: number;
  /** Harrell's C of the fitted risk scores. */
  concordance: number;
  iterations: number;
  converged: boolean;
  ties: CoxTies;
  confidenceLevel: number;
}

interface Evaluation {
  value: number;
  gradient: number[];
  /** Information: minus the Hessian of the log partial likelihood. */
  information: number[][];
}

interface Prepared {
  /** Subject indices grouped by stratum, each ordered by decreasing time. */
  strata: number[][];
  x: number[][];
  time: readonly number[];
  event: readonly boolean[];
  p: number;
}

function prepare(data: CoxData): Prepared {
  const n = data.time.length;
  if (data.event.length !== n || data.covariates.length !== n || (data.strata && data.strata.length !== n)) {
    throw new RangeError("time, event, covariates and strata must have one entry per subject");
  }
  const p = n > 0 ? data.covariates[0].length : 0;
  // Centre covariates: the coefficients do not change and exp(x'b) stays in range.
  const means = Array.from({ length: p }, (_, j) => data.covariates.reduce((s, row) => s + row[j], 0) / n);
  const x = data.covariates.map((row) => {
    if (row.length !== p) throw new RangeError("every subject needs the same number of covariates");
    return row.map((v, j) => v - means[j]);
  });
  const groups = new Map<string | number, number[]>();
  for (let i = 0; i < n; i++) {
    const key = data.strata ? data.strata[i] : 0;
    const members = groups.get(key) ?? [];
    members.push(i);
    groups.set(key, members);
  }
  const strata = [...groups.values()].map((members) => members.sort((a, b) => data.time[b] - data.time[a]));
  return { strata, x, time: data.time, event: data.event, p };
}

/** Log partial likelihood, score and information (Efron or Breslow ties), one pass per stratum over decreasing time. */
function evaluate(prepared: Prepared, beta: readonly number[], ties: CoxTies): Evaluation {
  const { p, x, time, event } = prepared;
  let value = 0;
  const gradient = new Array<number>(p).fill(0);
  const information = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  for (const order of prepared.strata) {
    let s0 = 0;
    const s1 = new Array<number>(p).fill(0);
    const s2 = Array.from({ length: p }, () => new Array<number>(p).fill(0));
    let i = 0;
    while (i < order.length) {
      const t = time[order[i]];
      // Tied deaths at t, and everyone at t joins the risk set before the deaths are scored.
      let d0 = 0;
      const d1 = new Array<number>(p).fill(0);
      const d2 = Array.from({ length: p }, () => new Array<number>(p).fill(0));
      let deaths = 0;
      for (; i < order.length && time[order[i]] === t; i++) {
        const k = order[i];
        const xk = x[k];
        let eta = 0;
        for (let j = 0; j < p; j++) eta += xk[j] * beta[j];
        const w = Math.exp(eta);
        s0 += w;
        for (let a = 0; a < p; a++) {
          s1[a] += w * xk[a];
          for (let b = 0; b <= a; b++) s2[a][b] += w * xk[a] * xk[b];
        }
        if (event[k]) {
          deaths++;
          value += eta;
          d0 += w;
          for (let a = 0; a < p; a++) {
            gradient[a] += xk[a];
            d1[a] += w * xk[a];
            for (let b = 0; b <= a; b++) d2[a][b] += w * xk[a] * xk[b];
          }
        }
      }
      for (let l = 0; l < deaths; l++) {
        const f = ties === "efron" ? l / deaths : 0;
        const den = s0 - f * d0;
        value -= Math.log(den);
        for (let a = 0; a < p; a++) {
          const ma = (s1[a] - f * d1[a]) / den;
          gradient[a] -= ma;
          for (let b = 0; b <= a; b++) {
            const mb = (s1[b] - f * d1[b]) / den;
            information[a][b] += (s2[a][b] - f * d2[a][b]) / den - ma * mb;
          }
        }
      }
    }
  }
  for (let a = 0; a < p; a++) for (let b = 0; b < a; b++) information[b][a] = information[a][b];
  return { value, gradient, information };
}

function newtonStep(current: Evaluation): number[] {
  try {
    return solve(new Matrix(current.information), Matrix.columnVector(current.gradient)).to1DArray();
  } catch {
    throw new RangeError(
      "the information matrix is singular: a covariate is constant within the risk sets or separates the events",
    );
  }
}

/**
 * Cox proportional hazards by Newton-Raphson with step halving on the log partial likelihood (Efron's ties by
 * default, as R's coxph and lifelines). Standard errors from the inverse information at the estimate.
 */
export function fitCoxProportionalHazards(
  data: CoxData,
  options: { ties?: CoxTies; confidenceLevel?: number; maxIterations?: number } = {},
): CoxFit {
  const ties = options.ties ?? "efron";
  const confidenceLevel = options.confidenceLevel ?? 0.95;
  const prepared = prepare(data);
  const { p } = prepared;
  let beta = new Array<number>(p).fill(0);
  let current = evaluate(prepared, beta, ties);
  const nullLogPartialLikelihood = current.value;
  let iterations = 0;
  let converged = false;
  for (; iterations < (options.maxIterations ?? 50); iterations++) {
    const step = newtonStep(current);
    let scale = 1;
    let next = evaluate(
      prepared,
      beta.map((b, j) => b + step[j]),
      ties,
    );
    // Relative tolerance: the sum over 100,000 subjects carries rounding far above 1e-12 in absolute terms, and an
    // absolute test would halve good steps on noise.
    const noise = 1e-12 * (1 + Math.abs(current.value));
    while (!(next.value >= current.value - noise) && scale > 1e-6) {
      scale /= 2;
      next = evaluate(
        prepared,
        beta.map((b, j) => b + scale * step[j]),
        ties,
      );
    }
    beta = beta.map((b, j) => b + scale * step[j]);
    const improvement = next.value - current.value;
    current = next;
    const settled = Math.abs(improvement) < 1e-10 * (1 + Math.abs(current.value));
    if (settled && Math.max(...step.map((s) => Math.abs(scale * s))) < 1e-8) {
      converged = true;
      iterations++;
      break;
    }
  }
  if (p > 0) newtonStep(current);
  const covariance = inverse(new Matrix(current.information)).to2DArray();
  const standardErrors = covariance.map((row, j) => Math.sqrt(row[j]));
  const zCrit = normalQuantile((1 + confidenceLevel) / 2, 0, 1);
  const z = beta.map((b, j) => b / standardErrors[j]);
  const lrStatistic = 2 * (current.value - nullLogPartialLikelihood);
  return {
    coefficients: beta,
    standardErrors,
    z,
    pValues: z.map((zj) => 2 * (1 - normalCdf(Math.abs(zj), 0, 1))),
    hazardRatios: beta.map(Math.exp),
    hazardRatioLower: beta.map((b, j) => Math.exp(b - zCrit * standardErrors[j])),
    hazardRatioUpper: beta.map((b, j) => Math.exp(b + zCrit * standardErrors[j])),
    covariance,
    logPartialLikelihood: current.value,
    nullLogPartialLikelihood,
    likelihoodRatioTest: {
      statistic: lrStatistic,
      degreesOfFreedom: p,
      pValue: 1 - chisquareCdf(lrStatistic, p),
    },
    partialAic: -2 * current.value + 2 * p,
    concordance: concordanceIndex(
      data.time,
      data.covariates.map((row) => row.reduce((s, v, j) => s + v * beta[j], 0)),
      data.event,
    ),
    iterations,
    converged,
    ties,
    confidenceLevel,
  };
}

/**
 * Harrell's C: among usable pairs (the shorter time is an event; at equal times an event against a censoring),
 * the share where the subject with the shorter time has the higher risk score; equal scores count one half.
 * O(n log n): a Fenwick tree of risk ranks, filled from the longest times down.
 */
export function concordanceIndex(
  time: readonly number[],
  riskScore: readonly number[],
  event: readonly boolean[],
): number {
  const n = time.length;
  // Ranks of the risk scores (equal scores share a rank), for a Fenwick tree of counts by rank.
  const byRisk = Array.from({ length: n }, (_, i) => i).sort((a, b) => riskScore[a] - riskScore[b]);
  const rank = new Int32Array(n);
  let ranks = 0;
  for (let k = 0; k < n; k++) {
    if (k > 0 && riskScore[byRisk[k]] !== riskScore[byRisk[k - 1]]) ranks++;
    rank[byRisk[k]] = ranks + 1;
  }
  const tree = new Float64Array(ranks + 2);
  const add = (r: number) => {
    for (let i = r; i < tree.length; i += i & -i) tree[i] += 1;
  };
  const countUpTo = (r: number) => {
    let total = 0;
    for (let i = r; i > 0; i -= i & -i) total += tree[i];
    return total;
  };
  // Latest times first: when the events at time t are scored, the tree holds everyone who lasted longer, plus
  // those censored at t (an event against a censoring at the same time is a usable pair; two events are not).
  const byTime = Array.from({ length: n }, (_, i) => i).sort((a, b) => time[b] - time[a]);
  let concordant = 0;
  let usable = 0;
  let inTree = 0;
  for (let start = 0; start < n; ) {
    let end = start;
    while (end < n && time[byTime[end]] === time[byTime[start]]) end++;
    for (let k = start; k < end; k++) {
      const i = byTime[k];
      if (!event[i]) {
        add(rank[i]);
        inTree++;
      }
    }
    for (let k = start; k < end; k++) {
      const i = byTime[k];
      if (!event[i]) continue;
      const lower = countUpTo(rank[i] - 1);
      const equal = countUpTo(rank[i]) - lower;
      usable += inTree;
      concordant += lower + 0.5 * equal;
    }
    for (let k = start; k < end; k++) {
      const i = byTime[k];
      if (event[i]) {
        add(rank[i]);
        inTree++;
      }
    }
    start = end;
  }
  return usable === 0 ? Number.NaN : concordant / usable;
}
