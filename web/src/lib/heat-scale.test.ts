import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { contrastRatio, formatShare, heatColor, relativeLuminance } from "./heat-scale.ts";

describe("heatmap colour scale", () => {
  it("darkens as the share grows, from the lightest at 0 to the darkest at 1", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (a, b) => {
          const [low, high] = a <= b ? [a, b] : [b, a];
          expect(relativeLuminance(heatColor(high).background)).toBeLessThanOrEqual(
            relativeLuminance(heatColor(low).background) + 1e-9,
          );
        },
      ),
    );
    expect(heatColor(0).background).toBe("#f3f8f6");
    expect(heatColor(1).background).toBe("#1b4d3f");
  });

  it("keeps the printed value readable (WCAG AA, 4.5:1) on every cell", () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), (share) => {
        const { background, color } = heatColor(share);
        expect(contrastRatio(background, color)).toBeGreaterThanOrEqual(4.5);
      }),
    );
    for (let i = 0; i <= 1000; i++) {
      const { background, color } = heatColor(i / 1000);
      expect(contrastRatio(background, color)).toBeGreaterThanOrEqual(4.5);
    }
  });

  it("clamps shares outside 0..1 and shows missing cells in neutral grey", () => {
    expect(heatColor(1.7)).toEqual(heatColor(1));
    expect(heatColor(-0.2)).toEqual(heatColor(0));
    expect(heatColor(null).background).toBe("#eceff2");
    expect(heatColor(Number.NaN).background).toBe("#eceff2");
  });

  it("formats shares as percentages", () => {
    expect(formatShare(0.4567)).toBe("45.7%");
    expect(formatShare(1)).toBe("100.0%");
    expect(formatShare(null)).toBe("–");
  });
});
