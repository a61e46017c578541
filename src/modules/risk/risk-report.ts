import { forestScale } from "../../../web/src/lib/forest-scale.ts";
import {
  escapeHtml,
  FRAME,
  fmt,
  htmlTable,
  money,
  PALETTE,
  page,
  share,
  survivalChart,
  xTicks,
  yAxis,
} from "../retention/report-html.ts";
import type { RiskSummary } from "./risk.service.ts";
import type { ServiceImpact } from "./service-impact.service.ts";

// The churn-risk and service-impact reports of `tend analyze risk|service-impact --html`: the figures the CLI prints
// and the dashboard shows, as one self-contained page each (page kit: retention/report-html.ts). The forest plot's
// axis is the web dashboard's (web/src/lib/forest-scale.ts, pure), so both draw the same scale.

const dayMs = 86_400_000;
const isoDay = (day: number) => new Date(day * dayMs).toISOString().slice(0, 10);
const pValue = (p: number | null | undefined) =>
  p === null || p === undefined || !Number.isFinite(p) ? "–" : p < 0.001 ? "< 0.001" : p.toFixed(3);
const card = (name: string, value: string, detail: string) =>
  `<div class="card">${escapeHtml(name)}<b>${escapeHtml(value)}</b><span>${escapeHtml(detail)}</span></div>`;
const definitionList = (definitions: Record<string, string>) =>
  `<dl>${Object.entries(definitions)
    .map(([term, text]) => `<dt>${escapeHtml(term)}</dt><dd>${escapeHtml(text)}</dd>`)
    .join("")}</dl>`;

/** Observed against predicted churn per tenth of the backtest's customers, with the diagonal of perfect calibration. */
function calibrationChart(bins: RiskSummary["backtest"]["calibration"]): string {
  const f = FRAME;
  const max = Math.min(1, Math.max(0.05, ...bins.flatMap((b) => [b.meanPredicted, b.observedRate])) * 1.05);
  // The x axis takes the y axis's rounded bound, so the diagonal is the line of perfect calibration.
  const { svg: axis, y, top } = yAxis(f, max, "observed churn", (v) => share(v, 0));
  const plotW = f.width - f.left - f.right;
  const x = (v: number) => f.left + (v / top) * plotW;
  const diagonal = `<line x1="${x(0)}" y1="${y(0)}" x2="${x(top)}" y2="${y(top)}" stroke="#8a94a0" stroke-dasharray="4 3"/>`;
  const largest = Math.max(1, ...bins.map((b) => b.count));
  const points = bins
    .map(
      (b, i) =>
        `<circle cx="${x(b.meanPredicted)}" cy="${y(b.observedRate)}" r="${3 + 4 * Math.sqrt(b.count / largest)}" fill="${PALETTE[0]}" fill-opacity="0.8"><title>Tenth ${i + 1}: predicted ${share(b.meanPredicted)}, observed ${share(b.observedRate)} of ${b.count}</title></circle>`,
    )
    .join("");
  const path = bins
    .map((b, i) => `${i === 0 ? "M" : "L"}${x(b.meanPredicted)},${y(b.observedRate)}`)
    .join(" ");
  return `<svg width="${f.width}" height="${f.height}" viewBox="0 0 ${f.width} ${f.height}" role="img" aria-label="Calibration: observed against predicted churn per tenth of customers, with the diagonal of perfect calibration">
${axis}<line class="axis" x1="${f.left}" y1="${y(0)}" x2="${f.width - f.right}" y2="${y(0)}"/>${diagonal}<path d="${path}" fill="none" stroke="${PALETTE[0]}" stroke-width="1.5"/>${points}${xTicks(f, top, x, 6, (v) => share(v, 0))}
<text class="tick" x="${f.left + plotW / 2}" y="${f.height - 6}" text-anchor="middle">predicted churn (dashed: perfect calibration; points above it: more churn than predicted)</text></svg>`;
}

