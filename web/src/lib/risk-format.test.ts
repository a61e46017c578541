import { describe, expect, it } from "vitest";
import { describeRiskChip, formatMoneyRounded } from "./risk-format.ts";

describe("formatMoneyRounded", () => {
  it("shows whole units of the currency, rounded", () => {
    expect(formatMoneyRounded(123_456, "EUR", "en-GB")).toBe("€1,235");
    expect(formatMoneyRounded(5000, "JPY", "en-GB")).toBe("JP¥5,000");
  });
});

describe("describeRiskChip", () => {
  const risk = {
    score: 81,
    band: "high" as const,
    predictedValueMinor: 60_000,
    valueAtRiskMinor: 42_000,
    currency: "EUR",
  };

  it("says how much is at risk and the band, with the score for screen readers", () => {
    expect(describeRiskChip(risk, "en-GB")).toEqual({
      text: "€420 at risk · high",
      label: "€420 of predicted customer value at risk; churn risk high (81 of 100)",
      band: "high",
    });
  });

  it("shows nothing without a value at risk", () => {
    expect(describeRiskChip(null)).toBeNull();
    expect(describeRiskChip({ ...risk, valueAtRiskMinor: null })).toBeNull();
    expect(describeRiskChip({ ...risk, valueAtRiskMinor: 0 })).toBeNull();
    expect(describeRiskChip({ ...risk, currency: null })).toBeNull();
  });
});
