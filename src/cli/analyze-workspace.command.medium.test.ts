import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestContext } from "../../test/app.ts";
import { describeDb, useTestDatabase } from "../../test/db.ts";
import { createDemoWorkspace } from "../modules/demo/demo.service.ts";
import { money } from "../modules/retention/report-html.ts";
import { getRiskOverview, listAtRiskCustomers } from "../modules/risk/risk.service.ts";
import { analyzeRisk, analyzeServiceImpact, type CommandOutput } from "./analyze-workspace.command.ts";

// `tend analyze risk|service-impact` on the demo shop: text, JSON and the HTML report come from one result, and the
// report is one file that needs nothing from the network.

function captured(): CommandOutput & { stdout: () => string; stderr: () => string } {
  let stdout = "";
  let stderr = "";
  return {
    out: (text) => {
      stdout += text;
    },
    err: (text) => {
      stderr += text;
    },
    stdout: () => stdout,
    stderr: () => stderr,
  };
}

/** What a self-contained page must not have: scripts, or anything fetched from elsewhere. */
function expectSelfContained(html: string) {
  expect(html.startsWith("<!doctype html>")).toBe(true);
  expect(html).not.toMatch(/<script|<link|<iframe|<img|@import|url\(/i);
  expect(html).not.toMatch(/(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
  expect(html).not.toMatch(/https?:\/\//i);
}

const esc = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const fixed = (value: number, digits: number) => value.toFixed(digits);

describeDb("tend analyze risk and service-impact", () => {
  const database = useTestDatabase();
  const dir = mkdtempSync(path.join(tmpdir(), "tend-analyze-"));
  let ctx: ReturnType<typeof buildTestContext>;

  beforeAll(async () => {
    ctx = buildTestContext(database.current);
    ctx.clock.set("2026-06-01T09:00:00Z");
    await createDemoWorkspace(ctx, { scale: 0.25 });
  }, 180_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  describe("risk", () => {
    it("writes the backtest, calibration, bands and value at risk the JSON gives, and stores nothing", async () => {
      const file = path.join(dir, "risk.html");
      const output = captured();
      await analyzeRisk(ctx, { json: true, html: file }, output);
      expect(output.stderr()).toContain(`wrote the report to ${file}`);
      const json = JSON.parse(output.stdout());
      expect(json.stored).toBeNull();
      expect((await getRiskOverview(ctx)).model).toBeNull();
      expect(json.scored).toBe(json.bands.low + json.bands.medium + json.bands.high);
      expect(json.scored).toBeGreaterThan(100);

      const html = readFileSync(file, "utf8");
      expectSelfContained(html);
      expect(html).toContain("Not stored.");
      const b = json.backtest;
      expect(html).toContain(`Backtest AUC<b>${fixed(b.auc, 3)}</b>`);
      expect(html).toContain(`Backtest Brier score<b>${fixed(b.brier, 4)}</b>`);
      expect(html).toContain(`purchase model alone ${fixed(b.purchaseModelOnly.auc, 3)}`);
      expect(html).toContain(`${b.testCustomers.toLocaleString("en")} customers scored as of`);
      // The calibration chart (one SVG) and its table, one row per tenth with the observed churn.
      expect(html.match(/<svg/g)).toHaveLength(1);
      expect(html.match(/<circle /g)).toHaveLength(b.calibration.length);
      expect(b.calibration).toHaveLength(10);
      for (const [i, bin] of b.calibration.entries()) {
        expect(html).toContain(
          `<th scope="row">${i + 1}</th><td>${Math.round(bin.from * 100)}–${Math.round(bin.to * 100)}</td><td>${(bin.meanPredicted * 100).toFixed(1)}%</td><td>${(bin.observedRate * 100).toFixed(1)}%</td><td>${bin.count}</td>`,
        );
      }
      for (const band of ["high", "medium", "low"] as const) {
        expect(html).toContain(`<th scope="row">${band}</th><td>${json.bands[band]}</td>`);
      }
      expect(json.top).toHaveLength(10);
      const first = json.top[0];
      expect(first.valueAtRiskMinor).toBeGreaterThan(0);
      expect(html).toContain(`(#${first.customerId})</th><td>${fixed(first.score, 1)}</td>`);
      expect(html).toContain(`<td>${esc(money(first.valueAtRiskMinor, json.currency))}</td>`);
      expect(html).toContain(esc(`${first.reasons[0].label}: ${first.reasons[0].value}`));
    });

    it("with --store prints the scores it stored, computed once: the list the dashboard reads", async () => {
      const output = captured();
      const summary = await analyzeRisk(ctx, { store: true, html: path.join(dir, "stored.html") }, output);
      const { model, bands } = await getRiskOverview(ctx);
      expect(model?.customersScored).toBe(summary.scored);
      expect(output.stdout()).toContain(`Stored ${summary.scored} scores (model ${model?.id})`);
      expect(output.stdout()).toContain(`AUC`);
      expect(output.stdout()).toContain(summary.backtest.auc.toFixed(3));
      // One "… storing" step and one "… backtesting" step: the scores were not computed a second time.
      expect(output.stderr().match(/backtesting on/g)).toHaveLength(1);
      expect(output.stderr()).toContain(`storing ${summary.scored} scores`);
      expect(Object.fromEntries(bands.map((row) => [row.band, row.n]))).toEqual(
        Object.fromEntries(Object.entries(summary.bands).filter(([, n]) => n > 0)),
      );
      const list = await listAtRiskCustomers(ctx, { limit: 10, offset: 0, orderBy: "value" });
      expect(
        summary.top.map((row) => ({ id: row.customerId, atRisk: row.valueAtRiskMinor, score: row.score })),
      ).toEqual(
        list.items.map((row) => ({ id: row.customerId, atRisk: row.valueAtRiskMinor, score: row.score })),
      );
      expect(summary.top[0].name).toBe(list.items[0].name);
      expect(readFileSync(path.join(dir, "stored.html"), "utf8")).toContain(
        "Stored for the dashboard and the inbox.",
      );
    });
  });

  describe("service-impact", () => {
    // With 120 days for a lapse, the demo at this scale has experiences with a fitted hazard ratio and thin ones.
    const settings = { lapseDays: 120, recencyDays: 30, horizonDays: 365 };

    it("writes per experience the curves, the hazard ratio with its interval and the money the JSON gives", async () => {
      const file = path.join(dir, "impact.html");
      const output = captured();
      await analyzeServiceImpact(ctx, { ...settings, json: true, html: file }, output);
      const json = JSON.parse(output.stdout());
      const html = readFileSync(file, "utf8");
      expectSelfContained(html);
      expect(html).toContain(`${json.customers} customers, ${json.contacts} tickets`);
      expect(html).toContain(esc(json.summary));
      const fitted = json.experiences.filter((e: { hazardRatio: unknown }) => e.hazardRatio !== null);
      expect(fitted.length).toBeGreaterThan(0);
      expect(fitted.length).toBeLessThan(json.experiences.length);
      // A forest plot (a marker per fitted experience), then a survival chart per experience with curves.
      const charted = json.experiences.filter(
        (e: { curves: { exposed: unknown[]; unexposed: unknown[] } }) =>
          e.curves.exposed.length > 1 || e.curves.unexposed.length > 1,
      );
      expect(html.match(/<svg/g)).toHaveLength(1 + charted.length);
      expect(html).toContain('aria-label="Forest plot of hazard ratios with 95% intervals"');
      for (const e of json.experiences) {
        expect(html).toContain(`<h3>${esc(e.label)}</h3>`);
        expect(html).toContain(esc(e.message));
        if (e.conclusion === "too_thin") expect(html).toContain(`<p class="thin">${esc(e.message)}</p>`);
        if (e.hazardRatio) {
          const hr = e.hazardRatio;
          expect(html).toContain(
            `Hazard ratio ${fixed(hr.value, 2)} (95% ${fixed(hr.lower, 2)}–${fixed(hr.upper, 2)}`,
          );
          expect(html).toContain(`<title>${esc(`${e.label}: hazard ratio ${fixed(hr.value, 2)}`)}`);
        }
        if (e.valueLostPerEventMinor) {
          expect(html).toContain(
            `Value lost per contact like this: <b>${esc(money(e.valueLostPerEventMinor.value, json.currency))}</b>`,
          );
        }
      }
    });

    it("says plainly when there is too little data, without a forest plot", async () => {
      const file = path.join(dir, "thin.html");
      const output = captured();
      // Ten years without an order before anyone counts as lost: nobody has churned, so nothing can be concluded.
      await analyzeServiceImpact(ctx, { ...settings, lapseDays: 3650, html: file }, output);
      expect(output.stdout()).toContain("Too little data");
      const html = readFileSync(file, "utf8");
      expectSelfContained(html);
      expect(html).toContain("No experience had enough data for a hazard ratio.");
      expect(html).not.toContain("Forest plot");
      expect(html.match(/<p class="thin">Too little data to conclude anything/g)).toHaveLength(4);
      expect(html.match(/<td>Too little data<\/td>/g)).toHaveLength(4);
    });
  });
});
