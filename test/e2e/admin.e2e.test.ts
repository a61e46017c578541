// A lead's and an admin's screens in the browser: the SLA report of a seeded (demo) workspace as a chart and a
// table whose figures are the API's; an admin changing an SLA policy's first-response target; a lead closing
// the loop on a low survey score; and a lead reading a rising theme and the messages behind it. The real app (API and web/dist) on an in-memory PGlite, in headless Chromium.
import { spawnSync } from "node:child_process";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createManualClock, systemClock } from "../../src/clock.ts";
import { buildConfig } from "../../src/config.ts";
import type { AppContext } from "../../src/context.ts";
import { type Database, openPglite } from "../../src/db/client.ts";
import { migrateDatabase } from "../../src/db/migrate.ts";
import { createEventBus } from "../../src/events/event-bus.ts";
import { buildApp } from "../../src/http/app.ts";
import { createDemoWorkspace } from "../../src/modules/demo/demo.service.ts";
import { createUser } from "../../src/modules/users/users.service.ts";
import { buildCustomer, buildTicket } from "../factories.ts";
import { chromiumAvailable, type LaunchedBrowser, launchBrowser } from "./browser.ts";
import { repoRoot } from "./processes.ts";

const describeBrowser = chromiumAvailable() ? describe : describe.skip;

type Session = { headers: Record<string, string> };

