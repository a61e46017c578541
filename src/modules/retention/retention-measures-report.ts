import { type Cell, escapeHtml, htmlTable, money, page, share } from "./report-html.ts";

// The retention dashboard as one self-contained HTML file (`tend analyze ... --html`): inline CSS, inline SVG, no
// script and no external request, so it can be mailed or archived and still open the same way. The same figures as
// the web dashboard (web/src/features/retention), as tables first; colour only supports the numbers.

type Scope = {
  currency: string | null;
  asOf: string;
  customers: number;
  orders: number;
  firstPurchase: string | null;
  lastPurchase: string | null;
  excluded: readonly { count: number; reason: string }[];
};

type PeriodRow = {
  period: string;
  partial: boolean;
  activeCustomers: number;
  newCustomers: number;
  previousCustomers: number;
  retainedCustomers: number;
  customerRetentionRate: number | null;
  customerChurnRate: number | null;
  revenueMinor: number;
  grossRevenueRetention: number | null;
  netRevenueRetention: number | null;
};

/** What the report shows: the retention measures' answers (structurally; extra fields are ignored). */
export interface RetentionReportInput {
  title?: string;
  summary: {
    scope: Scope;
    revenueMinor: number;
    repeatPurchaseRate: number | null;
    medianDaysBetweenPurchases: number | null;
    meanLifetimeValueMinor: number | null;
    medianLifetimeValueMinor: number | null;
    lastMonth: PeriodRow | null;
    lastQuarter: PeriodRow | null;
    definitions: Record<string, string>;
  };
  rates: { period: string; rows: readonly PeriodRow[] };
  cohorts: {
    rows: readonly {
      cohort: string;
      customers: number;
      counts: readonly number[];
      shares: readonly number[];
    }[];
  };
  lifetimeValue: {
    histogram: readonly { fromMinor: number; toMinor: number | null; count: number }[];
    byCohort: readonly { cohort: string; customers: number; meanMinor: number; medianMinor: number }[];
    meanMinor: number | null;
    medianMinor: number | null;
    p90Minor: number | null;
  };
  rfm: {
    segments: readonly { label: string; meaning: string; customers: number; revenueMinor: number }[];
  };
  purchases: {
    histogram: readonly { label: string; count: number }[];
    intervals: { medianDays: number | null; p25Days: number | null; p75Days: number | null };
  };
}

const days = (value: number | null) => (value === null ? "–" : `${Math.round(value)} days`);

/** Cohort heatmap colours: light to dark green by the square root of the share, black or white text for AA contrast. */
export function heatCellStyle(value: number): string {
  const t = Math.sqrt(Math.min(1, Math.max(0, value)));
  const light = [0xf3, 0xf8, 0xf6];
  const dark = [0x1b, 0x4d, 0x3f];
  const rgb = light.map((l, i) => Math.round(l + (dark[i] - l) * t));
  const lum = rgb
    .map((c) => {
      const v = c / 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    })
    .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  // Whichever text colour contrasts more: (L+0.05)/0.05 against black, 1.05/(L+0.05) against white.
  const text = (lum + 0.05) / 0.05 >= 1.05 / (lum + 0.05) ? "#000" : "#fff";
  return `background:rgb(${rgb.join(",")});color:${text}`;
}

function histogramSvg(bars: readonly { label: string; count: number }[], label: string): string {
  if (bars.length === 0) return "";
  const width = 720;
  const height = 220;
  const left = 48;
  const bottom = 36;
  const top = 10;
  const max = Math.max(1, ...bars.map((b) => b.count));
  const slot = (width - left - 8) / bars.length;
  const y = (v: number) => top + (height - top - bottom) * (1 - v / max);
  const rects = bars
    .map((b, i) => {
      const x = left + i * slot;
      return `<rect x="${x + 2}" y="${y(b.count)}" width="${slot - 4}" height="${y(0) - y(b.count)}" fill="#2f6f5e"><title>${escapeHtml(b.label)}: ${b.count}</title></rect><text x="${x + slot / 2}" y="${height - bottom + 14}" font-size="10" text-anchor="middle" fill="#5b6876">${escapeHtml(b.label)}</text>`;
    })
    .join("");
  return `<svg width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(label)}">
<line x1="${left}" x2="${width - 8}" y1="${y(0)}" y2="${y(0)}" stroke="#9aa3b2"/><text x="${left - 6}" y="${y(max) + 4}" font-size="11" text-anchor="end" fill="#5b6876">${max}</text><text x="${left - 6}" y="${y(0) + 4}" font-size="11" text-anchor="end" fill="#5b6876">0</text>${rects}</svg>`;
}

