import type { ClvAnalysis } from "./clv-analysis.service.ts";
import {
  escapeHtml,
  FRAME,
  fmt,
  htmlTable,
  PALETTE,
  page,
  survivalChart,
  xTicks,
  yAxis,
} from "./report-html.ts";
import type { SurvivalAnalysis } from "./survival-analysis.service.ts";

// The CLV and survival reports of `tend analyze clv|survival --html` (the page kit is report-html.ts).

function clvHistogram(values: readonly number[]): string {
  if (values.length === 0) return "";
  const sorted = [...values].sort((a, b) => a - b);
  // The 99th percentile bounds the axis so a few very large customers do not squash the rest into one bar.
  const cap =
    sorted[Math.min(sorted.length - 1, Math.floor(0.99 * sorted.length))] || sorted[sorted.length - 1] || 1;
  const binCount = 30;
  const width = cap / binCount;
  const counts = new Array<number>(binCount).fill(0);
  let above = 0;
  for (const v of values) {
    if (v > cap) above++;
    else counts[Math.min(binCount - 1, Math.floor(v / width))]++;
  }
  const f = FRAME;
  const { svg: axis, y } = yAxis(f, Math.max(...counts), "customers");
  const plotW = f.width - f.left - f.right;
  const barW = plotW / binCount;
  let bars = "";
  counts.forEach((n, i) => {
    bars += `<rect x="${f.left + i * barW + 1}" y="${y(n)}" width="${barW - 2}" height="${y(0) - y(n)}" fill="${PALETTE[0]}"><title>${fmt(i * width, 2)}–${fmt((i + 1) * width, 2)}: ${n}</title></rect>`;
  });
  const ticks = xTicks(f, cap, (v) => f.left + (v / cap) * plotW, 6);
  const note = above > 0 ? `; ${above} customers above ${fmt(cap, 2)} not drawn` : "";
  return `<svg width="${f.width}" height="${f.height}" viewBox="0 0 ${f.width} ${f.height}" role="img" aria-label="Histogram of predicted CLV">
${axis}<line class="axis" x1="${f.left}" y1="${y(0)}" x2="${f.width - f.right}" y2="${y(0)}"/>${bars}${ticks}
<text class="tick" x="${f.left + plotW / 2}" y="${f.height - 6}" text-anchor="middle">predicted CLV${escapeHtml(note)}</text></svg>`;
}

function holdoutChart(bins: readonly { frequency: string; actual: number; expected: number }[]): string {
  const f = FRAME;
  const { svg: axis, y } = yAxis(
    f,
    Math.max(...bins.map((b) => Math.max(b.actual, b.expected))),
    "mean repeat purchases in holdout",
  );
  const plotW = f.width - f.left - f.right;
  const slot = plotW / bins.length;
  let bars = "";
  bins.forEach((b, i) => {
    const x = f.left + i * slot;
    bars += `<rect x="${x + slot * 0.15}" y="${y(b.actual)}" width="${slot * 0.33}" height="${y(0) - y(b.actual)}" fill="${PALETTE[1]}"><title>actual ${fmt(b.actual, 3)}</title></rect>`;
    bars += `<rect x="${x + slot * 0.52}" y="${y(b.expected)}" width="${slot * 0.33}" height="${y(0) - y(b.expected)}" fill="${PALETTE[0]}"><title>expected ${fmt(b.expected, 3)}</title></rect>`;
    bars += `<text class="tick" x="${x + slot / 2}" y="${f.height - f.bottom + 16}" text-anchor="middle">${escapeHtml(b.frequency)}</text>`;
  });
  const legend = `<rect x="${f.left + 12}" y="${f.top + 4}" width="12" height="12" fill="${PALETTE[1]}"/><text class="legend" x="${f.left + 30}" y="${f.top + 14}">actual</text>
<rect x="${f.left + 92}" y="${f.top + 4}" width="12" height="12" fill="${PALETTE[0]}"/><text class="legend" x="${f.left + 110}" y="${f.top + 14}">BG/NBD expected</text>`;
  return `<svg width="${f.width}" height="${f.height}" viewBox="0 0 ${f.width} ${f.height}" role="img" aria-label="Expected and actual holdout purchases">
${axis}<line class="axis" x1="${f.left}" y1="${y(0)}" x2="${f.width - f.right}" y2="${y(0)}"/>${bars}${legend}
<text class="tick" x="${f.left + plotW / 2}" y="${f.height - 6}" text-anchor="middle">repeat purchases in the calibration period</text></svg>`;
}

