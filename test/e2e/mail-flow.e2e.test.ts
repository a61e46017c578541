// The whole mail loop through real processes and protocols: `tend serve` (all roles, on-disk PGlite), a customer's
// mail sent by an SMTP client, an agent in headless Chromium watching it arrive live and replying, the reply caught
// by an SMTP sink with threading headers, and the customer's answer to that reply joining the same ticket.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type ParsedMail, simpleParser } from "mailparser";
import nodemailer from "nodemailer";
import type { Page } from "playwright-core";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumAvailable, type LaunchedBrowser, launchBrowser } from "./browser.ts";
import { freePort, repoRoot, spawnTend, type TendProcess, waitForHealthy } from "./processes.ts";

const describeBrowser = chromiumAvailable() ? describe : describe.skip;

/** An SMTP sink on loopback standing in for the business's outbound relay. */
async function startSink() {
  const received: ParsedMail[] = [];
  const waiters: (() => void)[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["AUTH", "STARTTLS"],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (mail) => {
          received.push(mail);
          for (const wake of waiters.splice(0)) wake();
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    port,
    async next(timeoutMs = 20_000): Promise<ParsedMail> {
      const deadline = Date.now() + timeoutMs;
      while (received.length === 0) {
        if (Date.now() > deadline) throw new Error("no mail reached the sink");
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 250);
        });
      }
      return received.shift()!;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describeBrowser("the mail loop through real processes", () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "tend-e2e-mail-"));
  const login = { email: "lee@tend.test", password: "correct horse battery staple" };
  let sink: Awaited<ReturnType<typeof startSink>>;
  let tend: TendProcess;
  let browser: LaunchedBrowser;
  let page: Page;
  let baseUrl: string;
  let smtpPort: number;
  const env: Record<string, string> = {};

  beforeAll(async () => {
    const build = spawnSync(process.execPath, [path.join(repoRoot, "scripts/ensure-web-build.mjs")], {
      cwd: repoRoot,
      encoding: "utf8",
    });
    if (build.status !== 0) throw new Error(`building the web app failed:\n${build.stdout}${build.stderr}`);
    sink = await startSink();
    const httpPort = await freePort();
    smtpPort = await freePort();
    Object.assign(env, {
      TEND_DATA_DIR: dataDir,
      TEND_HOST: "127.0.0.1",
      TEND_PORT: String(httpPort),
      TEND_SMTP_HOST: "127.0.0.1",
      TEND_SMTP_PORT: String(smtpPort),
      TEND_SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
      TEND_MAIL_DOMAIN: "help.shop.test",
      TEND_PUBLIC_URL: `http://127.0.0.1:${httpPort}`,
      TEND_LOG_LEVEL: "warn",
    });
    baseUrl = `http://127.0.0.1:${httpPort}`;
    // The embedded database is free while the server is stopped, so the CLI creates the agent first.
    const created = spawnSync(
      process.execPath,
      [
        path.join(repoRoot, "bin/tend.js"),
        "user",
        "create",
        "--email",
        login.email,
        "--name",
        "Lee Agent",
        "--role",
        "agent",
      ],
      { cwd: repoRoot, env: { ...process.env, ...env }, input: `${login.password}\n`, encoding: "utf8" },
    );
    if (created.status !== 0) throw new Error(`tend user create failed:\n${created.stdout}${created.stderr}`);
    tend = spawnTend(["serve"], env);
    await waitForHealthy(baseUrl, tend);
    browser = await launchBrowser({ viewport: { width: 1366, height: 768 } });
    page = await browser.context.newPage();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (tend && tend.child.exitCode === null) {
      tend.child.kill("SIGTERM");
      await tend.exited;
    }
    await sink?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("threads a customer's mail, the agent's reply and the customer's answer into one ticket", async () => {
    await page.goto(`${baseUrl}/inbox/unassigned`);
    await page.getByLabel("Email").fill(login.email);
    await page.getByLabel("Password").fill(login.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("Live", { exact: true }).waitFor();
    await page.evaluate(() => {
      (window as Window & { tendTestMark?: boolean }).tendTestMark = true;
    });

    const customer = nodemailer.createTransport({
      host: "127.0.0.1",
      port: smtpPort,
      secure: false,
      ignoreTLS: true,
    });
    const firstId = "<kettle-first@customer.example>";
    const sent = await customer.sendMail({
      from: "Rosa Díaz <rosa@customer.example>",
      to: "support@help.shop.test",
      subject: "Kettle stopped heating",
      text: "Hi, my kettle from order 4411 stopped heating after two days. What can we do?\nRosa",
      messageId: firstId,
    });
    expect(sent.response).toMatch(/^250/);

    // Live: the row appears without a reload.
    const row = page.locator(".ticket-row", { hasText: "Kettle stopped heating" });
    await row.waitFor();
    await expect.poll(() => row.textContent()).toContain("Rosa Díaz");
    await row.click();
    await page.getByRole("heading", { name: "Kettle stopped heating" }).waitFor();
    const ticketId = Number(/\/tickets\/(\d+)/.exec(page.url())?.[1]);
    expect(ticketId).toBeGreaterThan(0);

    await page.keyboard.press("r");
    await page.keyboard.type(
      "I'm sorry it let you down. A replacement kettle ships today; no need to return the old one.",
    );
    await page.keyboard.press("Control+Enter");

    const outbound = await sink.next();
    expect(outbound.to && !Array.isArray(outbound.to) ? outbound.to.value[0].address : null).toBe(
      "rosa@customer.example",
    );
    expect(outbound.subject).toContain("Kettle stopped heating");
    expect(outbound.text).toContain("A replacement kettle ships today");
    expect(outbound.inReplyTo).toBe(firstId);
    const references = Array.isArray(outbound.references) ? outbound.references : [outbound.references];
    expect(references).toContain(firstId);
    expect(outbound.messageId).toMatch(/@help\.shop\.test>$/);
    const replyTo =
      outbound.replyTo && !Array.isArray(outbound.replyTo) ? outbound.replyTo.value[0].address : "";
    expect(replyTo).toMatch(new RegExp(`^support\\+t${ticketId}-[^@]+@help\\.shop\\.test$`));
    // The thread shows the reply as delivered once the sink accepted it.
    await expect
      .poll(
        async () => page.locator(".msg-agent", { hasText: "A replacement kettle ships today" }).textContent(),
        { timeout: 15_000 },
      )
      .toMatch(/Sent/);

    // The customer answers the reply (their client quotes only the reply's Message-ID).
    const answer = await customer.sendMail({
      from: "Rosa Díaz <rosa@customer.example>",
      to: replyTo,
      subject: `Re: ${outbound.subject}`,
      text: "Wonderful, thank you for sorting it so quickly!",
      inReplyTo: outbound.messageId,
      references: [outbound.messageId as string],
    });
    expect(answer.response).toMatch(/^250/);
    await page.locator(".msg-customer", { hasText: "thank you for sorting it so quickly" }).waitFor();
    expect(await page.locator(".thread .msg").count()).toBe(3);
    expect(await page.evaluate(() => (window as Window & { tendTestMark?: boolean }).tendTestMark)).toBe(
      true,
    );
    customer.close();
  });
});
