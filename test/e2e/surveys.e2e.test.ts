// Follow up and listen, end to end: an agent solves a ticket over the API; the (injected) clock moves a day; the job
// worker mails the CSAT survey to an SMTP sink; a customer opens the mail's "1" link in Chromium (on a phone-sized
// screen), sees that score chosen and sends it; the ticket is reopened into the recover view. Tend runs in this
// process with a manual clock (no sleeps), on PGlite and on PostgreSQL.
import { randomBytes } from "node:crypto";
import pg from "pg";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createManualClock } from "../../src/clock.ts";
import { buildConfig } from "../../src/config.ts";
import type { AppContext } from "../../src/context.ts";
import { type Database, openPglite, openPostgres } from "../../src/db/client.ts";
import { migrateDatabase } from "../../src/db/migrate.ts";
import { createEventBus } from "../../src/events/event-bus.ts";
import { buildApp } from "../../src/http/app.ts";
import { jobDefinitions } from "../../src/jobs/job-registry.ts";
import { runDueJobs } from "../../src/jobs/job-worker.ts";
import { createUser } from "../../src/modules/users/users.service.ts";
import { ensureWorkspaceDefaults } from "../../src/workflows/workspace-defaults.workflow.ts";
import { buildCustomer, buildTicket } from "../factories.ts";
import { type SmtpSink, startSmtpSink } from "../smtp-sink.ts";
import { chromiumAvailable, type LaunchedBrowser, launchBrowser } from "./browser.ts";
import { defaultPostgresAdminUrl, freePort } from "./processes.ts";

const browserReady = chromiumAvailable();

const postgresReachable = await (async () => {
  const client = new pg.Client({ connectionString: defaultPostgresAdminUrl });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch (error) {
    if (process.env.CI)
      throw new Error(`CI needs PostgreSQL for the survey e2e: ${(error as Error).message}`);
    console.warn(
      `\n!! PostgreSQL not reachable at ${defaultPostgresAdminUrl}: SKIPPING the PostgreSQL survey e2e\n`,
    );
    return false;
  }
})();

type Backend = { database: Database; drop(): Promise<void> };

