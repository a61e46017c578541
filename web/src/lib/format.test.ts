import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatMoney, formatRelativeTime } from "./format.ts";

// Intl puts no-break spaces between amount and code; compare with plain spaces.
const money = (...args: Parameters<typeof formatMoney>) => formatMoney(...args).replace(/\s/g, " ");

describe("formatMoney", () => {
  it("shows minor units in the currency's own decimals", () => {
    expect(money(123456, "EUR", "en-US")).toBe("€1,234.56");
    expect(money(5, "USD", "en-US")).toBe("$0.05");
    expect(money(1500, "JPY", "en-US")).toBe("¥1,500");
    expect(money(1234, "KWD", "en-US")).toBe("KWD 1.234");
    expect(money(-250, "GBP", "en-GB")).toBe("-£2.50");
    expect(money(123456, "EUR", "de-DE")).toBe("1.234,56 €");
  });

  it("keeps large amounts exact instead of rounding through a float", () => {
    expect(money(12345678901234567n, "USD", "en-US")).toBe("$123,456,789,012,345.67");
  });

  it("round-trips any amount of cents back to the same integer", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), (cents) => {
        const shown = formatMoney(cents, "USD", "en-US");
        const digits = shown.replace(/[^0-9-]/g, "");
        expect(BigInt(digits)).toBe(cents);
      }),
    );
  });
});

describe("formatRelativeTime", () => {
  const now = new Date("2025-06-10T12:00:00Z");
  it("says how long ago in words an agent reads at a glance", () => {
    expect(formatRelativeTime("2025-06-10T11:59:50Z", now)).toBe("just now");
    expect(formatRelativeTime("2025-06-10T11:55:00Z", now)).toBe("5 min ago");
    expect(formatRelativeTime("2025-06-10T09:00:00Z", now)).toBe("3 h ago");
    expect(formatRelativeTime("2025-06-09T12:00:00Z", now)).toBe("yesterday");
  });
});
