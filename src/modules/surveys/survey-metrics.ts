// CSAT, NPS and CES from scores, as pure functions. CSAT is the share of 4s and 5s (1-5), NPS the share of promoters
// (9-10) minus the share of detractors (0-6) in points (-100 to 100), CES the mean on its 1-7 scale.

export type SurveyMetric = "csat" | "ces" | "nps";

export const metricScales: Record<SurveyMetric, { min: number; max: number }> = {
  csat: { min: 1, max: 5 },
  ces: { min: 1, max: 7 },
  nps: { min: 0, max: 10 },
};

/** What a metric needs from a set of scores; sums of tallies are tallies of the union, so SQL can pre-aggregate. */
export type ScoreTally = {
  responses: number;
  sum: number;
  /** CSAT 4-5, NPS 9-10 (promoters), CES 5-7. */
  positive: number;
  /** CSAT 1-2, NPS 0-6 (detractors), CES 1-3. */
  negative: number;
};

/** Scores from `positiveFrom` up count as positive, scores up to `negativeTo` as negative. */
export const scoreBands: Record<SurveyMetric, { positiveFrom: number; negativeTo: number }> = {
  csat: { positiveFrom: 4, negativeTo: 2 },
  nps: { positiveFrom: 9, negativeTo: 6 },
  ces: { positiveFrom: 5, negativeTo: 3 },
};

export function isPositiveScore(metric: SurveyMetric, score: number): boolean {
  return score >= scoreBands[metric].positiveFrom;
}

export function isNegativeScore(metric: SurveyMetric, score: number): boolean {
  return score <= scoreBands[metric].negativeTo;
}

export function tallyScores(metric: SurveyMetric, scores: readonly number[]): ScoreTally {
  const tally: ScoreTally = { responses: 0, sum: 0, positive: 0, negative: 0 };
  for (const score of scores) {
    tally.responses++;
    tally.sum += score;
    if (isPositiveScore(metric, score)) tally.positive++;
    if (isNegativeScore(metric, score)) tally.negative++;
  }
  return tally;
}

export function addTallies(a: ScoreTally, b: ScoreTally): ScoreTally {
  return {
    responses: a.responses + b.responses,
    sum: a.sum + b.sum,
    positive: a.positive + b.positive,
    negative: a.negative + b.negative,
  };
}

export const emptyTally: ScoreTally = { responses: 0, sum: 0, positive: 0, negative: 0 };

/**
 * The metric's value: CSAT as a percentage (0-100), NPS in points (-100 to 100), CES as the mean score (1-7);
 * null without responses. Rounded to one decimal.
 */
export function metricValue(metric: SurveyMetric, tally: ScoreTally): number | null {
  if (tally.responses === 0) return null;
  const value =
    metric === "csat"
      ? (100 * tally.positive) / tally.responses
      : metric === "nps"
        ? (100 * (tally.positive - tally.negative)) / tally.responses
        : tally.sum / tally.responses;
  return Math.round(value * 10) / 10;
}

/** Whether a score is low enough to start a recovery, by the configured thresholds (inclusive). */
export function isRecoveryScore(
  metric: SurveyMetric,
  score: number,
  thresholds: { csatAtMost: number; npsAtMost: number; cesAtMost: number },
): boolean {
  const limit =
    metric === "csat"
      ? thresholds.csatAtMost
      : metric === "nps"
        ? thresholds.npsAtMost
        : thresholds.cesAtMost;
  return score <= limit;
}
