// A frustrated customer in the browser: an angry mail comes in, the inbox's "Frustrated" view counts and lists it
// with a badge whose cues a screen reader hears, and the ticket's header shows the same badge. The real app (API,
// web/dist) on an in-memory PGlite, driven by the system's headless Chromium at 1366x768.
import { spawnSync } from "node:child_process";
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
import { ingestRawMail } from "../../src/modules/email/inbound-mail.service.ts";
import { createUser } from "../../src/modules/users/users.service.ts";
import { chromiumAvailable, type LaunchedBrowser, launchBrowser } from "./browser.ts";
import { repoRoot } from "./processes.ts";

const describeBrowser = chromiumAvailable() ? describe : describe.skip;

function mail(headers: Record<string, string>, body: string): Buffer {
  const lines = Object.entries({
    "MIME-Version": "1.0",
    Date: new Date().toUTCString(),
    "Content-Type": "text/plain; charset=utf-8",
    ...headers,
  }).map(([name, value]) => `${name}: ${value}`);
  return Buffer.from(`${lines.join("\r\n")}\r\n\r\n${body.replaceAll("\n", "\r\n")}\r\n`);
}

describeBrowser("frustrated customers in the inbox", () => {
  let database: Database;
  let ctx: AppContext;
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
    // The real clock: the browser drops a session cookie whose expiry lies in a manual clock's past.
    ctx = {
      db: database.db,
      database,
      clock: systemClock,
      events: createEventBus(),
      config: buildConfig({ logLevel: "silent" }),
    };
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

  /** A customer's mail to the support address, taken in as SMTP intake takes it. */
  const receiveMail = (from: string, subject: string, messageId: string, body: string) =>
    ingestRawMail(
      ctx,
      mail({ From: from, To: "support@tend.localhost", Subject: subject, "Message-ID": messageId }, body),
      { to: ["support@tend.localhost"], source: "smtp" },
    );

  it("counts and lists the angry customer under Frustrated, with the cues on the badge", async () => {
    await receiveMail(
      "Calm Carla <carla@example.com>",
      "Gift wrapping",
      "<calm-1@example.com>",
      "Hi, could you gift wrap order 5512? Thank you!",
    );
    await receiveMail(
      "Angry Andy <andy@example.com>",
      "Order 7731 STILL missing",
      "<angry-1@example.com>",
      "This is the third time I'm asking. Where is my order?? If it isn't here by Friday I'm cancelling my subscription.",
    );

    await page.goto(`${baseUrl}/inbox/frustrated`);
    await page.getByLabel("Email").fill(login.email);
    await page.getByLabel("Password").fill(login.password);
    await page.getByRole("button", { name: "Sign in" }).click();

    const list = page.getByRole("list").filter({ hasText: "Order 7731 STILL missing" });
    await list.waitFor();
    expect(await list.textContent()).not.toContain("Gift wrapping");
    const badge = list.getByText("Frustrated", { exact: false }).first();
    expect(await badge.getAttribute("title")).toContain("threatens to cancel or leave");
    // The cues are part of the badge's text for screen readers, not only a tooltip.
    expect(await badge.textContent()).toContain("has asked before");
    // The sidebar link shows the count.
    expect(await page.getByRole("link", { name: /^Frustrated/ }).textContent()).toContain("1");

    await page.getByText("Order 7731 STILL missing").click();
    const header = page.getByRole("heading", { name: "Order 7731 STILL missing" }).locator("..");
    await header.getByText("Frustrated").first().waitFor();
    expect(await header.textContent()).toContain("threatens to cancel or leave");
  });

  it("puts the frustrated customer first in All open, above a calm customer who wrote later, and says so", async () => {
    await receiveMail(
      "Polite Petra <petra@example.com>",
      "Change of address",
      "<calm-2@example.com>",
      "Hello, I have moved house. Could you update my delivery address? Many thanks.",
    );
    await page.getByRole("link", { name: /^All open/ }).click();
    const title = page.getByRole("heading", { name: /^All open/ });
    await expect.poll(() => title.textContent()).toContain("Frustrated first");
    expect(await title.getByText("Frustrated first").getAttribute("title")).toMatch(/frustrated come first/);
    const rows = page.locator(".ticket-list > li");
    await expect
      .poll(async () =>
        (await rows.allTextContents()).map(
          (row) => row.match(/Order 7731|Change of address|Gift wrapping/)?.[0],
        ),
      )
      .toEqual(["Order 7731", "Change of address", "Gift wrapping"]);
    // Breaching soon keeps its own order (SLA due time) and does not claim this one.
    await page.getByRole("link", { name: /^Breaching soon/ }).click();
    await expect
      .poll(() => page.getByRole("heading", { name: /^Breaching soon/ }).textContent())
      .not.toContain("Frustrated first");
  });
});
