/**
 * Area under the ROC curve: the probability that a random positive scores above a random negative (ties count
 * one half), by ranks (Mann-Whitney), O(n log n).
 */
export function areaUnderRoc(scores: readonly number[], outcomes: readonly boolean[]): number {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let positives = 0;
  let rankSum = 0;
  for (let start = 0; start < n; ) {
    let end = start;
    while (end < n && scores[order[end]] === scores[order[start]]) end++;
    // Average rank (1-based) of this run of tied scores.
    const rank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) {
      if (outcomes[order[k]]) {
        positives++;
        rankSum += rank;
      }
    }
    start = end;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Mean squared difference between predicted probabilities and what happened (0 is perfect). */
export function brierScore(probabilities: readonly number[], outcomes: readonly boolean[]): number {
  let total = 0;
  for (let i = 0; i < probabilities.length; i++) total += (probabilities[i] - (outcomes[i] ? 1 : 0)) ** 2;
  return total / probabilities.length;
}

export interface CalibrationBin {
  /** Predicted probability range of the bin. */
  from: number;
  to: number;
  count: number;
  meanPredicted: number;
  observedRate: number;
}

/** Calibration: subjects in `bins` equal-count groups by predicted probability, predicted vs observed in each. */
export function calibrationCurve(
  probabilities: readonly number[],
  outcomes: readonly boolean[],
  bins = 10,
): CalibrationBin[] {
  const order = Array.from({ length: probabilities.length }, (_, i) => i).sort(
    (a, b) => probabilities[a] - probabilities[b],
  );
  const result: CalibrationBin[] = [];
  for (let b = 0; b < bins; b++) {
    const members = order.slice(
      Math.floor((b * order.length) / bins),
      Math.floor(((b + 1) * order.length) / bins),
    );
    if (members.length === 0) continue;
    const predicted = members.map((i) => probabilities[i]);
    result.push({
      from: predicted[0],
      to: predicted[predicted.length - 1],
      count: members.length,
      meanPredicted: predicted.reduce((s, v) => s + v, 0) / members.length,
      observedRate: members.filter((i) => outcomes[i]).length / members.length,
    });
  }
  return result;
}
