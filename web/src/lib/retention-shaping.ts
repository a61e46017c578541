import type { RetentionCohorts, RetentionSummary } from "../api/api-types.ts";
import { formatShare } from "./heat-scale.ts";

// Shaping API answers for charts (pure, so tested without a browser).

export type CurvePoint = { age: number } & Record<string, number | null>;

/**
 * Rows for a line chart of retention curves: one point per month since first purchase, one key per cohort (its
 * share, or null where the cohort is not that old). Picks the `maxCohorts` most recent cohorts that are at least
 * `minAge` months old; month 0 (always 100%) is left out so the scale shows the differences.
 */
export function retentionCurves(
  matrix: Pick<RetentionCohorts, "rows">,
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

export const days = (value: number | null) => (value === null ? "–" : `${Math.round(value)} days`);

export type Headline = {
  key: string;
  label: string;
  value: number | null;
  detail: string;
  definition?: string;
};

/** The four headline figures from the summary: the last complete month, with the quarter and context beside. */
export function headlinesOf(data: RetentionSummary): Headline[] {
  const month = data.lastMonth;
  const quarter = data.lastQuarter;
  const d = data.definitions;
  return [
    {
      key: "retention",
      label: "Retention rate",
      value: month?.customerRetentionRate ?? null,
      detail: `${month ? month.period : "No complete month yet"}; last quarter ${formatShare(quarter?.customerRetentionRate)}`,
      definition: d.customerRetentionRate,
    },
    {
      key: "churn",
      label: "Churn rate",
      value: month?.customerChurnRate ?? null,
      detail: `${month ? month.period : "No complete month yet"}; last quarter ${formatShare(quarter?.customerChurnRate)}`,
      definition:
        `Customer churn rate = 1 − customer retention rate: the share of the previous period's customers who did not buy again in this one. ${d.customerRetentionRate ?? ""}`.trim(),
    },
    {
      key: "repeat",
      label: "Repeat purchase rate",
      value: data.repeatPurchaseRate,
      detail: `median ${days(data.medianDaysBetweenPurchases)} between purchases`,
      definition: d.repeatPurchaseRate,
    },
    {
      key: "revenue",
      label: "Revenue retention",
      value: month?.netRevenueRetention ?? null,
      detail: `net, ${month ? month.period : "no complete month"}; gross ${formatShare(month?.grossRevenueRetention)}`,
      definition: [d.netRevenueRetention, d.grossRevenueRetention].filter(Boolean).join(" "),
    },
  ];
}
