import { describe, expect, it } from "vitest";
import { formatMinutes, formatShare } from "./duration.ts";

describe("durations and shares in reports", () => {
  it("reads like speech", () => {
    expect(formatMinutes(null)).toBe("–");
    expect(formatMinutes(44.6)).toBe("45 min");
    expect(formatMinutes(125)).toBe("2 h 5 min");
    expect(formatMinutes(120)).toBe("2 h");
    expect(formatMinutes(3 * 1440 + 245)).toBe("3 d 4 h");
  });

  it("shows shares as percents with one decimal", () => {
    expect(formatShare(0.8765)).toBe("87.7%");
    expect(formatShare(null)).toBe("–");
  });
});
