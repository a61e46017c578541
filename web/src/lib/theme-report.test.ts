import { describe, expect, it } from "vitest";
import type { Theme, ThemesReport } from "../api/api-types.ts";
import {
  describeThemeChart,
  emptyThemesMessage,
  formatThemeChange,
  risingThemes,
  themeChartRows,
  themePeriodDates,
} from "./theme-report.ts";

const theme = (phrase: string, count: number, previousCount: number, trend: Theme["trend"]): Theme => ({
  phrase,
  count,
  previousCount,
  trend,
  examples: [],
});

const report = (overrides: Partial<ThemesReport>): ThemesReport => ({
  from: "2026-11-01T00:00:00.000Z",
  to: "2026-12-01T00:00:00.000Z",
  previousFrom: "2026-10-02T00:00:00.000Z",
  source: "all",
  texts: { current: 0, previous: 0 },
  themes: [],
  ...overrides,
});

describe("the themes screen", () => {
  it("asks for the last N whole days, today included", () => {
    expect(themePeriodDates(30, new Date("2026-11-30T15:00:00Z"))).toEqual({
      from: "2026-11-01",
      to: "2026-11-30",
    });
    expect(themePeriodDates(7, new Date("2026-03-02T00:30:00Z"))).toEqual({
      from: "2026-02-24",
      to: "2026-03-02",
    });
  });

  it("writes the change with a real minus sign", () => {
    expect(formatThemeChange({ count: 4, previousCount: 1 })).toBe("+3");
    expect(formatThemeChange({ count: 1, previousCount: 3 })).toBe("−2");
    expect(formatThemeChange({ count: 2, previousCount: 2 })).toBe("0");
  });

  it("picks out the rising themes", () => {
    const themes = [
      theme("late delivery", 4, 1, "rising"),
      theme("reset link", 3, 3, "steady"),
      theme("gift wrap", 2, 0, "new"),
    ];
    expect(risingThemes(themes).map((t) => t.phrase)).toEqual(["late delivery"]);
  });

  it("says what to do next when there is nothing to show, and nothing when there is", () => {
    expect(emptyThemesMessage(report({}), 30)).toMatch(
      /^No customer messages or survey comments in the last 30 days\. Pick a longer period/,
    );
    expect(emptyThemesMessage(report({ source: "comments" }), 90)).toMatch(
      /^No survey comments in the last 90 days\. Try again when more has come in, or read customers' messages instead/,
    );
    expect(emptyThemesMessage(report({ source: "messages" }), 7)).toContain("check that mail reaches Tend");
    const noRepeat = emptyThemesMessage(
      report({ source: "comments", texts: { current: 5, previous: 2 } }),
      7,
    );
    expect(noRepeat).toBe(
      "5 texts in the last 7 days, but no phrase came up in two or more of them. Pick a longer period, or read both messages and survey comments.",
    );
    expect(emptyThemesMessage(report({ themes: [theme("late delivery", 2, 0, "new")] }), 30)).toBeNull();
  });

  it("charts the top themes this period beside the one before, and says so in words", () => {
    const themes = Array.from({ length: 12 }, (_, i) => theme(`theme ${i}`, 12 - i, i, "steady"));
    expect(themeChartRows(themes)).toHaveLength(10);
    expect(themeChartRows(themes)[0]).toEqual({ phrase: "theme 0", current: 12, previous: 0 });
    expect(describeThemeChart(themes.slice(0, 2), 30)).toBe(
      "Bar chart of mentions in the last 30 days against the 30 days before. theme 0: 12, before 0; theme 1: 11, before 1.",
    );
  });
});
