// The agent's day in the browser: sign in, watch new mail arrive in the inbox without reloading, open it, reply,
// and see the customer's answer join the open thread live. The real app (API, SSE, web/dist) on an in-memory
// PGlite, driven by the system's headless Chromium.
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

describeBrowser("inbox in the browser", () => {
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

  it("shows new mail live, opens it, sends a reply and shows the customer's answer in the open thread", async () => {
    // A deep link before signing in: after the login form the agent lands on the view they asked for.
    await page.goto(`${baseUrl}/inbox/unassigned`);
    await page.getByLabel("Email").fill(login.email);
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect
      .poll(() => page.getByRole("alert").first().textContent())
      .toContain("Wrong email or password");

    await page.getByLabel("Password").fill(login.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("No tickets here").waitFor();
    await page.getByText("Live", { exact: true }).waitFor();
    // Marks this page load: if the app reloaded to show new mail, the mark would be gone.
    await page.evaluate(() => {
      (window as Window & { tendTestMark?: boolean }).tendTestMark = true;
    });

    const first = await ingestRawMail(
      ctx,
      mail(
        {
          From: "Jo Customer <jo@example.com>",
          To: "support@tend.localhost",
          Subject: "Grinder arrived without its lid",
          "Message-ID": "<grinder-1@example.com>",
        },
        "Hello,\nthe grinder came without the lid. Can you send one?\nJo",
      ),
      { to: ["support@tend.localhost"], source: "smtp" },
    );
    expect(first.outcome).toBe("created");

    const row = page.locator(".ticket-row", { hasText: "Grinder arrived without its lid" });
    await row.waitFor();
    await expect.poll(() => row.textContent()).toContain("Jo Customer");
    await expect.poll(() => page.getByTestId("count-unassigned").textContent()).toMatch(/^1/);
    await expect
      .poll(() => page.getByTestId("announcer").textContent())
      .toContain(`New ticket #${first.ticketId}`);

    // Keyboard: j selects the first row, Enter opens it.
    await page.keyboard.press("j");
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Grinder arrived without its lid" }).waitFor();
    await page.locator(".msg-customer", { hasText: "the grinder came without the lid" }).waitFor();
    await page.getByRole("complementary").getByRole("heading", { name: "Jo Customer" }).waitFor();
    expect(page.url()).toBe(`${baseUrl}/inbox/unassigned/tickets/${first.ticketId}`);

    await page.keyboard.press("r");
    await page.keyboard.type("Sorry about that! A new lid is on its way today.");
    await page.keyboard.press("Control+Enter");
    const reply = page.locator(".msg-agent", { hasText: "A new lid is on its way today." });
    await reply.waitFor();
    await expect.poll(() => reply.textContent()).toMatch(/Reply.*Maria Agent.*Queued/);

    // The customer answers by mail; the open thread shows it without a reload.
    const answer = await ingestRawMail(
      ctx,
      mail(
        {
          From: "Jo Customer <jo@example.com>",
          To: "support@tend.localhost",
          Subject: "Re: Grinder arrived without its lid",
          "Message-ID": "<grinder-2@example.com>",
          "In-Reply-To": "<grinder-1@example.com>",
          References: "<grinder-1@example.com>",
        },
        "Thank you, that was quick!",
      ),
      { to: ["support@tend.localhost"], source: "smtp" },
    );
    expect(answer).toMatchObject({ outcome: "joined", ticketId: first.ticketId });
    await page.locator(".msg-customer", { hasText: "Thank you, that was quick!" }).waitFor();
    await expect
      .poll(() => page.getByTestId("announcer").textContent())
      .toContain(`New message from Jo Customer on ticket #${first.ticketId}`);

    expect(await page.locator(".thread .msg").count()).toBe(3);
    expect(await page.evaluate(() => (window as Window & { tendTestMark?: boolean }).tendTestMark)).toBe(
      true,
    );
  });

  it("searches as the agent types: ranked rows with highlighted snippets, notes marked, markup shown as text", async () => {
    const scripted = await ingestRawMail(
      ctx,
      mail(
        {
          From: "Ada Tinker <ada@example.com>",
          To: "support@tend.localhost",
          Subject: "Kettle lid rattles",
          "Message-ID": "<kettle-1@example.com>",
        },
        "My kettle lid rattles <script>alert('x')</script> please help",
      ),
      { to: ["support@tend.localhost"], source: "smtp" },
    );
    await page.goto(`${baseUrl}/inbox/mine`);
    await page.getByText("Live", { exact: true }).waitFor();
    await page.keyboard.press("/");
    await page.keyboard.type("ratt");
    const row = page.locator(".ticket-row", { hasText: "Kettle lid rattles" });
    await row.waitFor();
    expect(page.url()).toContain("/inbox/all?q=ratt");
    await expect.poll(() => row.locator(".row-snippet mark").first().textContent()).toBe("rattles");
    // The customer's <script> is text in the snippet, never an element.
    const fromCustomer = row.locator(".row-snippet", { hasText: "Customer wrote" });
    await expect.poll(() => fromCustomer.textContent()).toContain("<script>alert('x')</script>");
    expect(await page.locator(".ticket-list script").count()).toBe(0);

    await page.keyboard.press("Control+A");
    await page.keyboard.type("grinder lid");
    const grinder = page.locator(".ticket-row", { hasText: "Grinder arrived without its lid" });
    await grinder.waitFor();
    expect(await page.locator(".ticket-row", { hasText: `#${scripted.ticketId}` }).count()).toBe(0);

    await page.keyboard.press("Control+A");
    await page.keyboard.type("zzyzzyva");
    await page.getByText("No tickets match “zzyzzyva”.").waitFor();
    await page.getByText("Paste an order number").waitFor();
  });

  it("serves the app's HTML with a strict policy and hashed assets with a long cache", async () => {
    const html = await fetch(`${baseUrl}/inbox/open/tickets/1`);
    expect(html.status).toBe(200);
    expect(html.headers.get("content-security-policy")).toContain("script-src 'self'");
    expect(html.headers.get("x-frame-options")).toBe("DENY");
    expect(html.headers.get("x-content-type-options")).toBe("nosniff");
    const body = await html.text();
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(body)?.[1];
    expect(asset).toBeDefined();
    const script = await fetch(`${baseUrl}${asset}`);
    expect(script.headers.get("cache-control")).toContain("immutable");
    expect((await fetch(`${baseUrl}/api/v1/no-such-route`)).status).toBe(404);
  });
});
