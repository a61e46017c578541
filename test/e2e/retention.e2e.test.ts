// A lead's look at retention in the browser: the demo workspace (two years of orders and tickets), churn risk
// scored as the nightly job does, then the dashboard at 1366x768: the cohort heatmap is a real table with values in
// its cells, the risk list ranks customers by value at risk and links to their tickets, and tables download as CSV
// (from the API's ?format=csv, and built in the browser where the API has none).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../src/clock.ts";
import { buildConfig } from "../../src/config.ts";
import type { AppContext } from "../../src/context.ts";
import { type Database, openPglite } from "../../src/db/client.ts";
import { migrateDatabase } from "../../src/db/migrate.ts";
import { createEventBus } from "../../src/events/event-bus.ts";
import { buildApp } from "../../src/http/app.ts";
import { createDemoWorkspace } from "../../src/modules/demo/demo.service.ts";
import { rescoreAllCustomers } from "../../src/modules/risk/risk.service.ts";
import { createUser } from "../../src/modules/users/users.service.ts";
import { chromiumAvailable, type LaunchedBrowser, launchBrowser } from "./browser.ts";
import { repoRoot } from "./processes.ts";

const describeBrowser = chromiumAvailable() ? describe : describe.skip;

describeBrowser("retention dashboard in the browser", () => {
  let database: Database;
  let ctx: AppContext;
  let app: FastifyInstance;
  let baseUrl: string;
  let browser: LaunchedBrowser;
  let page: Page;
  /** Both halves of the dashboard's API (retention measures, churn risk) are registered in this build. */
  let apisReady = false;
  const lead = { email: "lena@shop.test", password: "a long enough password" };
  const agent = { email: "lee@shop.test", password: "another long password" };

  beforeAll(async () => {
    const build = spawnSync(process.execPath, [path.join(repoRoot, "scripts/ensure-web-build.mjs")], {
      cwd: repoRoot,
      encoding: "utf8",
    });
    if (build.status !== 0) throw new Error(`building the web app failed:\n${build.stdout}${build.stderr}`);

    database = await openPglite("memory://");
    await migrateDatabase(database);
    // The real clock: the browser drops a session cookie whose expiry lies in a manual clock's past.
    ctx = {
      db: database.db,
      database,
      clock: systemClock,
      events: createEventBus(),
      config: buildConfig({ logLevel: "silent" }),
    };
    await createDemoWorkspace(ctx, { scale: 0.1 });
    await rescoreAllCustomers(ctx);
    await createUser(ctx, { ...lead, name: "Lena Lead", role: "lead" });
    await createUser(ctx, { ...agent, name: "Lee Agent", role: "agent" });
    app = await buildApp({ context: ctx });
    apisReady =
      app.hasRoute({ method: "GET", url: "/api/v1/retention/cohorts" }) &&
      app.hasRoute({ method: "GET", url: "/api/v1/retention/risk" });
    baseUrl = await app.listen({ host: "127.0.0.1", port: 0 });
    browser = await launchBrowser({ viewport: { width: 1366, height: 768 } });
    page = await browser.context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await database?.close();
  });

  async function signIn(login: { email: string; password: string }) {
    await page.getByLabel("Email").fill(login.email);
    await page.getByLabel("Password").fill(login.password);
    await page.getByRole("button", { name: "Sign in" }).click();
  }

  async function downloadedText(trigger: () => Promise<void>): Promise<{ name: string; text: string }> {
    const [download] = await Promise.all([page.waitForEvent("download"), trigger()]);
    const file = await download.path();
    return { name: download.suggestedFilename(), text: fs.readFileSync(file, "utf8") };
  }

  it("shows a lead the cohort heatmap and the customers at risk, and downloads tables as CSV", async () => {
    expect(apisReady).toBe(true);
    await page.goto(`${baseUrl}/retention`);
    await signIn(lead);
    await page.getByRole("heading", { name: "Retention", exact: true }).waitFor();

    // Headline figures are percentages.
    await expect.poll(() => page.getByTestId("headline-retention").textContent()).toMatch(/\d+\.\d%/);

    // The heatmap is a table: a row per cohort, month 0 holds the whole cohort.
    const heatmap = page.getByTestId("cohort-heatmap");
    await heatmap.waitFor();
    const cohortRows = heatmap.locator("tbody tr");
    expect(await cohortRows.count()).toBeGreaterThan(12);
    const firstRow = cohortRows.first();
    expect(await firstRow.locator("th").textContent()).toMatch(/^\d{4}-\d{2}$/);
    expect(await firstRow.locator("td.heat").first().textContent()).toBe("100%");
    expect(await heatmap.getByRole("columnheader", { name: "Month 1", exact: true }).count()).toBe(1);

    // Cohort CSV comes from the API.
    const cohortCsv = await downloadedText(() =>
      page
        .locator("#cohorts")
        .getByRole("link", { name: /Download CSV/ })
        .click(),
    );
    expect(cohortCsv.text.split(/\r?\n/)[0].toLowerCase()).toContain("cohort");
    expect(cohortCsv.text.split(/\r?\n/).filter(Boolean).length).toBeGreaterThan(12);

    // The risk list: largest value at risk first, each name links to the customer's tickets.
    const risk = page.locator("#risk");
    await risk.scrollIntoViewIfNeeded();
    const riskRows = risk.locator("tbody tr");
    await riskRows.first().waitFor();
    const count = await riskRows.count();
    expect(count).toBeGreaterThan(0);
    const valuesAtRisk = await risk.locator("tbody tr td:nth-child(5)").allTextContents();
    const amounts = valuesAtRisk.map((text) => Number(text.replace(/[^0-9.]/g, "") || "0"));
    expect(amounts).toEqual([...amounts].sort((a, b) => b - a));
    const link = riskRows.first().getByRole("link");
    expect(await link.getAttribute("href")).toMatch(/^\/inbox\/all\?q=.+%40/);

    // Only high-risk customers when the band filter says so.
    await risk.getByLabel("Band").selectOption("high");
    await expect
      .poll(async () => [...new Set(await risk.locator("tbody .badge").allTextContents())])
      .toEqual(["High"]);

    // The risk list's CSV comes from the API, filtered like the table.
    const riskCsv = await downloadedText(() => risk.getByRole("link", { name: /Download CSV/ }).click());
    const riskLines = riskCsv.text.split(/\r?\n/).filter(Boolean);
    expect(riskLines[0]).toMatch(/^customer_id,name,email,score,band/);
    expect(riskLines.length).toBeGreaterThan(1);
    expect(riskLines.slice(1).every((line) => line.includes(",high,"))).toBe(true);

    // Tables the API has no CSV for are built in the browser: the model's calibration bins.
    const model = page.locator("#model");
    await model.scrollIntoViewIfNeeded();
    const calibrationRows = await model
      .getByRole("region", { name: "Calibration", exact: true })
      .locator("tbody tr")
      .count();
    expect(calibrationRows).toBeGreaterThan(1);
    const calibrationCsv = await downloadedText(() =>
      model.getByRole("button", { name: "Download CSV of calibration" }).click(),
    );
    expect(calibrationCsv.name).toMatch(/^calibration-\d{4}-\d{2}-\d{2}\.csv$/);
    const lines = calibrationCsv.text.split("\r\n").filter(Boolean);
    expect(lines[0]).toBe("Scores,Predicted churn,Observed churn,Customers");
    expect(lines).toHaveLength(calibrationRows + 1);

    // Fits the laptop screen: the page scrolls down, never sideways.
    const overflow = await page.evaluate(() => {
      const main = document.querySelector(".retention-page");
      return main ? main.scrollWidth - main.clientWidth : -1;
    });
    expect(overflow).toBe(0);
  });

  it("tells an agent the dashboard is for leads and admins, and offers no link to it", async () => {
    await browser.context.clearCookies();
    await page.goto(`${baseUrl}/retention`);
    await signIn(agent);
    await page.getByText("Only leads and admins can see the retention dashboard").waitFor();
    expect(await page.getByTestId("cohort-heatmap").count()).toBe(0);
    await page.goto(`${baseUrl}/inbox/mine`);
    await page.getByRole("navigation", { name: "Inbox views" }).waitFor();
    expect(await page.getByRole("link", { name: "Retention" }).count()).toBe(0);
  });
});
