import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { expectWithin } from "../analytics-expect.test-support.ts";
import { readReferences, referenceNumbers } from "../analytics-fixtures.test-support.ts";
import { kaplanMeier, medianSurvivalTime, survivalAt } from "./kaplan-meier.ts";
import { logRankTest } from "./log-rank.ts";
import { readG3, readRossi } from "./survival.test-support.ts";

const refs = readReferences();
const g3 = readG3();

describe("kaplanMeier on g3 (lifelines against R's survfit, conf.type = log-log)", () => {
  it("RIT group: S at the event times to 3 decimals; no median (the curve stays above 0.5)", () => {
    const curve = kaplanMeier(g3.filter((o) => o.group === "RIT"));
    const times = referenceNumbers(refs, "km", "g3_R", "RIT", "t");
    const expected = referenceNumbers(refs, "km", "g3_R", "RIT", "S");
    times.forEach((t, i) => {
      expectWithin(survivalAt(curve, t), expected[i], 5e-4);
    });
    expect(medianSurvivalTime(curve)).toBe(Number.POSITIVE_INFINITY);
  });

  it("control group: S and the log-log 95 % limits to 3-4 decimals; median 32", () => {
    const curve = kaplanMeier(g3.filter((o) => o.group === "Control"));
    const ref = (name: string) => referenceNumbers(refs, "km", "g3_R", "non_RIT", name);
    const events = curve.steps.filter((s) => s.events > 0);
    expect(events.map((s) => s.time)).toEqual(ref("t"));
    events.forEach((step, i) => {
      expectWithin(step.survival, ref("S")[i], 5e-4);
      expectWithin(step.lower, ref("loglog_lower95")[i], 5e-5);
      expectWithin(step.upper, ref("loglog_upper95")[i], 5e-4);
    });
    expect(medianSurvivalTime(curve)).toBe(32);
  });

  it("survival never rises and the limits bracket it", () => {
    const observation = fc.record({ time: fc.integer({ min: 0, max: 30 }), event: fc.boolean() });
    fc.assert(
      fc.property(fc.array(observation, { minLength: 1, maxLength: 60 }), (observations) => {
        const { steps } = kaplanMeier(observations);
        let previous = 1;
        for (const step of steps) {
          expect(step.survival).toBeLessThanOrEqual(previous);
          expect(step.lower).toBeLessThanOrEqual(step.survival + 1e-12);
          expect(step.upper).toBeGreaterThanOrEqual(step.survival - 1e-12);
          previous = step.survival;
        }
      }),
    );
  });
});

describe("logRankTest", () => {
  it("Rossi, financial aid vs none: chi-squared 3.84 on 1 df, p = 0.050 (R survdiff: 3.8, p = 0.05)", () => {
    const result = logRankTest(
      readRossi().map((row) => ({ time: Number(row.week), event: row.arrest === "1", group: row.fin })),
    );
    expect(result.observed).toEqual([66, 48]);
    expectWithin(result.statistic, 3.84, 0.005);
    expectWithin(result.pValue, 0.05, 0.001);
    expect(result.degreesOfFreedom).toBe(1);
  });

  it("observed and expected events balance, the statistic ignores group labels, and identical groups give 0", () => {
    const observation = fc.record({
      time: fc.integer({ min: 1, max: 20 }),
      event: fc.boolean(),
      group: fc.constantFrom("a", "b", "c"),
    });
    fc.assert(
      fc.property(fc.array(observation, { minLength: 4, maxLength: 60 }), (observations) => {
        fc.pre(new Set(observations.map((o) => o.group)).size >= 2 && observations.some((o) => o.event));
        const result = logRankTest(observations);
        const totalObserved = result.observed.reduce((s, v) => s + v, 0);
        expectWithin(
          result.expected.reduce((s, v) => s + v, 0),
          totalObserved,
          1e-9,
        );
        const relabelled = logRankTest(observations.map((o) => ({ ...o, group: `z${o.group}` })));
        expectWithin(relabelled.statistic, result.statistic, 1e-8 * Math.max(1, result.statistic));
        const twins = logRankTest(
          observations.flatMap((o) => [
            { ...o, group: "x" },
            { ...o, group: "y" },
          ]),
        );
        expectWithin(twins.statistic, 0, 1e-9);
      }),
      { numRuns: 100 },
    );
  });
});
