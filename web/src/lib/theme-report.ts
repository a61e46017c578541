import type { Theme, ThemeSource, ThemesReport } from "../api/api-types.ts";

// The themes screen's words and shapes, pure: the period asked for, how a change reads, what an empty answer
// means and what to do about it, and the chart's rows.

export const themePeriods = [7, 30, 90] as const;
export type ThemePeriod = (typeof themePeriods)[number];

export const themeSourceLabels: Record<ThemeSource, string> = {
  all: "Messages and survey comments",
  messages: "Customers' messages",
  comments: "Survey comments",
};

export const trendLabels: Record<Theme["trend"], string> = {
  rising: "Rising",
  new: "New",
  steady: "Steady",
  falling: "Falling",
};

const dayMs = 86_400_000;

/** The last `days` whole UTC days up to and including today's, as the API's from/to dates. */
export function themePeriodDates(days: number, now: Date): { from: string; to: string } {
  const to = now.toISOString().slice(0, 10);
  const from = new Date(Date.parse(`${to}T00:00:00Z`) - (days - 1) * dayMs).toISOString().slice(0, 10);
  return { from, to };
}

/** "+3", "−2" or "0": mentions now against the period before. */
export function formatThemeChange(theme: Pick<Theme, "count" | "previousCount">): string {
  const change = theme.count - theme.previousCount;
  if (change > 0) return `+${change}`;
  return change < 0 ? `−${-change}` : "0";
}

/** Themes mentioned clearly more than in the period before (the API's "rising"), most mentioned first. */
export function risingThemes(themes: readonly Theme[]): Theme[] {
  return themes.filter((theme) => theme.trend === "rising");
}

/**
 * What to say when there is nothing to show, with what to do next; null when there are themes. No texts at all
 * and texts without a repeated phrase are different problems.
 */
export function emptyThemesMessage(report: ThemesReport, days: number): string | null {
  if (report.themes.length > 0) return null;
  const period = `the last ${days} days`;
  const longer = days < 90 ? " Pick a longer period" : " Try again when more has come in";
  if (report.texts.current === 0) {
    if (report.source === "comments")
      return `No survey comments in ${period}.${longer}, or read customers' messages instead. Surveys ask for a comment with the score (Settings → Surveys).`;
    if (report.source === "messages")
      return `No messages from customers in ${period}.${longer}, or check that mail reaches Tend (your support address forwards to it, or an IMAP mailbox is set up).`;
    return `No customer messages or survey comments in ${period}.${longer}, or check that mail reaches Tend and that surveys are switched on (Settings → Surveys).`;
  }
  const texts = report.texts.current === 1 ? "1 text" : `${report.texts.current} texts`;
  return `${texts} in ${period}, but no phrase came up in two or more of them.${longer}${report.source === "all" ? "." : ", or read both messages and survey comments."}`;
}

/** The chart's bars: the most mentioned themes, this period beside the one before. */
export function themeChartRows(themes: readonly Theme[], limit = 10) {
  return themes.slice(0, limit).map((theme) => ({
    phrase: theme.phrase,
    current: theme.count,
    previous: theme.previousCount,
  }));
}

/** The chart in words, for screen readers: each theme with its two counts. */
export function describeThemeChart(themes: readonly Theme[], days: number, limit = 10): string {
  const parts = themes
    .slice(0, limit)
    .map((theme) => `${theme.phrase}: ${theme.count}, before ${theme.previousCount}`);
  return `Bar chart of mentions in the last ${days} days against the ${days} days before. ${parts.join("; ")}.`;
}
