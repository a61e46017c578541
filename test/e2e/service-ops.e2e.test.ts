// Service operations at the agent's desk, in Chromium at 1366x768: a ticket whose first-response SLA is about to
// breach shows the warning chip in the inbox, rings the bell and leads "Breaching soon"; on the ticket page the
// agent reads its SLA clocks, applies a macro from the keyboard and logs a phone call, which answers the first
// response. Tend runs in this process with an injected manual clock (moved forward, never slept on); the browser's
// clock is set to the same time so "… ago" reads the same on both sides.
import { spawnSync } from "node:child_process";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createManualClock, type ManualClock } from "../../src/clock.ts";
import { buildConfig } from "../../src/config.ts";
import type { AppContext } from "../../src/context.ts";
import { type Database, openPglite } from "../../src/db/client.ts";
import { migrateDatabase } from "../../src/db/migrate.ts";
import { createEventBus } from "../../src/events/event-bus.ts";
import { buildApp } from "../../src/http/app.ts";
import { saveRiskScores } from "../../src/modules/risk/risk.repo.ts";
import { createUser } from "../../src/modules/users/users.service.ts";
import { runSlaSweep } from "../../src/workflows/sla-sweep.workflow.ts";
import { ensureWorkspaceDefaults } from "../../src/workflows/workspace-defaults.workflow.ts";
import { buildCustomer, buildTicket } from "../factories.ts";
import { chromiumAvailable, type LaunchedBrowser, launchBrowser } from "./browser.ts";
import { repoRoot } from "./processes.ts";

const describeBrowser = chromiumAvailable() ? describe : describe.skip;

/** 09:00 UTC on a Monday at least a week ahead: inside office hours, and later than the real time, so the
 * browser keeps the session cookie (its expiry follows the injected clock). */
function mondayMorningAhead(): Date {
  const day = new Date();
  day.setUTCDate(day.getUTCDate() + 7 + ((8 - day.getUTCDay()) % 7));
  day.setUTCHours(9, 0, 0, 0);
  return day;
}

