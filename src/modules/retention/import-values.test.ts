import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { minorDigitsOf, parseAmountMinor, parseImportDate } from "./import-values.ts";

describe("import cell parsers", () => {
  it("reads amounts into exact minor units", () => {
    const minor = (text: string, digits = 2, decimalComma = false) =>
      parseAmountMinor(text, digits, { decimalComma });
    expect(minor("12.5")).toEqual({ minor: 1250 });
    expect(minor("0.1")).toEqual({ minor: 10 });
    expect(minor("1,234.56")).toEqual({ minor: 123456 });
    expect(minor("€12")).toEqual({ minor: 1200 });
    expect(minor("12.00 EUR")).toEqual({ minor: 1200 });
    expect(minor("(5.00)")).toEqual({ minor: -500 });
    expect(minor("-5")).toEqual({ minor: -500 });
    expect(minor("1.234,50", 2, true)).toEqual({ minor: 123450 });
    expect(minor("1000", 0)).toEqual({ minor: 1000 });
    expect(minor("1.230")).toEqual({ minor: 123 });
    expect(minor("1.235")).toEqual({ error: "has more than 2 decimal places" });
    expect(minor("12abc")).toEqual({ error: "is not an amount" });
    expect(minor("1,23")).toEqual({ error: "is not an amount" });
    expect(minor("")).toEqual({ error: "is not an amount" });
    expect(minorDigitsOf("JPY")).toBe(0);
    expect(minorDigitsOf("KWD")).toBe(3);
  });

  it("round-trips any cents value written with two decimals, with or without thousands separators", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000_000_000 }), (cents) => {
        const plain = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;
        const grouped = `${Math.floor(cents / 100).toLocaleString("en")}.${String(cents % 100).padStart(2, "0")}`;
        const a = parseAmountMinor(plain, 2);
        const b = parseAmountMinor(grouped, 2);
        return "minor" in a && a.minor === cents && "minor" in b && b.minor === cents;
      }),
    );
  });

  it("reads ISO dates and timestamps always, day-first or month-first when told", () => {
    const iso = (text: string, format: "iso" | "dmy" | "mdy" = "iso") =>
      parseImportDate(text, format)?.toISOString();
    expect(iso("2026-03-05")).toBe("2026-03-05T00:00:00.000Z");
    expect(iso("2026-03-05T14:30:00+02:00")).toBe("2026-03-05T12:30:00.000Z");
    expect(iso("2026-03-05 14:30")).toBe("2026-03-05T14:30:00.000Z");
    expect(iso("2026-03-05T14:30:00.123Z")).toBe("2026-03-05T14:30:00.000Z");
    expect(iso("20260305")).toBe("2026-03-05T00:00:00.000Z");
    expect(iso("05/03/2026", "dmy")).toBe("2026-03-05T00:00:00.000Z");
    expect(iso("05.03.2026 09:15", "dmy")).toBe("2026-03-05T09:15:00.000Z");
    expect(iso("03/05/2026", "mdy")).toBe("2026-03-05T00:00:00.000Z");
    expect(iso("05/03/2026")).toBeUndefined();
    expect(iso("2026-02-29")).toBeUndefined();
    expect(iso("31/04/2026", "dmy")).toBeUndefined();
    expect(iso("2026-03-05T25:00")).toBeUndefined();
    expect(iso("yesterday")).toBeUndefined();
  });
});