/** The churn-risk report: backtest (AUC, Brier, calibration), band counts and the customers with most value at risk. */
export function renderRiskReport(
  summary: RiskSummary,
  options: { definitions: Record<string, string>; stored: boolean },
): string {
  const b = summary.backtest;
  const currency = summary.currency;
  const cards = [
    card(
      "Customers scored",
      summary.scored.toLocaleString("en"),
      `${summary.bands.high} high, ${summary.bands.medium} medium, ${summary.bands.low} low risk`,
    ),
    card("Backtest AUC", fmt(b.auc, 3), `purchase model alone ${fmt(b.purchaseModelOnly.auc, 3)}`),
    card(
      "Backtest Brier score",
      fmt(b.brier, 4),
      `purchase model alone ${fmt(b.purchaseModelOnly.brier, 4)}`,
    ),
  ].join("");
  const backtest = htmlTable(
    ["Model", "AUC (higher is better)", "Brier score (lower is better)"],
    [
      ["Risk model", fmt(b.auc, 3), fmt(b.brier, 4)],
      [
        "Purchase model alone (1 − P(alive))",
        fmt(b.purchaseModelOnly.auc, 3),
        fmt(b.purchaseModelOnly.brier, 4),
      ],
    ],
  );
  const calibration = htmlTable(
    ["Tenth", "Scores", "Predicted churn", "Observed churn", "Customers"],
    b.calibration.map((bin, i) => [
      String(i + 1),
      `${Math.round(bin.from * 100)}–${Math.round(bin.to * 100)}`,
      share(bin.meanPredicted),
      share(bin.observedRate),
      String(bin.count),
    ]),
  );
  const bands = htmlTable(
    ["Band", "Customers", "Share"],
    (["high", "medium", "low"] as const).map((band) => [
      band,
      String(summary.bands[band]),
      share(summary.scored === 0 ? null : summary.bands[band] / summary.scored),
    ]),
  );
  const top = htmlTable(
    ["Customer", "Score", "Band", "P(alive)", "Predicted value", "Value at risk", "Top reasons"],
    summary.top.map((row) => [
      `${row.name ?? row.email ?? "Customer"} (#${row.customerId})`,
      fmt(row.score, 1),
      row.band,
      fmt(row.pAlive, 3),
      money(row.predictedValueMinor, currency),
      money(row.valueAtRiskMinor, currency),
      {
        html: escapeHtml(row.reasons.map((reason) => `${reason.label}: ${reason.value}`).join("; ") || "–"),
        className: "wrap",
      },
    ]),
  );
  const body = `<h2>Headline</h2><div class="cards">${cards}</div>
<h2>Backtest</h2><p>Trained on what was known on ${isoDay(b.trainedAsOf)}, then ${b.testCustomers.toLocaleString("en")} customers scored as of ${isoDay(b.testedAsOf)} and followed for ${b.horizonDays} days: ${share(b.churnRate)} stopped buying.</p>${backtest}
<h3>Calibration by tenth of predicted risk</h3>${b.calibration.length > 0 ? calibrationChart(b.calibration) : ""}${calibration}
<h2>Risk bands</h2>${bands}
<h2>Most value at risk</h2>${summary.top.length > 0 ? top : "<p>No active customer was scored.</p>"}
<h2>Definitions</h2>${definitionList(options.definitions)}`;
  return page(
    "Churn risk",
    `${summary.scored.toLocaleString("en")} active customers scored as of ${summary.asOf.slice(0, 10)}${currency ? `; values in ${currency}` : ""}. ${options.stored ? "Stored for the dashboard and the inbox." : "Not stored."}`,
    body,
  );
}

type Experience = ServiceImpact["experiences"][number];

const conclusionLabels: Record<Experience["conclusion"], string> = {
  harmful: "Customers churn faster",
  protective: "Customers churn slower",
  no_evidence: "No clear difference",
  too_thin: "Too little data",
};

const conclusionColours: Record<Experience["conclusion"], string> = {
  harmful: "#b3261e",
  protective: "#1e7a46",
  no_evidence: "#5b6876",
  too_thin: "#5b6876",
};

/** Hazard ratios with their 95% intervals on a log scale; 1 (dashed) = no difference. */
function forestPlot(experiences: readonly Experience[]): string {
  const rows = experiences.flatMap((e) => (e.hazardRatio ? [{ e, hr: e.hazardRatio }] : []));
  if (rows.length === 0) return "";
  const labelWidth = 260;
  const plotWidth = 440;
  const rowHeight = 28;
  const top = 8;
  const width = labelWidth + plotWidth + 20;
  const height = top + rows.length * rowHeight + 28;
  const scale = forestScale(
    rows.map(({ hr }) => hr),
    plotWidth,
  );
  const x = (v: number) => labelWidth + scale.x(v);
  let svg = `<line x1="${x(1)}" x2="${x(1)}" y1="${top - 4}" y2="${height - 24}" stroke="#8a94a0" stroke-dasharray="4 3"/>`;
  for (const tick of scale.ticks) {
    svg += `<line x1="${x(tick)}" x2="${x(tick)}" y1="${height - 24}" y2="${height - 20}" stroke="#8a94a0"/><text class="tick" x="${x(tick)}" y="${height - 8}" text-anchor="middle">${tick}</text>`;
  }
  rows.forEach(({ e, hr }, index) => {
    const y = top + index * rowHeight + rowHeight / 2;
    const colour = conclusionColours[e.conclusion];
    svg += `<text class="legend" x="${labelWidth - 8}" y="${y + 4}" text-anchor="end">${escapeHtml(e.label)}</text>`;
    svg += `<line x1="${x(hr.lower)}" x2="${x(hr.upper)}" y1="${y}" y2="${y}" stroke="${colour}" stroke-width="2"/>`;
    svg += `<rect x="${x(hr.value) - 5}" y="${y - 5}" width="10" height="10" fill="${colour}"><title>${escapeHtml(`${e.label}: hazard ratio ${fmt(hr.value, 2)} (${fmt(hr.lower, 2)} to ${fmt(hr.upper, 2)})`)}</title></rect>`;
  });
  return `<svg width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="Forest plot of hazard ratios with 95% intervals">${svg}</svg>
<p class="meta">Hazard ratio of stopping buying with the experience against without (95% interval, log scale). Right of the dashed line (1): more churn.</p>`;
}