async function openBackend(kind: "pglite" | "postgres"): Promise<Backend> {
  if (kind === "pglite") {
    const database = await openPglite("memory://");
    return { database, drop: async () => undefined };
  }
  const name = `tend_survey_e2e_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: defaultPostgresAdminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(defaultPostgresAdminUrl);
  url.pathname = `/${name}`;
  const database = await openPostgres(url.toString(), 4);
  return {
    database,
    async drop() {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

const backends = [
  { kind: "pglite" as const, run: true },
  { kind: "postgres" as const, run: postgresReachable },
];

for (const backend of backends) {
  (browserReady && backend.run ? describe : describe.skip)(
    `survey after a solved ticket, in Chromium (${backend.kind})`,
    () => {
      let opened: Backend;
      let sink: SmtpSink;
      let ctx: AppContext & { clock: ReturnType<typeof createManualClock> };
      let app: Awaited<ReturnType<typeof buildApp>>;
      let baseUrl: string;
      let browser: LaunchedBrowser;
      let page: Page;
      const agentLogin = { email: "lee@shop.test", password: "correct horse battery staple" };

      beforeAll(async () => {
        opened = await openBackend(backend.kind);
        await migrateDatabase(opened.database);
        sink = await startSmtpSink();
        const port = await freePort();
        baseUrl = `http://127.0.0.1:${port}`;
        ctx = {
          db: opened.database.db,
          database: opened.database,
          clock: createManualClock("2026-03-09T10:00:00Z"),
          events: createEventBus(),
          config: buildConfig({
            logLevel: "silent",
            smtpUrl: sink.url,
            publicUrl: baseUrl,
            mailDomain: "help.shop.test",
          }),
        };
        await ensureWorkspaceDefaults(ctx);
        await createUser(ctx, {
          email: agentLogin.email,
          name: "Lee Agent",
          role: "agent",
          password: agentLogin.password,
        });
        await createUser(ctx, { email: "lena@shop.test", name: "Lena Lead", role: "lead" });
        app = await buildApp({ context: ctx });
        await app.listen({ host: "127.0.0.1", port });
        browser = await launchBrowser({ viewport: { width: 390, height: 844 } });
        page = await browser.context.newPage();
      }, 120_000);

      afterAll(async () => {
        await browser?.close();
        await app?.close();
        await sink?.close();
        await opened?.database.close();
        await opened?.drop();
      });

      it("mails the survey a day after the solve; a 1 from the mail reopens the ticket into the recover view", async () => {
        const login = await fetch(`${baseUrl}/api/v1/auth/login`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(agentLogin),
        });
        expect(login.status).toBe(200);
        const session = /tend_session=([^;]+)/.exec(login.headers.get("set-cookie") ?? "")?.[1];
        const { csrfToken, user } = (await login.json()) as { csrfToken: string; user: { id: number } };
        const agentHeaders = {
          cookie: `tend_session=${session}`,
          "x-csrf-token": csrfToken,
          "content-type": "application/json",
        };

        const customerId = await buildCustomer(ctx, { email: "rosa@customer.example", name: "Rosa Díaz" });
        const ticket = await buildTicket(ctx, {
          customerId,
          subject: "Kettle stopped heating",
          assigneeId: user.id,
        });
        const solved = await fetch(`${baseUrl}/api/v1/tickets/${ticket.id}`, {
          method: "PATCH",
          headers: agentHeaders,
          body: JSON.stringify({ status: "solved" }),
        });
        expect(solved.status).toBe(200);
        await runDueJobs(ctx, jobDefinitions);
        expect(sink.accepted).toHaveLength(0);

        ctx.clock.advance(24 * 3_600_000);
        await runDueJobs(ctx, jobDefinitions);
        const [mail] = await sink.waitForAccepted(1);
        expect(mail.to).toEqual(["rosa@customer.example"]);
        expect(mail.parsed.subject).toBe("How did we do? Re: Kettle stopped heating");
        const html = String(mail.parsed.html);
        const link = /href="([^"]+\/survey\/[^"?]+\?score=1)"/.exec(html)?.[1];
        expect(link).toBeDefined();
        expect(link?.startsWith(`${baseUrl}/survey/`)).toBe(true);

        // The customer clicks "1" in the mail.
        const cspViolations: string[] = [];
        page.on("console", (message) => {
          if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
        });
        await page.goto(link as string);
        await page.getByRole("heading", { name: "How did we do?" }).waitFor();
        const one = page.getByRole("radio", { name: /Very dissatisfied/ });
        expect(await one.isChecked()).toBe(true);
        expect(await page.getByRole("radio", { name: /Very satisfied/ }).isChecked()).toBe(false);
        // Styled under the strict CSP, laid out for the phone: nothing wider than the screen, big tap targets.
        const send = page.getByRole("button", { name: "Send my answer" });
        expect(await send.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe("rgb(29, 78, 216)");
        expect((await send.boundingBox())?.height).toBeGreaterThanOrEqual(44);
        expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(
          true,
        );
        expect(cspViolations).toEqual([]);

        await page.getByLabel(/Anything you would like to add/).fill("Nobody told me it would take a week.");
        await send.click();
        await page.getByRole("heading", { name: "Thank you for your answer!" }).waitFor();
        expect(await page.getByRole("status").first().textContent()).toContain("1 of 5 – Very dissatisfied");

        const recover = await fetch(`${baseUrl}/api/v1/tickets?view=recover`, { headers: agentHeaders });
        expect(recover.status).toBe(200);
        const { items } = (await recover.json()) as {
          items: { id: number; status: string; priority: string; tags: string[] }[];
        };
        const reopened = items.find((item) => item.id === ticket.id);
        expect(reopened).toMatchObject({ status: "open", priority: "high" });
        expect(reopened?.tags).toContain("recover");
        const detail = (await (
          await fetch(`${baseUrl}/api/v1/tickets/${ticket.id}`, { headers: agentHeaders })
        ).json()) as {
          messages: { isInternal: boolean; text: string }[];
        };
        expect(
          detail.messages.some(
            (m) => m.isInternal && m.text.includes("Nobody told me it would take a week."),
          ),
        ).toBe(true);

        // Opening the link again shows the recorded answer, not a second form.
        await page.goto(link as string);
        await page.getByRole("heading", { name: "We already have your answer. Thank you!" }).waitFor();
      });
    },
  );
}