/** The whole report as one HTML document. */
export function renderRetentionReport(input: RetentionReportInput): string {
  const { summary, rates, cohorts, lifetimeValue: ltv, rfm, purchases } = input;
  const scope = summary.scope;
  const currency = scope.currency;
  const title = input.title ?? "Retention report";
  const month = summary.lastMonth;
  const quarter = summary.lastQuarter;
  const card = (name: string, value: string, detail: string) =>
    `<div class="card">${escapeHtml(name)}<b>${escapeHtml(value)}</b><span>${escapeHtml(detail)}</span></div>`;
  const cards = [
    card(
      "Retention rate",
      share(month?.customerRetentionRate),
      `${month?.period ?? "no complete month"}; last quarter ${share(quarter?.customerRetentionRate)}`,
    ),
    card(
      "Churn rate",
      share(month?.customerChurnRate),
      `${month?.period ?? "no complete month"}; last quarter ${share(quarter?.customerChurnRate)}`,
    ),
    card(
      "Repeat purchase rate",
      share(summary.repeatPurchaseRate),
      `median ${days(summary.medianDaysBetweenPurchases)} between purchases`,
    ),
    card(
      "Revenue retention",
      share(month?.netRevenueRetention),
      `net; gross ${share(month?.grossRevenueRetention)}`,
    ),
  ].join("");

  const excluded =
    scope.excluded.length > 0
      ? ` Left out: ${scope.excluded.map((e) => `${e.count} ${e.reason}`).join("; ")}.`
      : "";
  const subtitle = `${scope.customers} customers, ${scope.orders} orders${currency ? ` in ${currency}` : ""}${
    scope.firstPurchase && scope.lastPurchase ? ` from ${scope.firstPurchase} to ${scope.lastPurchase}` : ""
  }, as of ${scope.asOf}. Revenue ${money(summary.revenueMinor, currency)}.${excluded}`;

  const ratesTable = htmlTable(
    [
      "Period",
      "Active",
      "New",
      "Previous",
      "Retained",
      "Retention",
      "Churn",
      "Gross rev. ret.",
      "Net rev. ret.",
      "Revenue",
    ],
    [...rates.rows]
      .reverse()
      .map((r) => [
        r.partial ? `${r.period} (so far)` : r.period,
        String(r.activeCustomers),
        String(r.newCustomers),
        String(r.previousCustomers),
        String(r.retainedCustomers),
        share(r.customerRetentionRate),
        share(r.customerChurnRate),
        share(r.grossRevenueRetention),
        share(r.netRevenueRetention),
        money(r.revenueMinor, currency),
      ]),
  );

  const widest = Math.max(0, ...cohorts.rows.map((row) => row.shares.length));
  const heatmap = htmlTable(
    ["Cohort", "Customers", ...Array.from({ length: widest }, (_, k) => `M${k}`)],
    cohorts.rows.map((row) => [
      row.cohort,
      String(row.customers),
      ...Array.from({ length: widest }, (_, k): Cell => {
        const value = row.shares[k];
        if (value === undefined) return "";
        return {
          html: share(value, 0),
          style: heatCellStyle(value),
          title: `${row.cohort}, month ${k}: ${row.counts[k] ?? 0} of ${row.customers}`,
        };
      }),
    ]),
    "heat",
  );

  const ltvBars = ltv.histogram.map((bin) => ({
    label: bin.toMinor === null ? `${money(bin.fromMinor, currency)}+` : money(bin.fromMinor, currency),
    count: bin.count,
  }));
  const ltvCohorts = htmlTable(
    ["Cohort", "Customers", "Mean LTV", "Median LTV"],
    ltv.byCohort.map((row) => [
      row.cohort,
      String(row.customers),
      money(row.meanMinor, currency),
      money(row.medianMinor, currency),
    ]),
  );
  const segments = htmlTable(
    ["Segment", "Meaning", "Customers", "Revenue"],
    rfm.segments.map((s) => [s.label, s.meaning, String(s.customers), money(s.revenueMinor, currency)]),
  );
  const intervals = htmlTable(
    ["Days to the next purchase", "Repeat purchases"],
    purchases.histogram.map((bin) => [bin.label, String(bin.count)]),
  );
  const definitions = Object.entries(summary.definitions)
    .map(([term, text]) => `<dt>${escapeHtml(term)}</dt><dd>${escapeHtml(text)}</dd>`)
    .join("");

  return page(
    title,
    subtitle,
    `<h2>Headline</h2><div class="cards">${cards}</div>
<h2>Retention by ${escapeHtml(rates.period)}</h2>${ratesTable}
<h2>Cohort retention</h2><p class="meta">Share of each first-purchase cohort buying in each month since (M0 = the first month). Darker is higher.</p>${heatmap}
<h2>Repeat purchases</h2><p>Median ${escapeHtml(days(purchases.intervals.medianDays))} between purchases (middle half ${escapeHtml(days(purchases.intervals.p25Days))} to ${escapeHtml(days(purchases.intervals.p75Days))}).</p>${intervals}
<h2>Lifetime value</h2><p>Mean ${escapeHtml(money(ltv.meanMinor, currency))}, median ${escapeHtml(money(ltv.medianMinor, currency))}, top tenth above ${escapeHtml(money(ltv.p90Minor, currency))}.</p>
${histogramSvg(ltvBars, "Customers by lifetime value")}${ltvCohorts}
<h2>RFM segments</h2>${segments}
<h2>Definitions</h2><dl>${definitions}</dl>`,
  );
}
