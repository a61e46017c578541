import { eq } from "drizzle-orm";
import nodemailer from "nodemailer";
import { SMTPServer } from "smtp-server";
import { afterAll, expect, it } from "vitest";
import { buildTestContext } from "../../../test/app.ts";
import { describeDb, useTestDatabase } from "../../../test/db.ts";
import { inboundMails, messages, tickets } from "../../db/schema.ts";
import { replyToTicket } from "../../workflows/reply-to-ticket.workflow.ts";
import { missingSmtpUrlError, startOutboundWorker } from "./outbound-worker.ts";
import { startSmtpServer } from "./smtp-server.ts";

type Caught = { raw: string; from: string; to: string[] };

/** A loopback SMTP sink that answers each DATA with the next code in `codes` (then 250) and keeps what it got. */
async function startSink(codes: number[] = []) {
  const caught: Caught[] = [];
  const waiters: (() => void)[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["AUTH", "STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const code = codes.shift() ?? 250;
        if (code !== 250) {
          callback(
            Object.assign(new Error("4.7.1 Greylisted, please try again later"), { responseCode: code }),
          );
          return;
        }
        caught.push({
          raw: Buffer.concat(chunks).toString("utf8"),
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
        });
        for (const w of waiters.splice(0)) w();
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const address = server.server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `smtp://127.0.0.1:${port}`,
    caught,
    /** Resolves when `n` mails have been caught, or fails after the deadline. */
    async waitFor(n: number, deadlineMs = 5_000) {
      const until = Date.now() + deadlineMs;
      while (caught.length < n) {
        if (Date.now() > until) throw new Error(`sink got ${caught.length} of ${n} mails`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 50);
        });
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const header = (raw: string, name: string) =>
  new RegExp(`^${name}:\\s*(.+(?:\\r?\\n[ \\t].+)*)`, "im")
    .exec(raw)?.[1]
    .replace(/\r?\n[ \t]+/g, " ")
    .trim();

describeDb("mail over real SMTP", () => {
  const database = useTestDatabase();
  const closers: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const close of closers.reverse()) await close();
  });

  async function setup(
    options: { sinkCodes?: number[]; maxMessageBytes?: number; smtpUrl?: string | null } = {},
  ) {
    const sink = await startSink(options.sinkCodes);
    closers.push(sink.close);
    const ctx = buildTestContext(database.current, {
      config: {
        mailDomain: "tend.test",
        maxMessageBytes: options.maxMessageBytes ?? 25 * 1024 * 1024,
        smtpUrl: options.smtpUrl === null ? undefined : (options.smtpUrl ?? sink.url),
      },
    });
    const smtp = await startSmtpServer(ctx, { host: "127.0.0.1", port: 0 });
    closers.push(smtp.close);
    const client = nodemailer.createTransport({
      host: "127.0.0.1",
      port: smtp.port,
      secure: false,
      ignoreTLS: true,
    });
    closers.push(async () => client.close());
    return { ctx, sink, smtp, client };
  }

  it("turns a mail sent over SMTP into a ticket, and stores a re-delivered Message-ID once", async () => {
    const { ctx, client } = await setup();
    const mail = {
      from: '"Nora Quist" <nora@example.com>',
      to: "support@tend.test",
      subject: "Grinder makes a noise",
      text: "It squeaks since Monday.",
      messageId: "<nora-1@example.com>",
    };
    const info = await client.sendMail(mail);
    expect(info.response).toMatch(/^250 /);
    const [message] = await ctx.db
      .select()
      .from(messages)
      .where(eq(messages.mailMessageId, "nora-1@example.com"));
    expect(message.text).toBe("It squeaks since Monday.");
    const [ticket] = await ctx.db.select().from(tickets).where(eq(tickets.id, message.ticketId));
    expect(ticket.subject).toBe("Grinder makes a noise");

    await client.sendMail(mail);
    const copies = await ctx.db
      .select()
      .from(messages)
      .where(eq(messages.mailMessageId, "nora-1@example.com"));
    expect(copies).toHaveLength(1);
  });

  it("refuses mail for other domains (no open relay) and oversized mail with 552, storing nothing", async () => {
    const { ctx, client } = await setup({ maxMessageBytes: 4096 });
    await expect(
      client.sendMail({
        from: "a@example.com",
        to: "victim@elsewhere.example",
        subject: "relay?",
        text: "x",
      }),
    ).rejects.toMatchObject({ responseCode: 550 });
    const before = (await ctx.db.select({ id: inboundMails.id }).from(inboundMails)).length;
    const error = await client
      .sendMail({ from: "a@example.com", to: "support@tend.test", subject: "big", text: "x".repeat(10_000) })
      .then(
        () => null,
        (e: Error & { responseCode?: number; response?: string }) => e,
      );
    expect(error?.responseCode).toBe(552);
    expect(error?.response ?? error?.message).toMatch(/4096/);
    expect((await ctx.db.select({ id: inboundMails.id }).from(inboundMails)).length).toBe(before);
  });

  it("sends an agent's reply with the threading headers, and the customer's answer joins the ticket", async () => {
    const { ctx, client, sink } = await setup();
    const worker = startOutboundWorker(ctx, { intervalMs: 60_000 });
    closers.push(worker.stop);
    await client.sendMail({
      from: '"Olle Pettersson" <olle@example.se>',
      to: "support@tend.test",
      subject: "Where is my parcel?",
      text: "Tracking says nothing.",
      messageId: "<olle-1@example.se>",
    });
    const [inbound] = await ctx.db
      .select()
      .from(messages)
      .where(eq(messages.mailMessageId, "olle-1@example.se"));
    const started = Date.now();
    const reply = await replyToTicket(ctx, {
      ticketId: inbound.ticketId,
      authorUserId: null,
      text: "It left today.",
    });
    // No runOnce: the worker wakes on message.created.
    await sink.waitFor(1);
    expect(Date.now() - started).toBeLessThan(1_000);
    const raw = sink.caught[0].raw;
    expect(sink.caught[0].to).toEqual(["olle@example.se"]);
    expect(header(raw, "Message-ID")).toBe(`<${reply.mailMessageId}>`);
    expect(header(raw, "In-Reply-To")).toBe("<olle-1@example.se>");
    expect(header(raw, "References")).toBe("<olle-1@example.se>");
    expect(header(raw, "Reply-To")).toBe(reply.headers["Reply-To"]);
    expect(header(raw, "Subject")).toBe(`Re: Where is my parcel? [#${inbound.ticketId}]`);
    await expect.poll(async () => (await messageById(reply.id)).deliveryStatus).toBe("sent");

    async function messageById(id: number) {
      const [row] = await ctx.db.select().from(messages).where(eq(messages.id, id));
      return row;
    }

    // The customer answers Tend's mail in a new subject-less way: In-Reply-To alone must thread it.
    await client.sendMail({
      from: "olle@example.se",
      to: reply.headers["Reply-To"],
      subject: "Re: Where is my parcel?",
      text: "Thanks, got it.",
      messageId: "<olle-2@example.se>",
      inReplyTo: `<${reply.mailMessageId}>`,
      references: [`<olle-1@example.se>`, `<${reply.mailMessageId}>`],
    });
    const [answer] = await ctx.db
      .select()
      .from(messages)
      .where(eq(messages.mailMessageId, "olle-2@example.se"));
    expect(answer.ticketId).toBe(inbound.ticketId);
    expect(answer.metadata).toMatchObject({ threadedVia: "in-reply-to" });
  });

  it("retries after a temporary 451 with the error visible on the message, then sends", async () => {
    const { ctx, client, sink } = await setup({ sinkCodes: [451] });
    const worker = startOutboundWorker(ctx, { intervalMs: 60_000 });
    closers.push(worker.stop);
    await client.sendMail({
      from: "pia@example.fi",
      to: "support@tend.test",
      subject: "Hei",
      text: "Moi",
      messageId: "<pia-1@example.fi>",
    });
    const [inbound] = await ctx.db
      .select()
      .from(messages)
      .where(eq(messages.mailMessageId, "pia-1@example.fi"));
    const reply = await replyToTicket(ctx, {
      ticketId: inbound.ticketId,
      authorUserId: null,
      text: "Hei Pia",
    });
    await worker.runOnce();
    const read = async () => (await ctx.db.select().from(messages).where(eq(messages.id, reply.id)))[0];
    await expect.poll(async () => (await read()).deliveryAttempts).toBe(1);
    const afterFailure = await read();
    expect(afterFailure.deliveryStatus).toBe("queued");
    expect(afterFailure.deliveryError).toMatch(/451.*Greylisted/);
    expect(afterFailure.nextAttemptAt?.getTime()).toBe(ctx.clock.now().getTime() + 60_000);

    expect(await worker.runOnce()).toBe(0); // not due yet
    ctx.clock.advance(60_000);
    expect(await worker.runOnce()).toBe(1);
    const sent = await read();
    expect(sent).toMatchObject({ deliveryStatus: "sent", deliveryAttempts: 2, deliveryError: null });
    expect(sent.sentAt?.getTime()).toBe(ctx.clock.now().getTime());
    expect(sink.caught).toHaveLength(1);
  });

  it("keeps replies queued and says to set TEND_SMTP_URL when no outgoing server is configured", async () => {
    const { ctx, client } = await setup({ smtpUrl: null });
    const worker = startOutboundWorker(ctx, { intervalMs: 60_000 });
    closers.push(worker.stop);
    await client.sendMail({
      from: "rui@example.pt",
      to: "support@tend.test",
      subject: "Olá",
      text: "?",
      messageId: "<rui-1@example.pt>",
    });
    const [inbound] = await ctx.db
      .select()
      .from(messages)
      .where(eq(messages.mailMessageId, "rui-1@example.pt"));
    const reply = await replyToTicket(ctx, {
      ticketId: inbound.ticketId,
      authorUserId: null,
      text: "Olá Rui",
    });
    await worker.runOnce();
    const [row] = await ctx.db.select().from(messages).where(eq(messages.id, reply.id));
    expect(row.deliveryStatus).toBe("queued");
    expect(row.deliveryError).toBe(missingSmtpUrlError);
    expect(row.deliveryError).toContain("Set TEND_SMTP_URL");
  });
});
