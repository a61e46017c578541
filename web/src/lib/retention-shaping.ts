import type { CohortMatrix } from "../api/api-types.ts";

// Shaping API answers for charts (pure, so tested without a browser).

export type CurvePoint = { age: number } & Record<string, number | null>;

/**
 * Rows for a line chart of retention curves: one point per month since first purchase, one key per cohort (its
 * share, or null where the cohort is not that old). Picks the `maxCohorts` most recent cohorts that are at least
 * `minAge` months old; month 0 (always 100%) is left out so the scale shows the differences.
 */
export function retentionCurves(
  matrix: Pick<CohortMatrix, "rows">,
  options: { maxCohorts: number; minAge: number },
): { cohorts: string[]; points: CurvePoint[] } {
  const eligible = matrix.rows.filter((cohort) => cohort.shares.length - 1 >= options.minAge);
  const chosen = [...eligible].sort((a, b) => b.cohort.localeCompare(a.cohort)).slice(0, options.maxCohorts);
  chosen.reverse();
  const maxAge = Math.max(0, ...chosen.map((cohort) => cohort.shares.length - 1));
  const points: CurvePoint[] = [];
  for (let age = 1; age <= maxAge; age++) {
    const point: CurvePoint = { age };
    for (const cohort of chosen) point[cohort.cohort] = cohort.shares[age] ?? null;
    points.push(point);
  }
  return { cohorts: chosen.map((cohort) => cohort.cohort), points };
}

type SurvivalStep = { t: number; survival: number; lower: number; upper: number };

export type SurvivalRow = {
  t: number;
  exposed: number | null;
  exposedBand: [number, number] | null;
  unexposed: number | null;
  unexposedBand: [number, number] | null;
};

/**
 * Two Kaplan-Meier step curves on one time axis for a chart: every time either curve steps gets a row, each curve
 * carrying its last value forward (a survival curve is flat between events) and ending where its data ends.
 */
export function mergeSurvivalCurves(
  exposed: readonly SurvivalStep[],
  unexposed: readonly SurvivalStep[],
): SurvivalRow[] {
  const times = [...new Set([0, ...exposed.map((p) => p.t), ...unexposed.map((p) => p.t)])].sort(
    (a, b) => a - b,
  );
  const valueAt = (curve: readonly SurvivalStep[], t: number): SurvivalStep | null => {
    if (curve.length === 0 || t > curve[curve.length - 1].t) return null;
    let current: SurvivalStep = { t: 0, survival: 1, lower: 1, upper: 1 };
    for (const point of curve) {
      if (point.t > t) break;
      current = point;
    }
    return current;
  };
  return times.map((t) => {
    const a = valueAt(exposed, t);
    const b = valueAt(unexposed, t);
    return {
      t,
      exposed: a?.survival ?? null,
      exposedBand: a ? [a.lower, a.upper] : null,
      unexposed: b?.survival ?? null,
      unexposedBand: b ? [b.lower, b.upper] : null,
    };
  });
}