/** The CLV report: counts and exclusions, the three fits, a CLV histogram and the holdout check when there is one. */
export function renderClvReport(a: ClvAnalysis): string {
  const c = a.counts;
  const models = htmlTable(
    ["model", "parameters", "log-likelihood", "converged"],
    [
      [
        "BG/NBD",
        `r ${fmt(a.bgnbd.r)}, α ${fmt(a.bgnbd.alpha)}, a ${fmt(a.bgnbd.a)}, b ${fmt(a.bgnbd.b)}`,
        fmt(a.bgnbd.logLikelihood, 3),
        String(a.bgnbd.converged),
      ],
      [
        "Pareto/NBD",
        `r ${fmt(a.paretoNbd.r)}, α ${fmt(a.paretoNbd.alpha)}, s ${fmt(a.paretoNbd.s)}, β ${fmt(a.paretoNbd.beta)}`,
        fmt(a.paretoNbd.logLikelihood, 3),
        String(a.paretoNbd.converged),
      ],
      a.gammaGamma
        ? [
            "Gamma-Gamma",
            `p ${fmt(a.gammaGamma.p)}, q ${fmt(a.gammaGamma.q)}, γ ${fmt(a.gammaGamma.gamma)}`,
            fmt(a.gammaGamma.logLikelihood, 3),
            String(a.gammaGamma.converged),
          ]
        : ["Gamma-Gamma", "not fitted", "–", "–"],
    ],
  );
  const counts = htmlTable(
    ["", "count"],
    [
      ["rows read", String(c.rows)],
      ["purchases", String(c.transactions)],
      ["purchase days (same-day purchases merged)", String(c.purchaseDays)],
      ["customers in the calibration period", String(c.customers)],
      ["repeat customers", String(c.repeatCustomers)],
      ["customers in Gamma-Gamma", String(c.gammaGammaCustomers)],
      ["row errors", String(c.rowErrors)],
    ],
  );
  const excluded =
    a.excluded.length === 0
      ? "<p>Nothing was excluded.</p>"
      : `<ul>${a.excluded.map((e) => `<li><b>${e.count}</b> ${escapeHtml(e.reason)}</li>`).join("")}</ul>`;
  const clvValues = a.customers
    .map((cu) => cu.clv)
    .filter((v): v is number => v !== null && Number.isFinite(v));
  const clvSection =
    clvValues.length > 0
      ? `<h2>Predicted ${a.prediction.clvMonths}-month CLV</h2><p>Mean ${fmt(a.prediction.meanClv, 2)}, total ${fmt(a.prediction.totalClv, 0)} over ${clvValues.length} customers (BG/NBD × Gamma-Gamma, ${a.prediction.monthlyDiscountRate * 100}% a month discount).</p>${clvHistogram(clvValues)}`
      : "<h2>Predicted CLV</h2><p>Not available: Gamma-Gamma could not be fitted.</p>";
  const holdout = a.holdout
    ? `<h2>Holdout check</h2><p>Mean repeat purchases in the ${fmt(a.holdout.length, 1)} ${a.timeUnit}s after the calibration end, by repeat purchases in the calibration period.</p>${holdoutChart(a.holdout.bins)}${htmlTable(
        ["calibration frequency", "customers", "actual", "expected"],
        a.holdout.bins.map((b) => [b.frequency, String(b.customers), fmt(b.actual, 3), fmt(b.expected, 3)]),
      )}`
    : "<h2>Holdout check</h2><p>No purchases after the calibration end, so there is nothing to compare with.</p>";
  return page(
    "Customer lifetime value",
    `${a.file} · calibration period to ${a.calibrationEnd} · time in ${a.timeUnit}s`,
    `<h2>Data</h2>${counts}<h3>Excluded or merged</h3>${excluded}<h2>Models</h2>${models}${clvSection}${holdout}`,
  );
}

/** The survival report: the Cox table, Kaplan-Meier curves with their intervals, and the log-rank test. */
export function renderSurvivalReport(a: SurvivalAnalysis): string {
  let body = `<h2>Data</h2><p>${a.counts.subjects} subjects, ${a.counts.events} events, ${a.counts.rowErrors} rows skipped for errors.</p>`;
  if (a.cox) {
    body += `<h2>Cox proportional hazards (${a.cox.ties} ties)</h2>${htmlTable(
      ["covariate", "coef", "se", "z", "p", "hazard ratio", "95% interval"],
      a.cox.covariates.map((c) => [
        c.name,
        fmt(c.coef),
        fmt(c.se),
        fmt(c.z, 3),
        fmt(c.p, 4),
        fmt(c.hazardRatio, 3),
        `${fmt(c.hazardRatioLower, 3)} – ${fmt(c.hazardRatioUpper, 3)}`,
      ]),
    )}<p>Partial log-likelihood ${fmt(a.cox.logPartialLikelihood, 3)}; concordance ${fmt(a.cox.concordance, 3)}; likelihood-ratio test ${fmt(a.cox.likelihoodRatioTest.statistic, 2)} on ${a.cox.likelihoodRatioTest.degreesOfFreedom} df (p = ${a.cox.likelihoodRatioTest.pValue.toExponential(2)}).</p>`;
  }
  body += `<h2>Kaplan-Meier${a.kaplanMeier.column ? ` by ${escapeHtml(a.kaplanMeier.column)}` : ""}</h2>${survivalChart(
    a.kaplanMeier.curves.map((c) => ({ label: `${c.group} (n=${c.subjects})`, points: c.steps })),
    { xLabel: "time", ariaLabel: "Kaplan-Meier curves" },
  )}${htmlTable(
    ["group", "subjects", "events", "median survival"],
    a.kaplanMeier.curves.map((c) => [
      c.group,
      String(c.subjects),
      String(c.events),
      c.median === null ? "not reached" : String(c.median),
    ]),
  )}`;
  if (a.logRank) {
    body += `<p>Log-rank test: χ² ${fmt(a.logRank.statistic, 3)} on ${a.logRank.degreesOfFreedom} df, p = ${a.logRank.pValue.toExponential(3)}.</p>`;
  }
  return page("Survival analysis", a.file, body);
}
