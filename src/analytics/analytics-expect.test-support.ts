// Tolerance helpers for asserting published numbers. Tests only.
import { expect } from "vitest";

/** Asserts `actual` agrees with `expected` to `digits` significant figures (half a unit in the last place). */
export function expectSignificant(actual: number, expected: number, digits: number): void {
  const unit = 10 ** (Math.floor(Math.log10(Math.abs(expected))) - digits + 1);
  expect(
    Math.abs(actual - expected),
    `${actual} vs ${expected} to ${digits} significant figures`,
  ).toBeLessThanOrEqual(unit / 2 + 1e-12 * Math.abs(expected));
}

/** Asserts `actual` is within `tolerance` of `expected`. */
export function expectWithin(actual: number, expected: number, tolerance: number): void {
  expect(Math.abs(actual - expected), `${actual} vs ${expected} within ${tolerance}`).toBeLessThanOrEqual(
    tolerance,
  );
}
