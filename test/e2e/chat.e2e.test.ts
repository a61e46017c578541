// Live chat end to end: a shop's page on another origin embeds the widget with the snippet; a visitor opens it,
// fills the pre-chat form and writes; an agent signed into Tend in a second browser sees it live, sees the visitor
// typing, replies; the visitor sees the agent typing and the reply. Then the same widget on a phone-sized screen, the
// switch to email replies, and the satisfaction question when the visitor ends the chat.
import { spawnSync } from "node:child_process";
import http from "node:http";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../src/clock.ts";
import { buildConfig } from "../../src/config.ts";
import type { AppContext } from "../../src/context.ts";
import { type Database, openPglite } from "../../src/db/client.ts";
import { migrateDatabase } from "../../src/db/migrate.ts";
import { createEventBus } from "../../src/events/event-bus.ts";
import { buildApp } from "../../src/http/app.ts";
import { getChatSettings } from "../../src/modules/chat/chat-settings.service.ts";
import { createUser } from "../../src/modules/users/users.service.ts";
import { chromiumAvailable, type LaunchedBrowser, launchBrowser } from "./browser.ts";
import { repoRoot } from "./processes.ts";

const describeBrowser = chromiumAvailable() ? describe : describe.skip;

/** A stand-in for the business's own site: one page with the embed snippet, on its own origin. */
async function startShopSite(snippet: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((_request, response) => {
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    response.end(`<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Kettle Shop</title>
<style>* { color: red !important; font-size: 40px !important; } button { display: none !important; }</style>
</head><body><h1>Kettle Shop</h1><p>Blue kettles, back in stock.</p>
${snippet}
</body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("no port");
  return {
    // "localhost" while Tend is on 127.0.0.1: another origin for the browser, as a real shop would be.
    url: `http://localhost:${address.port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describeBrowser("live chat in the browser", () => {
  let database: Database;
  let ctx: AppContext;
  let app: FastifyInstance;
  let tendUrl: string;
  let shop: Awaited<ReturnType<typeof startShopSite>>;
  let agentBrowser: LaunchedBrowser;
  let visitorBrowser: LaunchedBrowser;
  let agentPage: Page;
  let visitorPage: Page;
  const login = { email: "maria@tend.test", password: "a long enough password" };

  /** The widget's shadow root content: Playwright's locators pierce open shadow roots. */
  const widget = (page: Page): Locator => page.locator("[data-tend-chat]");

  beforeAll(async () => {
    const build = spawnSync(process.execPath, [path.join(repoRoot, "scripts/ensure-web-build.mjs")], {
      cwd: repoRoot,
      encoding: "utf8",
    });
    if (build.status !== 0)
      throw new Error(`building the web app and widget failed:\n${build.stdout}${build.stderr}`);

    database = await openPglite("memory://");
    await migrateDatabase(database);
    ctx = {
      db: database.db,
      database,
      clock: systemClock,
      events: createEventBus(),
      config: buildConfig({ logLevel: "silent" }),
    };
    await createUser(ctx, { ...login, name: "Maria Agent", role: "admin" });
    app = await buildApp({ context: ctx });
    tendUrl = await app.listen({ host: "127.0.0.1", port: 0 });
    const settings = await getChatSettings(ctx);
    shop = await startShopSite(
      `<script src="${tendUrl}/widget.js" data-tend-key="${settings.widgetKey}" async></script>`,
    );
    agentBrowser = await launchBrowser({ viewport: { width: 1366, height: 768 } });
    visitorBrowser = await launchBrowser({ viewport: { width: 1280, height: 800 } });
    agentPage = await agentBrowser.context.newPage();
    visitorPage = await visitorBrowser.context.newPage();
  });

  afterAll(async () => {
    await visitorBrowser?.close();
    await agentBrowser?.close();
    await shop?.close();
    await app?.close();
    await database?.close();
  });

  it("lets a visitor on the shop's page and an agent in Tend chat live, each seeing the other type and write", async () => {
    // The agent signs in and goes online, so the widget offers a live chat.
    await agentPage.goto(`${tendUrl}/inbox/unassigned`);
    await agentPage.getByLabel("Email").fill(login.email);
    await agentPage.getByLabel("Password").fill(login.password);
    await agentPage.getByRole("button", { name: "Sign in" }).click();
    await agentPage.getByText("Live", { exact: true }).waitFor();
    const status = agentPage.getByLabel("Your status");
    await expect.poll(() => status.isEnabled()).toBe(true);
    await status.selectOption("online");
    await expect.poll(() => ctx.database.query("select status from users")).toEqual([{ status: "online" }]);

    await visitorPage.goto(shop.url);
    const launcher = widget(visitorPage).getByRole("button", { name: "Open chat" });
    await launcher.waitFor();
    // The page's hostile CSS (red, 40px, hidden buttons) does not reach into the widget.
    expect(await launcher.isVisible()).toBe(true);
    expect(await launcher.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe("rgb(29, 78, 216)");
    // Keyboard only: focus the launcher, Enter opens, focus lands in the form.
    await launcher.focus();
    await visitorPage.keyboard.press("Enter");
    const panel = widget(visitorPage).getByRole("dialog", { name: "Chat with us" });
    await panel.waitFor();
    await panel.getByText("We're online").waitFor();
    await expect
      .poll(() =>
        visitorPage.evaluate(() => document.querySelector("[data-tend-chat]")?.shadowRoot?.activeElement?.id),
      )
      .toBe("tc-name");
    // Escape closes and gives focus back to the launcher.
    await visitorPage.keyboard.press("Escape");
    await expect.poll(() => panel.isHidden()).toBe(true);
    await expect
      .poll(() =>
        visitorPage.evaluate(
          () => document.querySelector("[data-tend-chat]")?.shadowRoot?.activeElement?.className,
        ),
      )
      .toBe("launcher");
    await visitorPage.keyboard.press("Enter");
    await panel.waitFor();

    // The question is required: an empty form says so at the field.
    await panel.getByRole("button", { name: "Start chat" }).click();
    const question = panel.getByLabel("How can we help?");
    await expect.poll(() => question.getAttribute("aria-invalid")).toBe("true");
    expect(await panel.getByRole("alert").filter({ hasText: "Please fill this in." }).count()).toBe(1);
    await panel.getByLabel("Name").fill("Vera Visitor");
    await question.fill("Is the blue kettle back in stock?");
    await panel.getByRole("button", { name: "Start chat" }).click();
    const log = panel.getByRole("log", { name: "Messages" });
    await log.getByText("Is the blue kettle back in stock?").waitFor();

    // The agent sees the new chat live and opens it.
    const row = agentPage.locator(".ticket-row", { hasText: "Chat from Vera Visitor" });
    await row.waitFor();
    await row.click();
    await agentPage
      .getByRole("heading", { name: "Chat from Vera Visitor: Is the blue kettle back in stock?" })
      .waitFor();
    await agentPage.locator(".msg-customer", { hasText: "Is the blue kettle back in stock?" }).waitFor();
    await expect
      .poll(() => agentPage.getByTestId("chat-info").textContent())
      .toContain("visitor not verified");

    // Visitor typing → shown in the agent's ticket.
    const composer = panel.getByLabel("Message", { exact: true });
    await composer.pressSequentially("Also, do you", { delay: 20 });
    await expect
      .poll(() => agentPage.getByTestId("visitor-typing").textContent())
      .toBe("Vera Visitor is typing…");

    // Screen readers announce what is added to a live region that stays in place: mark it, check it later.
    await log.evaluate((element) => {
      (element as HTMLElement & { tendMark?: boolean }).tendMark = true;
    });
    // Agent typing → shown in the widget; then the reply arrives.
    const reply = agentPage.getByLabel("Reply to Vera Visitor");
    await reply.click();
    await reply.pressSequentially("Yes! It came back this morning.", { delay: 10 });
    await expect.poll(() => panel.getByText("Maria is typing…").count()).toBe(1);
    await agentPage.getByRole("button", { name: "Send reply" }).click();
    await log.getByText("Yes! It came back this morning.").waitFor();
    await expect.poll(() => log.locator(".msg:not(.me) .who").last().textContent()).toBe("Maria");
    await expect.poll(() => panel.getByText("Maria is typing…").count()).toBe(0);
    expect(await log.evaluate((element) => (element as HTMLElement & { tendMark?: boolean }).tendMark)).toBe(
      true,
    );
    // Live updates never cost the visitor the words they had started typing.
    expect(await composer.inputValue()).toBe("Also, do you");

    // The visitor answers; the agent's open ticket shows it without a reload.
    await composer.fill("Great, I'll take two.");
    await composer.press("Enter");
    await log.getByText("Great, I'll take two.").waitFor();
    await agentPage.locator(".msg-customer", { hasText: "Great, I'll take two." }).waitFor();
    expect(await agentPage.locator(".thread .msg").count()).toBe(3);

    // The conversation survives a page load on the shop's site.
    await visitorPage.reload();
    const again = widget(visitorPage).getByRole("dialog", { name: "Chat with us" });
    await again.getByRole("log", { name: "Messages" }).getByText("Yes! It came back this morning.").waitFor();
  });

  it("opens full screen on a phone, with the message box reachable", async () => {
    const phone = await visitorBrowser.context.newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.goto(shop.url);
    // The stored conversation comes back; the panel was left open.
    const panel = widget(phone).getByRole("dialog", { name: "Chat with us" });
    await panel.waitFor();
    const box = await panel.boundingBox();
    expect(box).toEqual({ x: 0, y: 0, width: 390, height: 844 });
    const input = panel.getByLabel("Message", { exact: true });
    const inputBox = await input.boundingBox();
    if (!inputBox) throw new Error("message box not rendered");
    expect(inputBox.y + inputBox.height).toBeLessThanOrEqual(844);
    expect(inputBox.x).toBeGreaterThanOrEqual(0);
    expect(inputBox.x + inputBox.width).toBeLessThanOrEqual(390);
    await input.fill("Sent from my phone");
    await panel.getByRole("button", { name: "Send", exact: true }).click();
    await agentPage.locator(".msg-customer", { hasText: "Sent from my phone" }).waitFor();
    // Closing goes back to the launcher.
    await panel.getByRole("button", { name: "Close chat" }).click();
    await widget(phone).getByRole("button", { name: "Open chat" }).waitFor();
    await phone.close();
  });

  it("turns the chat into an email conversation when the last agent goes away", async () => {
    await agentPage.getByLabel("Your status").selectOption("away");
    const panel = widget(visitorPage).getByRole("dialog", { name: "Chat with us" });
    await panel.getByText("We're away · we reply by email").waitFor();
    await panel.getByText("Nobody is online right now. Leave your email and we'll reply by email.").waitFor();
    await panel.getByLabel("Your email").fill("vera@example.com");
    await panel.getByRole("button", { name: "Reply by email" }).click();
    await panel
      .getByText("We'll reply by email as soon as we can. We'll write to vera@example.com.")
      .waitFor();

    await expect
      .poll(() => agentPage.getByTestId("chat-info").textContent())
      .toContain("replies go by email to vera@example.com");
    const reply = agentPage.getByLabel("Reply to Vera Visitor");
    await reply.fill("We'll send the kettles on Monday.");
    await agentPage.getByRole("button", { name: "Send reply" }).click();
    // Queued for the outbound mail worker, like any email reply.
    const sent = agentPage.locator(".msg-agent", { hasText: "We'll send the kettles on Monday." });
    await expect.poll(() => sent.textContent()).toMatch(/Queued/);
    const [mail] = await ctx.database.query<{ to_addresses: { address: string }[]; channel: string }>(
      "select to_addresses, channel from messages where text = $1",
      ["We'll send the kettles on Monday."],
    );
    expect(mail).toEqual({
      channel: "email",
      to_addresses: [{ name: "Vera Visitor", address: "vera@example.com" }],
    });
  });

  it("asks how it went when the visitor ends the chat: one click rates, then a comment", async () => {
    const panel = widget(visitorPage).getByRole("dialog", { name: "Chat with us" });
    await panel.getByRole("button", { name: "End chat" }).click();
    await panel.getByText("This chat has ended. Thank you!").waitFor();
    const scale = panel.getByRole("group", { name: "How would you rate the help you got from us?" });
    await scale.waitFor();
    expect(await scale.getByRole("button").count()).toBe(5);
    await scale.getByRole("button", { name: "Very satisfied" }).click();
    await panel.getByText("Thanks for your rating!").waitFor();
    await panel.getByLabel("Anything you would like to add?").fill("Maria was lovely.");
    await panel.getByRole("button", { name: "Send", exact: true }).click();
    await panel.getByText("Thank you!", { exact: true }).waitFor();
    const [answer] = await ctx.database.query<{
      score: number;
      comment: string;
      channel: string;
      source: string;
    }>(
      `select r.score, r.comment, s.channel, r.source from survey_responses r join survey_sends s on s.id = r.send_id`,
    );
    expect(answer).toEqual({ score: 5, comment: "Maria was lovely.", channel: "chat", source: "chat" });
  });

  it("serves the widget script cached briefly, to any site, and shows its snippet in the settings", async () => {
    const script = await fetch(`${tendUrl}/widget.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(script.headers.get("cache-control")).toBe("public, max-age=300, stale-while-revalidate=86400");
    expect(script.headers.get("access-control-allow-origin")).toBe("*");
    expect(script.headers.get("cross-origin-resource-policy")).toBe("cross-origin");
    const etag = script.headers.get("etag");
    expect(etag).toBeTruthy();
    const body = await script.text();
    expect(body.length).toBeLessThan(25_000);
    const revalidated = await fetch(`${tendUrl}/widget.js`, { headers: { "if-none-match": etag ?? "" } });
    expect(revalidated.status).toBe(304);

    await agentPage.goto(`${tendUrl}/settings/chat`);
    const settings = await getChatSettings(ctx);
    await expect
      .poll(() => agentPage.getByTestId("embed-snippet").textContent())
      .toBe(
        `<script src="http://localhost:3000/widget.js" data-tend-key="${settings.widgetKey}" async></script>`,
      );
    expect(await agentPage.getByTestId("identity-secret").textContent()).toBe(settings.identitySecret);
    await agentPage.getByLabel("Greeting").fill("Welcome to the Kettle Shop!");
    await agentPage.getByRole("button", { name: "Save" }).click();
    await agentPage.getByText("Saved.", { exact: false }).first().waitFor();
    expect((await getChatSettings(ctx)).widget.greeting).toBe("Welcome to the Kettle Shop!");
  });
});
