import type { ClvAnalysis } from "../modules/retention/clv-analysis.service.ts";
import type { SurvivalAnalysis } from "../modules/retention/survival-analysis.service.ts";

// Readable tables for `tend analyze` without --json.

const num = (value: number | null, digits = 4): string =>
  value === null || !Number.isFinite(value) ? "-" : value.toFixed(digits);

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

export function formatClvTable(a: ClvAnalysis, withCustomers: boolean): string {
  const c = a.counts;
  const out: string[] = [
    `${a.file}: calibration to ${a.calibrationEnd}, time in ${a.timeUnit}s`,
    `${c.rows} rows, ${c.transactions} purchases on ${c.purchaseDays} purchase days; ${c.customers} customers ` +
      `(${c.repeatCustomers} repeat, ${c.singlePurchaseCustomers} single-purchase), ${c.rowErrors} row errors`,
  ];
  if (a.excluded.length > 0) {
    out.push("", "Excluded or merged:");
    for (const e of a.excluded) out.push(`  ${e.count}  ${e.reason}`);
  }
  const b = a.bgnbd;
  const p = a.paretoNbd;
  out.push(
    "",
    table(
      ["model", "parameters", "log-likelihood"],
      [
        [
          "BG/NBD",
          `r=${num(b.r)} alpha=${num(b.alpha)} a=${num(b.a)} b=${num(b.b)}`,
          num(b.logLikelihood, 3),
        ],
        [
          "Pareto/NBD",
          `r=${num(p.r)} alpha=${num(p.alpha)} s=${num(p.s)} beta=${num(p.beta)}`,
          num(p.logLikelihood, 3),
        ],
        a.gammaGamma
          ? [
              "Gamma-Gamma",
              `p=${num(a.gammaGamma.p)} q=${num(a.gammaGamma.q)} gamma=${num(a.gammaGamma.gamma)}`,
              num(a.gammaGamma.logLikelihood, 3),
            ]
          : ["Gamma-Gamma", "not fitted: no repeat customer with positive spend", "-"],
      ],
    ),
    "",
    `Expected purchases in the next ${a.prediction.horizon} ${a.timeUnit}s: ${num(a.prediction.totalExpectedPurchases, 1)}; ` +
      `mean ${a.prediction.clvMonths}-month CLV at ${a.prediction.monthlyDiscountRate * 100}%/month: ${num(a.prediction.meanClv, 2)}`,
  );
  if (a.holdout) {
    out.push(
      "",
      `Holdout (${num(a.holdout.length, 2)} ${a.timeUnit}s after the calibration end): mean repeat purchases by calibration frequency`,
      table(
        ["frequency", "customers", "actual", "BG/NBD expected"],
        a.holdout.bins.map((bin) => [
          bin.frequency,
          String(bin.customers),
          num(bin.actual, 3),
          num(bin.expected, 3),
        ]),
      ),
    );
  }
  if (withCustomers) {
    out.push(
      "",
      table(
        ["customer", "x", "t_x", "T", "P(alive)", "E[purchases]", "E[value]", "CLV"],
        a.customers.map((cu) => [
          cu.id,
          String(cu.x),
          num(cu.t_x, 2),
          num(cu.T, 2),
          num(cu.pAliveBgNbd, 3),
          num(cu.expectedPurchases, 3),
          num(cu.expectedAverageValue, 2),
          num(cu.clv, 2),
        ]),
      ),
    );
  }
  return `${out.join("\n")}\n`;
}

export function formatSurvivalTable(a: SurvivalAnalysis): string {
  const out: string[] = [
    `${a.file}: ${a.counts.subjects} subjects, ${a.counts.events} events, ${a.counts.rowErrors} row errors`,
  ];
  if (a.cox) {
    const cox = a.cox;
    out.push(
      "",
      `Cox proportional hazards (${cox.ties} ties)`,
      table(
        ["covariate", "coef", "se", "z", "p", "HR", "HR lower 95%", "HR upper 95%"],
        cox.covariates.map((c) => [
          c.name,
          num(c.coef),
          num(c.se),
          num(c.z, 3),
          num(c.p, 4),
          num(c.hazardRatio, 3),
          num(c.hazardRatioLower, 3),
          num(c.hazardRatioUpper, 3),
        ]),
      ),
      `partial log-likelihood ${num(cox.logPartialLikelihood, 3)}, concordance ${num(cox.concordance, 3)}, ` +
        `likelihood-ratio test ${num(cox.likelihoodRatioTest.statistic, 2)} on ${cox.likelihoodRatioTest.degreesOfFreedom} df ` +
        `(p = ${cox.likelihoodRatioTest.pValue.toExponential(2)})`,
    );
  }
  if (a.kaplanMeier.column) {
    out.push(
      "",
      `Kaplan-Meier by ${a.kaplanMeier.column}`,
      table(
        ["group", "subjects", "events", "median"],
        a.kaplanMeier.curves.map((c) => [
          c.group,
          String(c.subjects),
          String(c.events),
          c.median === null ? "not reached" : String(c.median),
        ]),
      ),
    );
  }
  if (a.logRank) {
    out.push(
      `log-rank test: chi-squared ${num(a.logRank.statistic, 3)} on ${a.logRank.degreesOfFreedom} df, p = ${a.logRank.pValue.toExponential(3)}`,
    );
  }
  return `${out.join("\n")}\n`;
}
