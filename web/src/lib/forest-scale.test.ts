import { describe, expect, it } from "vitest";
import { forestScale } from "./forest-scale.ts";

describe("forest plot scale", () => {
  it("puts no effect (1) in the middle and is symmetric on the log scale", () => {
    const scale = forestScale([{ lower: 0.8, upper: 3 }], 400);
    expect(scale.x(1)).toBeCloseTo(200);
    expect(scale.x(2) - scale.x(1)).toBeCloseTo(scale.x(1) - scale.x(0.5));
  });

  it("covers every interval and at least 0.5 to 2, with round ticks including 1", () => {
    const narrow = forestScale([{ lower: 0.95, upper: 1.1 }], 300);
    expect(narrow.min).toBeLessThanOrEqual(0.5);
    expect(narrow.max).toBeGreaterThanOrEqual(2);
    expect(narrow.ticks).toEqual(expect.arrayContaining([0.5, 1, 2]));
    const wide = forestScale([{ lower: 0.3, upper: 3.5 }], 300);
    expect(wide.x(0.3)).toBeGreaterThanOrEqual(0);
    expect(wide.x(3.5)).toBeLessThanOrEqual(300);
  });

  it("caps at ten times either way and clamps what lies beyond", () => {
    const scale = forestScale([{ lower: 0.001, upper: 900 }], 100);
    expect(scale.min).toBeCloseTo(0.1);
    expect(scale.max).toBeCloseTo(10);
    expect(scale.x(900)).toBe(100);
    expect(scale.x(0.001)).toBe(0);
  });
});
