import { describe, expect, it } from "vitest";
import type { CohortMatrix } from "../api/api-types.ts";
import { mergeSurvivalCurves, retentionCurves } from "./retention-shaping.ts";

const matrix: Pick<CohortMatrix, "rows"> = {
  rows: [
    {
      cohort: "2026-08",
      customers: 10,
      counts: [10, 4, 3, 2],
      shares: [1, 0.4, 0.3, 0.2],
      revenueMinor: [0, 0, 0, 0],
    },
    { cohort: "2026-09", customers: 20, counts: [20, 6, 5], shares: [1, 0.3, 0.25], revenueMinor: [0, 0, 0] },
    { cohort: "2026-10", customers: 5, counts: [5, 1], shares: [1, 0.2], revenueMinor: [0, 0] },
  ],
};

describe("retention curves", () => {
  it("keeps the most recent cohorts old enough, oldest first, one point per month from month 1", () => {
    const curves = retentionCurves(matrix, { maxCohorts: 2, minAge: 2 });
    expect(curves.cohorts).toEqual(["2026-08", "2026-09"]);
    expect(curves.points).toEqual([
      { age: 1, "2026-08": 0.4, "2026-09": 0.3 },
      { age: 2, "2026-08": 0.3, "2026-09": 0.25 },
      { age: 3, "2026-08": 0.2, "2026-09": null },
    ]);
  });

  it("returns nothing to draw when no cohort is old enough", () => {
    expect(retentionCurves(matrix, { maxCohorts: 5, minAge: 4 })).toEqual({ cohorts: [], points: [] });
  });
});

describe("survival curves on one axis", () => {
  it("carries each curve forward between its own steps and stops it where its data ends", () => {
    const rows = mergeSurvivalCurves(
      [
        { t: 10, survival: 0.9, lower: 0.8, upper: 0.95 },
        { t: 30, survival: 0.7, lower: 0.6, upper: 0.8 },
      ],
      [{ t: 20, survival: 0.95, lower: 0.9, upper: 0.98 }],
    );
    expect(rows.map((row) => [row.t, row.exposed, row.unexposed])).toEqual([
      [0, 1, 1],
      [10, 0.9, 1],
      [20, 0.9, 0.95],
      [30, 0.7, null],
    ]);
    expect(rows[2].exposedBand).toEqual([0.8, 0.95]);
    expect(rows[3].unexposedBand).toBeNull();
  });
});