function experienceSection(e: Experience, currency: string | null): string {
  const lost = e.valueLostPerEventMinor;
  const curves = [
    { label: `${e.unexposedLabel} (n=${e.unexposed.customers})`, points: e.curves.unexposed },
    { label: `${e.exposedLabel} (n=${e.exposed.customers})`, points: e.curves.exposed },
  ].filter((curve) => curve.points.length > 1);
  const hr = e.hazardRatio
    ? `<p>Hazard ratio ${fmt(e.hazardRatio.value, 2)} (95% ${fmt(e.hazardRatio.lower, 2)}–${fmt(e.hazardRatio.upper, 2)}, p ${pValue(e.hazardRatio.p)}); log-rank p ${pValue(e.logRank?.p)}.</p>`
    : e.logRank
      ? `<p>Log-rank p ${pValue(e.logRank.p)}; no hazard ratio.</p>`
      : "";
  return `<h3>${escapeHtml(e.label)}</h3>
<p><b style="color:${conclusionColours[e.conclusion]}">${escapeHtml(conclusionLabels[e.conclusion])}</b></p>
<p${e.conclusion === "too_thin" ? ' class="thin"' : ""}>${escapeHtml(e.message)}</p>
<p>${escapeHtml(e.exposedLabel)}: ${e.exposed.customers} customers, ${e.exposed.churned} stopped buying · ${escapeHtml(e.unexposedLabel)}: ${e.unexposed.customers} customers, ${e.unexposed.churned} stopped buying.</p>
${hr}${lost ? `<p>Value lost per contact like this: <b>${escapeHtml(money(lost.value, currency))}</b> (95% interval ${escapeHtml(money(lost.lower, currency))} to ${escapeHtml(money(lost.upper, currency))}).</p>` : ""}
${
  curves.length > 0
    ? survivalChart(
        curves.map((curve) => ({
          label: curve.label,
          points: curve.points.map((p) => ({
            time: p.t,
            survival: p.survival,
            lower: p.lower,
            upper: p.upper,
          })),
        })),
        {
          xLabel: "days after the contact",
          ariaLabel: `Share still buying over time, ${e.unexposedLabel} against ${e.exposedLabel}`,
          colours: [PALETTE[0], PALETTE[1]],
        },
      )
    : ""
}`;
}

/** The service-impact report: per experience the survival curves, the hazard ratio (forest plot) and the money. */
export function renderServiceImpactReport(
  report: ServiceImpact,
  options: { definitions: Record<string, string> },
): string {
  const currency = report.currency;
  const table = htmlTable(
    [
      "Experience",
      "With it (churned)",
      "Without it (churned)",
      "Hazard ratio",
      "95% interval",
      "p",
      "Value lost per contact",
      "Conclusion",
    ],
    report.experiences.map((e) => [
      e.label,
      `${e.exposed.customers} (${e.exposed.churned})`,
      `${e.unexposed.customers} (${e.unexposed.churned})`,
      fmt(e.hazardRatio?.value, 2),
      e.hazardRatio ? `${fmt(e.hazardRatio.lower, 2)}–${fmt(e.hazardRatio.upper, 2)}` : "–",
      pValue(e.hazardRatio?.p ?? e.logRank?.p),
      e.valueLostPerEventMinor ? money(e.valueLostPerEventMinor.value, currency) : "–",
      conclusionLabels[e.conclusion],
    ]),
  );
  const body = `<h2>Summary</h2><p>${escapeHtml(report.summary)}</p>${table}
<h2>Hazard ratios</h2>${forestPlot(report.experiences) || "<p>No experience had enough data for a hazard ratio.</p>"}
<h2>By experience</h2>${report.experiences.map((e) => experienceSection(e, currency)).join("\n")}
<h2>Definitions</h2>${definitionList(options.definitions)}`;
  return page(
    "What service does to retention",
    `${report.customers} customers, ${report.contacts} tickets. Churn = ${report.lapseDays} days without an order; contacts of customers who ordered within ${report.recencyDays} days before; money over ${report.horizonDays} days${currency ? ` in ${currency}` : ""}.`,
    body,
  );
}