describeBrowser("lead and admin screens in the browser", () => {
  let database: Database;
  let ctx: AppContext;
  let app: FastifyInstance;
  let baseUrl: string;
  let browser: LaunchedBrowser;
  let page: Page;
  const lead = { email: "lena@tend.test", password: "a long enough lead password" };
  const admin = { email: "ada@tend.test", password: "a long enough admin password" };

  async function apiLogin(login: { email: string; password: string }): Promise<Session> {
    const response = await fetch(`${baseUrl}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(login),
    });
    expect(response.status).toBe(200);
    const cookie = /tend_session=([^;]+)/.exec(response.headers.get("set-cookie") ?? "")?.[1];
    const { csrfToken } = (await response.json()) as { csrfToken: string };
    return {
      headers: {
        cookie: `tend_session=${cookie}`,
        "x-csrf-token": csrfToken,
        "content-type": "application/json",
      },
    };
  }

  async function signInThroughTheForm(login: { email: string; password: string }) {
    await page.getByLabel("Email").fill(login.email);
    await page.getByLabel("Password").fill(login.password);
    await page.getByRole("button", { name: "Sign in" }).click();
  }

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
    // Two years of tickets with their SLA history, teams and survey answers.
    await createDemoWorkspace(ctx, { scale: 0.03 });
    await createUser(ctx, { ...lead, name: "Lena Lead", role: "lead" });
    await createUser(ctx, { ...admin, name: "Ada Admin", role: "admin" });
    app = await buildApp({ context: ctx });
    baseUrl = await app.listen({ host: "127.0.0.1", port: 0 });
    browser = await launchBrowser({ viewport: { width: 1366, height: 768 } });
    page = await browser.context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await database?.close();
  });

  it("shows a lead the SLA report as a chart and a table with the seeded figures", async () => {
    const session = await apiLogin(lead);
    await page.goto(`${baseUrl}/reports/sla`);
    await signInThroughTheForm(lead);
    await page.getByRole("heading", { name: "SLA report", level: 1 }).waitFor();

    // A whole year by team: the demo's tickets fall in it.
    const to = new Date().toISOString().slice(0, 10);
    const from = new Date(Date.now() - 364 * 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel("From", { exact: true }).fill(from);
    await page.getByLabel("To", { exact: true }).fill(to);
    const expected = (await (
      await fetch(`${baseUrl}/api/v1/sla/report?groupBy=team&from=${from}&to=${to}`, {
        headers: session.headers,
      })
    ).json()) as {
      rows: { group: { label: string | null }; metric: string; completed: number; met: number }[];
    };
    const firstResponse = expected.rows.find((row) => row.metric === "first_response" && row.completed > 0);
    expect(firstResponse).toBeDefined();
    if (!firstResponse) return;

    const table = page.getByTestId("sla-report-table");
    const row = table
      .getByRole("row")
      .filter({ has: page.getByRole("rowheader", { name: firstResponse.group.label ?? "None" }) })
      .filter({ hasText: "First response" });
    await expect
      .poll(async () => (await row.getByRole("cell").allTextContents()).slice(0, 4))
      .toEqual([
        "First response",
        String(firstResponse.completed),
        expect.any(String),
        String(firstResponse.met),
      ]);
    // The chart draws a bar per team and metric and says in words what it shows.
    const chart = page.getByRole("img", { name: /^Chart\./ });
    await expect.poll(() => chart.getAttribute("aria-label")).toContain(firstResponse.group.label ?? "None");
    expect(await page.locator(".recharts-bar-rectangle").count()).toBeGreaterThan(0);
    // The CSV holds the same table.
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Download CSV" }).click(),
    ]);
    const csvPath = await download.path();
    const csv = (await import("node:fs")).readFileSync(csvPath, "utf8");
    expect(csv.split("\r\n")[0]).toBe(
      "Team,Target,Completed,With a target,Met,Share met,Median (business min),90th percentile (business min)",
    );
    expect(csv).toContain(`First response,${firstResponse.completed},`);
    // Usable at 1366x768: the page does not scroll sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  });

  it("lets the lead read SLA policies only, and an admin change a target that is then saved", async () => {
    await page.getByRole("navigation").getByRole("link", { name: "SLA" }).last().click();
    await page.getByRole("heading", { name: "SLA policies", level: 1 }).waitFor();
    expect(await page.getByText("Only admins can change these").count()).toBe(1);
    expect(await page.getByRole("button", { name: "New policy" }).count()).toBe(0);

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.goto(`${baseUrl}/settings/sla`);
    await signInThroughTheForm(admin);
    await page.getByRole("heading", { name: "SLA policies", level: 1 }).waitFor();
    const policies = page.getByRole("table").first();
    const firstPolicy =
      (await policies.getByRole("rowheader").first().textContent())?.replace(" (off)", "") ?? "";
    await page.getByRole("button", { name: `Edit ${firstPolicy}` }).click();

    const target = page.getByLabel("First response (business minutes)");
    // A bad value: the server's message appears next to the field.
    await target.fill("0");
    await page.getByRole("button", { name: "Save policy" }).click();
    await expect.poll(() => target.getAttribute("aria-invalid")).toBe("true");
    const describedBy = (await target.getAttribute("aria-describedby")) ?? "";
    await expect.poll(() => page.locator(`[id="${describedBy}"]`).textContent()).toMatch(/>=\s*1|too small/i);

    await target.fill("95");
    await page.getByRole("button", { name: "Save policy" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toContain(`Saved “${firstPolicy}”`);
    const savedRow = policies
      .getByRole("row")
      .filter({ has: page.getByRole("rowheader", { name: firstPolicy }) });
    await expect.poll(() => savedRow.getByRole("cell").nth(1).textContent()).toBe("1 h 35 min");

    await page.reload();
    await page.getByRole("heading", { name: "SLA policies", level: 1 }).waitFor();
    await expect
      .poll(() =>
        page
          .getByRole("row")
          .filter({ has: page.getByRole("rowheader", { name: firstPolicy }) })
          .getByRole("cell")
          .nth(1)
          .textContent(),
      )
      .toBe("1 h 35 min");
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("button", { name: "Sign in" }).waitFor();
  });

  it("lets a lead record how the follow-up of a low score went", async () => {
    const leadSession = await apiLogin(lead);
    const customerId = await buildCustomer(ctx, { email: "rosa@customer.example", name: "Rosa Díaz" });
    const ticket = await buildTicket(ctx, { customerId, subject: "Kettle stopped heating" });
    const sent = await fetch(`${baseUrl}/api/v1/surveys/sends`, {
      method: "POST",
      headers: leadSession.headers,
      body: JSON.stringify({ customerId, kind: "csat", ticketId: ticket.id, channel: "api" }),
    });
    expect(sent.status).toBe(201);
    const { responseUrl } = (await sent.json()) as { responseUrl: string };
    const token = responseUrl.split("/").pop();
    const answered = await fetch(`${baseUrl}/api/v1/surveys/public/${token}/response`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ score: 1, comment: "Nobody told me it would take a week." }),
    });
    expect(answered.status).toBe(201);

    await page.goto(`${baseUrl}/reports/surveys`);
    await signInThroughTheForm(lead);
    await page.getByRole("heading", { name: "Survey report", level: 1 }).waitFor();
    const recovery = page.getByRole("listitem").filter({ has: page.getByText("Rosa Díaz", { exact: true }) });
    await recovery.getByText("“Nobody told me it would take a week.”").first().waitFor();
    await recovery.getByLabel("Outcome for Rosa Díaz").selectOption("recovered");
    await recovery.getByLabel("Note").fill("Sent a new heating element");
    await recovery.getByRole("button", { name: "Record outcome" }).click();

    await expect
      .poll(() => page.getByRole("status").textContent())
      .toBe("Recorded “Recovered” for Rosa Díaz.");
    const done = page.getByTestId("recoveries-done").getByRole("listitem").filter({ hasText: "Rosa Díaz" });
    await expect.poll(() => done.textContent()).toContain("Sent a new heating element");
    expect(await done.getByRole("button", { name: "Record outcome" }).count()).toBe(0);

    // The overall score and its table come from the seeded answers.
    await expect.poll(() => page.getByTestId("survey-overall").textContent()).toMatch(/^\d+(\.\d)?%$/);
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("button", { name: "Sign in" }).waitFor();
  });

  it("shows a lead a rising theme in what customers are saying, and the messages behind it", async () => {
    const texts = [
      "The parcel locker code did not work, so I could not collect my order.",
      "Your parcel locker code was wrong again. Please send a new one.",
      "I never received the parcel locker code by text message.",
      "Parcel locker code expired before I got there!",
    ];
    const ticketIds: number[] = [];
    for (const [index, text] of texts.entries()) {
      const customerId = await buildCustomer(ctx, { email: `locker${index}@customer.example` });
      ticketIds.push((await buildTicket(ctx, { customerId, subject: `Locker code ${index + 1}`, text })).id);
    }
    // Once in the 30 days before, so it is rising rather than new.
    const earlier = { ...ctx, clock: createManualClock(new Date(Date.now() - 40 * 86_400_000)) };
    const earlierCustomer = await buildCustomer(earlier, { email: "locker-early@customer.example" });
    await buildTicket(earlier, {
      customerId: earlierCustomer,
      subject: "Locker",
      text: "The parcel locker code is not in the mail.",
    });

    await page.goto(`${baseUrl}/reports/themes`);
    await signInThroughTheForm(lead);
    await page.getByRole("heading", { name: "What customers are saying", level: 1 }).waitFor();
    await expect
      .poll(() => page.getByTestId("themes-rising").textContent())
      .toContain("parcel locker code (4, up from 1)");

    const row = page
      .getByRole("row")
      .filter({ has: page.getByRole("button", { name: "parcel locker code" }) });
    expect(await row.getByRole("cell").allTextContents()).toEqual([
      "parcel locker code",
      "4",
      "1",
      "+3",
      "Rising ↑",
    ]);
    const chart = page.getByRole("img", { name: /^Bar chart of mentions/ });
    expect(await chart.getAttribute("aria-label")).toContain("parcel locker code: 4, before 1");
    expect(await page.locator(".recharts-bar-rectangle").count()).toBeGreaterThan(0);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);

    // The table as CSV, built in the browser with the shared writer.
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Download CSV of themes, last 30 days" }).click(),
    ]);
    const csv = (await import("node:fs")).readFileSync(await download.path(), "utf8");
    expect(csv.split("\r\n")[0]).toBe("Theme,Mentions,30 days before,Change,Trend");
    expect(csv).toContain("\r\nparcel locker code,4,1,3,Rising\r\n");

    // Picking the theme shows what customers wrote, newest first, each with its ticket.
    await row.getByRole("button", { name: "parcel locker code" }).click();
    const verbatims = page.getByTestId("theme-verbatims");
    await verbatims.getByRole("heading", { name: "“parcel locker code”: what customers wrote" }).waitFor();
    const quotes = await verbatims.locator("blockquote").allTextContents();
    expect(quotes).toEqual([
      "“Parcel locker code expired before I got there!”",
      "“I never received the parcel locker code by text message.”",
      "“Your parcel locker code was wrong again.”",
      "“The parcel locker code did not work, so I could not collect my order.”",
    ]);
    const newest = verbatims.getByRole("link", { name: `ticket #${ticketIds[3]}` });
    expect(await newest.getAttribute("href")).toBe(`/inbox/all/tickets/${ticketIds[3]}`);
    await newest.click();
    await page.getByRole("heading", { name: "Locker code 4" }).waitFor();
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("button", { name: "Sign in" }).waitFor();
  });

  it("lets an admin write a macro against its live preview and switch a rule off", async () => {
    await page.goto(`${baseUrl}/settings/macros`);
    await signInThroughTheForm(admin);
    await page.getByRole("heading", { name: "Macros", level: 1 }).waitFor();
    await page.getByRole("button", { name: "New macro" }).click();
    await page.getByLabel("Title").fill("Lid on its way");
    const text = page.getByLabel("Reply text");
    await text.fill("Hi {{customer.first_name}}, a new lid for order {{order.last.number}} is on its way.");
    await expect
      .poll(() => page.getByTestId("macro-preview").textContent())
      .toBe("Hi Ana, a new lid for order #10381 is on its way.");
    // A variable the server does not know: its message appears under the text.
    await text.fill("Hi {{customer.nickname}}");
    await page.getByRole("button", { name: "Save macro" }).click();
    await expect.poll(() => text.getAttribute("aria-invalid")).toBe("true");
    const bodyError = page.locator(`[id="${await text.getAttribute("aria-describedby")}"]`);
    await expect.poll(() => bodyError.textContent()).toContain("customer.nickname");
    await text.fill("Hi {{customer.first_name}}, a new lid is on its way.");
    await page.getByLabel("Add tags (comma-separated)").fill("lid, replacement");
    await page.getByRole("button", { name: "Save macro" }).click();
    const macroRow = page
      .getByRole("row")
      .filter({ has: page.getByRole("rowheader", { name: "Lid on its way" }) });
    await expect.poll(() => macroRow.getByRole("cell").first().textContent()).toBe("+lid, +replacement");

    // Rules: an existing rule opens and saves unchanged (its conditions survive the form), then goes off.
    await page.getByRole("navigation").getByRole("link", { name: "Rules" }).click();
    await page.getByRole("heading", { name: "Rules", level: 1 }).waitFor();
    const ruleName = (await page.getByRole("table").getByRole("rowheader").first().textContent()) ?? "";
    await page.getByRole("button", { name: `Edit ${ruleName}` }).click();
    await page.getByRole("button", { name: "Save rule" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toBe(`Saved “${ruleName}”.`);
    const enabled = page.getByRole("checkbox", { name: `${ruleName} enabled` });
    expect(await enabled.isChecked()).toBe(true);
    await enabled.uncheck();
    await expect.poll(() => page.getByRole("status").textContent()).toBe(`“${ruleName}” is off.`);
    await page.reload();
    await page.getByRole("heading", { name: "Rules", level: 1 }).waitFor();
    await expect
      .poll(() => page.getByRole("checkbox", { name: `${ruleName} enabled` }).isChecked())
      .toBe(false);
    await page.getByRole("button", { name: "Sign out" }).click();
  });
});
