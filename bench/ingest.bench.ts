// Mail ingestion: messages per second from an SMTP client to committed tickets, beside the raw INSERT rate of the
// same rows on the same database. Usage: npm run bench -- ingest [--messages N] [--backend pglite|postgres|both]

import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { count, ne } from "drizzle-orm";
import { systemClock } from "../src/clock.ts";
import { buildConfig } from "../src/config.ts";
import type { Db } from "../src/db/client.ts";
import {
  customerIdentities,
  customers,
  inboundMails,
  messages,
  tickets,
  timelineEvents,
  workspace,
} from "../src/db/schema.ts";
import { createEventBus } from "../src/events/event-bus.ts";
import { startSmtpServer } from "../src/modules/email/smtp-server.ts";
import { createSettingsCache } from "../src/settings-cache.ts";
import { openBenchDatabase, round } from "./bench-db.ts";

function flag(args: string[], name: string, fallback: string): string {
  const index = args.indexOf(`--${name}`);
  return index >= 0 && args[index + 1] ? args[index + 1] : fallback;
}

const body = (i: number) =>
  `Hello,\n\nmy order #${10000 + i} arrived with a cracked jar and the beans spilled everywhere. ` +
  "Could you send a replacement, or refund it? I have attached nothing, just writing from my phone.\n\nThanks,\nSam\n";

const here = path.dirname(fileURLToPath(import.meta.url));

function mailFor(i: number, domain: string) {
  return {
    from: `"Customer ${i % 400}" <customer${i % 400}@example.com>`,
    to: `support@${domain}`,
    subject: `Damaged order ${10000 + i}`,
    text: body(i),
    messageId: `<bench-${i}-${randomBytes(4).toString("hex")}@example.com>`,
  };
}

async function runOn(kind: "pglite" | "postgres", total: number, connections: number) {
  const database = await openBenchDatabase(kind, "ingest");
  const config = buildConfig({ logLevel: "silent", mailDomain: "bench.tend.test" });
  const context = {
    db: database.db,
    database,
    clock: systemClock,
    events: createEventBus(),
    config,
    cache: createSettingsCache(),
  };
  await database.db
    .insert(workspace)
    .values({ name: "Bench", supportAddress: `support@${config.mailDomain}` });
  const server = await startSmtpServer(context, { host: "127.0.0.1", port: 0 });
  try {
    const processedBefore = await processedCount(database.db);
    // The client is a separate process (bench/smtp-client.ts), as a sending MTA would be.
    const client = await runClient(server.port, total, connections, config.mailDomain);
    // A 250 comes after the mail is committed and threaded, so all are in when the client finishes; if any is
    // not (a fallback path), the clock runs on until it is.
    let doneMs = client.endMs;
    while ((await processedCount(database.db)) - processedBefore < total + 20) {
      if (Date.now() - client.startMs > 600_000) throw new Error("ingest did not finish within 10 minutes");
      await new Promise((resolve) => setTimeout(resolve, 20));
      doneMs = Date.now();
    }
    const start = client.startMs;
    const acknowledged = client.endMs;
    const done = doneMs;
    const [{ n: ticketCount }] = await database.db.select({ n: count() }).from(tickets);

    // Baseline: the same rows (raw mail, customer, identity, ticket, message, timeline), one transaction per mail.
    const baselineStart = performance.now();
    for (let i = 0; i < total; i++) {
      const mail = mailFor(2_000_000 + i, config.mailDomain);
      const raw = Buffer.from(
        `From: ${mail.from}\r\nTo: ${mail.to}\r\nSubject: ${mail.subject}\r\nMessage-ID: ${mail.messageId}\r\n\r\n${mail.text}`,
      );
      await database.db.transaction(async (tx) => {
        await tx
          .insert(inboundMails)
          .values({ source: "smtp", raw, size: raw.length, envelopeTo: [mail.to], state: "processed" });
        const [customer] = await tx
          .insert(customers)
          .values({ name: `Baseline ${i}` })
          .returning({ id: customers.id });
        await tx.insert(customerIdentities).values({
          customerId: customer.id,
          kind: "email",
          value: `baseline${i}@example.com`,
          isPrimary: true,
        });
        const [ticket] = await tx
          .insert(tickets)
          .values({
            subject: mail.subject,
            channel: "email",
            customerId: customer.id,
            replyToken: randomBytes(9).toString("base64url"),
          })
          .returning({ id: tickets.id });
        await tx.insert(messages).values({
          ticketId: ticket.id,
          direction: "inbound",
          channel: "email",
          authorCustomerId: customer.id,
          text: mail.text,
          mailMessageId: mail.messageId.slice(1, -1),
          deliveryStatus: "received",
        });
        await tx.insert(timelineEvents).values({
          customerId: customer.id,
          ticketId: ticket.id,
          kind: "message.received",
          summary: "baseline",
        });
      });
    }
    const baselineSeconds = (performance.now() - baselineStart) / 1000;
    const ingestSeconds = (done - start) / 1000;
    const ingestRate = total / ingestSeconds;
    const baselineRate = total / baselineSeconds;
    return {
      backend: kind,
      messages: total,
      smtpConnections: connections,
      ticketsAfter: ticketCount,
      acknowledgedPerSecond: round(total / ((acknowledged - start) / 1000), 1),
      ingestedPerSecond: round(ingestRate, 1),
      baselineRawInsertPerSecond: round(baselineRate, 1),
      ratioToBaseline: round(ingestRate / baselineRate, 2),
    };
  } finally {
    await server.close();
    await database.dispose();
  }
}

function runClient(port: number, total: number, connections: number, domain: string) {
  return new Promise<{ startMs: number; endMs: number }>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        path.join(here, "smtp-client.ts"),
        String(port),
        String(total),
        String(connections),
        domain,
        "0",
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.once("exit", (code) => {
      if (code !== 0) reject(new Error(`the SMTP client exited with ${code}`));
      else resolve(JSON.parse(out.trim().split("\n").pop() ?? "{}"));
    });
  });
}

async function processedCount(db: Db) {
  const [{ n }] = await db.select({ n: count() }).from(inboundMails).where(ne(inboundMails.state, "stored"));
  return n;
}

export async function run(args: string[]) {
  const total = Number(flag(args, "messages", "2000"));
  const connections = Number(flag(args, "connections", "8"));
  const backend = flag(args, "backend", "both");
  const results = [];
  if (backend !== "postgres") results.push(await runOn("pglite", total, connections));
  if (backend !== "pglite") results.push(await runOn("postgres", total, connections));
  return { aim: "at least 200 messages/s on PGlite and 500 on PostgreSQL (2-core machine)", results };
}
