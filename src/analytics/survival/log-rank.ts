import chisquareCdf from "@stdlib/stats-base-dists-chisquare-cdf";
import { Matrix, pseudoInverse, SingularValueDecomposition } from "ml-matrix";
import type { SurvivalObservation } from "./kaplan-meier.ts";

export interface LogRankResult {
  statistic: number;
  degreesOfFreedom: number;
  pValue: number;
  /** Observed and expected events per group, in the order of `groups`. */
  observed: number[];
  expected: number[];
  groups: string[];
}

/**
 * Log-rank (Mantel-Cox) test that two or more groups share one survival curve: at each event time, observed
 * events per group against those expected from the pooled risk set, with the hypergeometric covariance; the
 * statistic is chi-squared with (groups - 1) degrees of freedom (fewer if some groups are never at risk). Same as R's survdiff and lifelines.
 */
export function logRankTest(
  observations: readonly (SurvivalObservation & { group: string })[],
): LogRankResult {
  const groups = [...new Set(observations.map((o) => o.group))].sort();
  const k = groups.length;
  if (k < 2) throw new RangeError("the log-rank test needs at least two groups");
  const index = new Map(groups.map((g, i) => [g, i]));
  const sorted = [...observations].sort((a, b) => a.time - b.time);
  const atRisk = groups.map((g) => observations.filter((o) => o.group === g).length);
  const observed = new Array<number>(k).fill(0);
  const expected = new Array<number>(k).fill(0);
  const covariance = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  let i = 0;
  while (i < sorted.length) {
    const time = sorted[i].time;
    const deaths = new Array<number>(k).fill(0);
    const leaving = new Array<number>(k).fill(0);
    for (; i < sorted.length && sorted[i].time === time; i++) {
      const g = index.get(sorted[i].group) ?? 0;
      leaving[g]++;
      if (sorted[i].event) deaths[g]++;
    }
    const n = atRisk.reduce((s, v) => s + v, 0);
    const d = deaths.reduce((s, v) => s + v, 0);
    if (d > 0) {
      const tieFactor = n > 1 ? (d * (n - d)) / (n - 1) : 0;
      for (let a = 0; a < k; a++) {
        observed[a] += deaths[a];
        expected[a] += (d * atRisk[a]) / n;
        for (let b = 0; b < k; b++) {
          const share = atRisk[a] / n;
          covariance[a][b] += tieFactor * share * ((a === b ? 1 : 0) - atRisk[b] / n);
        }
      }
    }
    for (let g = 0; g < k; g++) atRisk[g] -= leaving[g];
  }
  // The k x k covariance is singular (rows sum to 0): drop the last group. A group with no one at risk at any
  // event time leaves it singular still; like R's survdiff, use a generalised inverse and its rank as df.
  const u = observed.slice(0, k - 1).map((o, a) => o - expected[a]);
  const v = new Matrix(covariance.slice(0, k - 1).map((row) => row.slice(0, k - 1)));
  const solved = pseudoInverse(v).mmul(Matrix.columnVector(u)).to1DArray();
  const statistic = u.reduce((s, ua, a) => s + ua * solved[a], 0);
  const degreesOfFreedom = new SingularValueDecomposition(v).rank;
  return {
    statistic,
    degreesOfFreedom,
    pValue: degreesOfFreedom > 0 ? 1 - chisquareCdf(statistic, degreesOfFreedom) : Number.NaN,
    observed,
    expected,
    groups,
  };
}