describeBrowser("service operations at the agent's desk", () => {
  let database: Database;
  let ctx: AppContext & { clock: ManualClock };
  let app: FastifyInstance;
  let baseUrl: string;
  let browser: LaunchedBrowser;
  let page: Page;
  const login = { email: "maria@tend.test", password: "a long enough password" };

  beforeAll(async () => {
    const build = spawnSync(process.execPath, [path.join(repoRoot, "scripts/ensure-web-build.mjs")], {
      cwd: repoRoot,
      encoding: "utf8",
    });
    if (build.status !== 0) throw new Error(`building the web app failed:\n${build.stdout}${build.stderr}`);

    database = await openPglite("memory://");
    await migrateDatabase(database);
    ctx = {
      db: database.db,
      database,
      clock: createManualClock(mondayMorningAhead()),
      events: createEventBus(),
      config: buildConfig({ logLevel: "silent" }),
    };
    // Office hours Monday to Friday 09:00-17:00 UTC; "Standard" answers first within 8 business hours, warns at 75%.
    await ensureWorkspaceDefaults(ctx);
    await createUser(ctx, { ...login, name: "Maria Agent", role: "agent" });
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

  it("warns before the first response is late, then a macro and a logged call answer it", async () => {
    const agent = await database.db.query.users.findFirst();
    const rosa = await buildCustomer(ctx, { email: "rosa@customer.example", name: "Rosa Díaz" });
    const late = await buildTicket(ctx, {
      customerId: rosa,
      subject: "Parcel never arrived",
      text: "It has been two weeks and my parcel is still not here.",
      assigneeId: agent?.id ?? null,
    });
    ctx.clock.advance(5 * 3_600_000); // 14:00
    const fresh = await buildTicket(ctx, {
      subject: "Gift wrapping question",
      text: "Can you gift wrap my order?",
      assigneeId: agent?.id ?? null,
    });
    ctx.clock.advance(90 * 60_000); // 15:30: 6.5 of 8 hours used on the first ticket, 1.5 on the second
    expect(await runSlaSweep(ctx)).toMatchObject({ warned: 1, breached: 0 });
    // Rosa's churn score as the nightly job would store it (the scoring itself is tested in src/analytics).
    await saveRiskScores(ctx.db, [
      {
        customerId: rosa,
        modelId: null,
        scoredAt: ctx.clock.now(),
        score: 81,
        band: "high",
        pAlive: 0.3,
        reasons: [],
        predictedValueMinor: 60_000,
        currency: "EUR",
        valueAtRiskMinor: 48_600,
      },
    ]);

    await page.clock.setFixedTime(ctx.clock.now());
    await page.goto(`${baseUrl}/inbox/mine`);
    await page.getByLabel("Email").fill(login.email);
    await page.getByLabel("Password").fill(login.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("Live", { exact: true }).waitFor();

    // The inbox: the late ticket's chip warns, with the whole sentence for screen readers; the other is calm.
    const lateRow = page.locator(".ticket-row", { hasText: "Parcel never arrived" });
    const freshRow = page.locator(".ticket-row", { hasText: "Gift wrapping question" });
    const lateChip = lateRow.getByTestId("sla-chip");
    await lateChip.waitFor();
    expect(await lateChip.getAttribute("data-sla-tone")).toBe("warning");
    expect(await lateChip.locator("[aria-hidden=true]").textContent()).toBe("1st reply · 1h 30m left");
    expect(await lateChip.locator(".visually-hidden").textContent()).toBe(
      "SLA first response: breaching soon, 1h 30m of business time left",
    );
    expect(await lateRow.getAttribute("class")).toContain("sla-flag-warning");
    expect(await lateRow.getByTestId("risk-chip").locator("[aria-hidden=true]").textContent()).toBe(
      "€486 at risk · high",
    );
    expect(await freshRow.getByTestId("risk-chip").count()).toBe(0);
    expect(await lateChip.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe("rgb(255, 240, 194)");
    expect(await freshRow.getByTestId("sla-chip").getAttribute("data-sla-tone")).toBe("ok");
    expect(await freshRow.getByTestId("sla-chip").locator("[aria-hidden=true]").textContent()).toBe(
      "1st reply · 6h 30m left",
    );
    expect(await freshRow.getAttribute("class")).not.toContain("sla-flag");

    // The sweep's warning reached the assignee's bell.
    await page.getByRole("button", { name: "Notifications, 1 unread" }).click();
    const panel = page.getByRole("dialog", { name: "Notifications" });
    await panel.getByText(`#${late.id}`).waitFor();
    await panel.getByRole("button", { name: "Mark all read" }).click();
    await page.getByRole("button", { name: "Notifications", exact: true }).waitFor();
    await page.keyboard.press("Escape");

    // "Breaching soon" lists the late ticket first.
    await page.getByRole("link", { name: /Breaching soon/ }).click();
    await page.getByRole("heading", { name: "Breaching soon" }).waitFor();
    await expect
      .poll(() => page.locator(".ticket-row .row-subject").first().textContent())
      .toBe("Parcel never arrived");
    expect(await page.getByTestId("count-breaching").textContent()).toMatch(/^2/);

    // The ticket page: one line per SLA clock.
    await lateRow.getByRole("link").click();
    await page.getByRole("heading", { name: "Parcel never arrived" }).waitFor();
    const firstResponse = page.getByTestId("sla-first_response");
    await expect.poll(() => firstResponse.textContent()).toMatch(/^First response1h 30m leftdue /);
    expect(await firstResponse.getAttribute("class")).toContain("sla-warning");
    expect(await page.getByTestId("sla-resolution").textContent()).toMatch(/^Resolution33h 30m leftdue /);
    const risk = page.getByTestId("customer-risk");
    await expect
      .poll(() => risk.textContent())
      .toBe("Predicted 12-month value€600Churn riskhigh 81 / 100Value at risk€486");

    // "/" in the empty reply opens the macros too; Esc closes them and leaves the reply as it was.
    await page.keyboard.press("r");
    await page.keyboard.press("/");
    await page.getByRole("combobox", { name: "Find a macro" }).waitFor();
    await page.keyboard.press("Escape");
    await page.getByRole("combobox", { name: "Find a macro" }).waitFor({ state: "detached" });
    expect(await page.getByLabel("Reply to Rosa Díaz").inputValue()).toBe("");
    await page.keyboard.press("Escape"); // leaves the reply box, so letters are shortcuts again

    // A macro from the keyboard: m, type to filter, Enter. Its text (variables filled in) lands in the reply.
    await page.keyboard.press("m");
    const finder = page.getByRole("combobox", { name: "Find a macro" });
    await finder.waitFor();
    await page.keyboard.type("late order");
    await expect
      .poll(() =>
        page.getByRole("listbox", { name: "Macros" }).getByRole("option", { selected: true }).textContent(),
      )
      .toContain("Apologise for a late order");
    await page.keyboard.press("Enter");
    const reply = page.getByLabel("Reply to Rosa Díaz");
    await expect.poll(() => reply.inputValue()).toMatch(/^Hi Rosa,\n\nI'm really sorry your order/);
    expect(await reply.inputValue()).toContain("Maria");
    await expect
      .poll(() => page.getByTestId("announcer").textContent())
      .toContain("Macro “Apologise for a late order” applied (Tags: +late-delivery)");
    const tags = await page.evaluate(
      async (id) => ((await (await fetch(`/api/v1/tickets/${id}`)).json()) as { tags: string[] }).tags,
      late.id,
    );
    expect(tags).toContain("late-delivery");

    // Log the call the customer made; it shows as a call in the thread and answers the first response.
    await page.getByRole("button", { name: /^Log call/ }).click();
    const dialog = page.getByRole("dialog", { name: "Log a call" });
    await dialog.getByLabel("Rosa Díaz called").check();
    await dialog.getByLabel("Minutes").fill("4");
    await dialog.getByLabel("Seconds").fill("30");
    await dialog.getByLabel("Outcome").selectOption("answered");
    await dialog.getByLabel("Notes").fill("Courier lost the parcel; a new one goes out today.");
    await dialog.getByRole("button", { name: "Log call" }).click();
    const call = page.locator(".msg-call", { hasText: "Courier lost the parcel" });
    await call.waitFor();
    expect(await call.locator(".call-summary").textContent()).toBe("☎ Incoming call · 4m 30s · Answered");
    expect(await call.getAttribute("aria-label")).toMatch(/^Phone call from /);
    expect(await dialog.count()).toBe(0);
    await expect.poll(() => firstResponse.textContent()).toMatch(/^First responseMetat /);

    // The inbox row follows live: the next clock (resolution) is the one shown now, and it is calm.
    await expect.poll(() => lateRow.getByTestId("sla-chip").getAttribute("data-sla-tone")).toBe("ok");
    expect(await lateRow.getByTestId("sla-chip").locator("[aria-hidden=true]").textContent()).toMatch(
      /^Resolve · /,
    );
    // Tuesday 16:00: the gift-wrapping ticket's first response (due 14:00 after 8 business hours) is late. The
    // sweep's breach reaches the open inbox live; the chip turns red and says since when.
    ctx.clock.set(new Date(ctx.clock.now().getTime() + 24.5 * 3_600_000));
    await page.clock.setFixedTime(ctx.clock.now());
    expect(await runSlaSweep(ctx)).toMatchObject({ breached: 1 });
    const freshChip = freshRow.getByTestId("sla-chip");
    await expect.poll(() => freshChip.getAttribute("data-sla-tone")).toBe("breached");
    expect(await freshChip.locator("[aria-hidden=true]").textContent()).toBe("1st reply · Breached 2h ago");
    expect(await freshChip.locator(".visually-hidden").textContent()).toBe(
      "SLA first response: breached 2h ago",
    );
    expect(await freshRow.getAttribute("class")).toContain("sla-flag-breached");
    expect(await freshChip.evaluate((el) => getComputedStyle(el).color)).toBe("rgb(179, 38, 30)");

    // Everything fits the 1366x768 screen: no sideways scrolling.
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    expect(fresh.id).not.toBe(late.id);
  });
});
