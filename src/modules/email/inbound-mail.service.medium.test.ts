import { asc, eq } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { buildTestContext } from "../../../test/app.ts";
import { describeDb, useTestDatabase } from "../../../test/db.ts";
import { loadMailFixture } from "../../../test/mail-fixtures.ts";
import { attachments, customerIdentities, inboundMails, messages, tickets, users } from "../../db/schema.ts";
import type { TendEvent } from "../../events/event-bus.ts";
import { replyToTicket } from "../../workflows/reply-to-ticket.workflow.ts";
import { getTicketRow, updateTicket } from "../tickets/tickets.service.ts";
import {
  ingestRawMail,
  ingestRawMailBatch,
  parseRawMail,
  reprocessStoredMails,
  storeRawMail,
} from "./inbound-mail.service.ts";

describeDb("inbound mail: the fixture corpus through ingestRawMail", () => {
  const database = useTestDatabase();
  const ctx = () => buildTestContext(database.current, { config: { mailDomain: "tend.test" } });
  const ingest = (name: string, values: Record<string, string | number> = {}) =>
    ingestRawMail(ctx(), loadMailFixture(name, values), {
      from: "sender@example.com",
      to: ["support@tend.test"],
      source: "smtp",
    });

  async function messageOf(id: number | null) {
    const [row] = await database.current.db
      .select()
      .from(messages)
      .where(eq(messages.id, id ?? -1));
    return row;
  }
  async function customerEmailOf(customerId: number | null) {
    const rows = await database.current.db
      .select({ value: customerIdentities.value })
      .from(customerIdentities)
      .where(eq(customerIdentities.customerId, customerId ?? -1));
    return rows.map((r) => r.value);
  }

  beforeAll(async () => {
    await database.current.db
      .insert(users)
      .values({ email: "Maya@acme.example", name: "Maya Agent", role: "agent" });
  });

  it("threads a Gmail conversation: follow-up and the Cc'd third party join, a new topic does not", async () => {
    const first = await ingest("gmail-new.eml");
    expect(first.outcome).toBe("created");
    const ticket = await getTicketRow(ctx(), first.ticketId!);
    expect(ticket.subject).toBe("Order 1042 arrived damaged");
    expect(await customerEmailOf(ticket.customerId)).toEqual(["ana.lima@gmail.com"]);
    const firstMessage = await messageOf(first.messageId);
    expect(firstMessage.text).toContain("the jar of coffee beans is cracked — beans everywhere");
    expect(firstMessage.ccAddresses).toEqual([{ name: "Erik Berg", address: "erik@partner.example" }]);

    const followUp = await ingest("gmail-reply.eml");
    expect(followUp).toMatchObject({ outcome: "joined", ticketId: ticket.id, via: "in-reply-to" });

    const third = await ingest("cc-third-party-reply.eml");
    expect(third).toMatchObject({ outcome: "joined", ticketId: ticket.id });
    const thirdMessage = await messageOf(third.messageId);
    expect(thirdMessage.authorCustomerId).not.toBe(ticket.customerId);
    expect(await customerEmailOf(thirdMessage.authorCustomerId)).toEqual(["erik@partner.example"]);

    const newTopic = await ingest("new-topic-as-reply.eml");
    expect(newTopic.outcome).toBe("created");
    expect(newTopic.ticketId).not.toBe(ticket.id);
    expect((await getTicketRow(ctx(), newTopic.ticketId!)).subject).toBe(
      "Change the billing address on my account",
    );
    expect((await messageOf(newTopic.messageId)).metadata).toMatchObject({ splitFromTicketId: ticket.id });
  });

  it("joins an Outlook reply whose In-Reply-To Outlook rewrote, by its Thread-Index conversation", async () => {
    const first = await ingest("outlook-new.eml");
    const reply = await ingest("outlook-reply-rewritten.eml");
    expect(first.outcome).toBe("created");
    expect(reply).toMatchObject({ outcome: "joined", ticketId: first.ticketId, via: "thread-index" });
    const html = (await messageOf(first.messageId)).html ?? "";
    expect(html).toContain("coffee is taxed at 12% in Sweden");
    expect(html).not.toMatch(/<style|MsoNormal \{/);
  });

  it("never merges two people answering the same newsletter", async () => {
    const a = await ingest("newsletter-reply-a.eml");
    const b = await ingest("newsletter-reply-b.eml");
    expect(a.outcome).toBe("created");
    expect(b.outcome).toBe("created");
    expect(a.ticketId).not.toBe(b.ticketId);
  });

  it("opens the ticket of an agent-forwarded mail for the original sender", async () => {
    const result = await ingest("forwarded-by-agent.eml");
    const ticket = await getTicketRow(ctx(), result.ticketId!);
    expect(ticket.subject).toBe("Lid of my grinder broke");
    expect(await customerEmailOf(ticket.customerId)).toEqual(["dana.okafor@example.org"]);
    expect((await messageOf(result.messageId)).metadata).toMatchObject({
      forwardedByUserId: expect.any(Number),
    });
  });

  it("decodes Apple Mail, ISO-8859-1, Windows-1252 and Shift_JIS", async () => {
    const apple = await messageOf((await ingest("apple-mail.eml")).messageId);
    expect(apple.mailSubject).toBe("Grüße aus Zürich – subscription pause");
    expect(apple.text).toContain("könnten Sie mein Abo für Februar pausieren?");
    const latin = await ingest("iso-8859-1.eml");
    expect((await messageOf(latin.messageId)).text).toContain(
      "el café llegó frío y el envase está dañado. ¿Pueden",
    );
    expect((await getTicketRow(ctx(), latin.ticketId!)).subject).toBe("Pedido nº 77 - café");
    const cp = await messageOf((await ingest("windows-1252.eml")).messageId);
    expect(cp.text).toContain("You said “the refund is on its way” – it’s been 3 weeks. I paid €49.90.");
    expect(cp.mailSubject).toBe("Refund of €49.90");
    const sjis = await ingest("shift-jis.eml");
    const sjisMessage = await messageOf(sjis.messageId);
    expect(sjisMessage.text).toContain("コーヒーの注文がまだ届きません。");
    expect(sjisMessage.mailSubject).toBe("コーヒーの注文");
    expect(sjisMessage.fromAddress).toEqual({ name: "山田", address: "yamada@example.jp" });
  });

  it("keeps mail with missing or broken headers, and dedupes a re-delivery without Message-ID", async () => {
    const first = await ingest("missing-headers.eml");
    expect(first.outcome).toBe("created");
    const again = await ingest("missing-headers.eml");
    expect(again).toMatchObject({ outcome: "duplicate", messageId: first.messageId });
    expect((await messageOf(first.messageId)).text).toContain("broken script");

    const broken = await ingest("broken-headers.eml");
    expect(broken.outcome).toBe("created");
    expect((await messageOf(broken.messageId)).text).toContain("Body after broken headers still arrives.");

    const malformed = await ingest("malformed-mime.eml");
    expect(malformed.outcome).toBe("created");
    expect((await messageOf(malformed.messageId)).text).toContain("Here is my receipt");
  });

  it("sanitises hostile HTML and blocks remote images", async () => {
    const result = await ingest("html-only-hostile.eml");
    const message = await messageOf(result.messageId);
    const html = message.html ?? "";
    expect(html).toContain("Thanks!");
    expect(html).not.toMatch(
      /<script|<style|<iframe|<form|<input|onload|onerror|onclick|javascript:|style=/i,
    );
    expect(html).not.toMatch(/<img[^>]+tracker/);
    expect(html).toContain('<a href="https://tracker.shady.example/open.gif?id=42"');
    expect(message.text).toContain("verify your account");
  });

  it("stores attachments and points inline cid images at the attachment URL", async () => {
    const result = await ingest("attachments-inline-cid.eml");
    const files = await database.current.db
      .select()
      .from(attachments)
      .where(eq(attachments.messageId, result.messageId!))
      .orderBy(asc(attachments.id));
    expect(files.map((f) => [f.filename, f.contentType, f.inline])).toEqual([
      ["parcel.png", "image/png", true],
      ["delivery-note.pdf", "application/pdf", false],
    ]);
    expect(files[1].content.subarray(0, 8).toString()).toBe("%PDF-1.4");
    expect(files[0].size).toBe(files[0].content.length);
    const html = (await messageOf(result.messageId)).html ?? "";
    expect(html).toContain(`<img src="/api/v1/attachments/${files[0].id}" alt="parcel" />`);
  });

  it("records auto-replies and bulk mail without reopening, and marks a bounced reply failed", async () => {
    const c = ctx();
    const first = await ingest("apple-mail.eml");
    // Ingested by an earlier test: the re-delivery is recognised and names the existing ticket.
    expect(first.outcome).toBe("duplicate");
    const ticketId = first.ticketId!;
    const reply = await replyToTicket(c, { ticketId, authorUserId: null, text: "Paused until March." });
    await updateTicket(c, ticketId, { status: "solved" });

    const ooo = await ingest("auto-reply-out-of-office.eml", {
      TEND_MESSAGE_ID: reply.mailMessageId!,
      TICKET_ID: ticketId,
      UNIQUE: "1",
    });
    expect(ooo).toMatchObject({ outcome: "joined", ticketId });
    expect((await messageOf(ooo.messageId)).isAutomated).toBe(true);
    expect((await getTicketRow(c, ticketId)).status).toBe("solved");

    const bounce = await ingest("dsn-bounce.eml", {
      TEND_MESSAGE_ID: reply.mailMessageId!,
      TICKET_ID: ticketId,
    });
    expect(bounce).toMatchObject({ outcome: "joined", ticketId });
    expect((await getTicketRow(c, ticketId)).status).toBe("solved");
    const bounced = await messageOf(reply.id);
    expect(bounced.deliveryStatus).toBe("failed");
    expect(bounced.deliveryError).toContain("550 5.1.1");
    expect(bounced.deliveryError).toContain("User unknown");

    const bulk = await ingest("precedence-bulk.eml");
    expect(bulk.outcome).toBe("created");
    expect((await messageOf(bulk.messageId)).isAutomated).toBe(true);
    expect((await getTicketRow(c, bulk.ticketId!)).tags).toEqual(["automated", "bulk"]);
  });

  it("keeps a mail that was stored but not threaded (a crash) and threads it on reprocessing", async () => {
    const c = ctx();
    const raw = loadMailFixture("newsletter-reply-a.eml");
    const edited = Buffer.from(
      raw.toString("latin1").replace("finn-reply-1@", "finn-reply-crash@"),
      "latin1",
    );
    const id = await storeRawMail(c, edited, {
      from: "finn.hale@example.net",
      to: ["support@tend.test"],
      source: "smtp",
    });
    expect(await reprocessStoredMails(c)).toBe(1);
    const [row] = await database.current.db.select().from(inboundMails).where(eq(inboundMails.id, id));
    expect(row.state).toBe("processed");
    const message = await messageOf(row.messageId);
    expect(message.mailMessageId).toBe("finn-reply-crash@example.net");
    expect(await reprocessStoredMails(c)).toBe(0);
  });

  it("accepts a [#id] subject tag only from people already in that ticket", async () => {
    const c = ctx();
    const own = await ingest("windows-1252.eml");
    const ticketId = own.ticketId!;
    const mail = (from: string, id: string) =>
      Buffer.from(
        `From: ${from}\r\nTo: support@tend.test\r\nSubject: Still waiting [#${ticketId}]\r\nMessage-ID: <${id}>\r\n\r\nHello\r\n`,
      );
    const stranger = await ingestRawMail(c, mail("mallory@evil.example", "tag-1@evil.example"), {
      to: [],
      source: "smtp",
    });
    expect(stranger.outcome).toBe("created");
    expect(stranger.ticketId).not.toBe(ticketId);
    const customer = await ingestRawMail(c, mail("pat@example.ie", "tag-2@example.ie"), {
      to: [],
      source: "smtp",
    });
    expect(customer).toMatchObject({ outcome: "joined", ticketId, via: "subject-tag" });
    const count = await database.current.db.select().from(tickets).where(eq(tickets.id, ticketId));
    expect(count).toHaveLength(1);
  });

  it("commits a batch together; a duplicate or broken mail in it is recorded alone, the rest stay", async () => {
    const c = ctx();
    const published: TendEvent[] = [];
    const unsubscribe = c.events.subscribe((event) => published.push(event));
    const mail = (id: string, subject: string) =>
      Buffer.from(
        `From: Batch Sender <batch@example.org>\r\nTo: support@tend.test\r\nSubject: ${subject}\r\nMessage-ID: <${id}>\r\n\r\nHello\r\n`,
      );
    const forwarded = Buffer.from(
      loadMailFixture("forwarded-by-agent.eml").toString("latin1").replace("CAMayaFwd0001", "CAMayaFwdBatch"),
      "latin1",
    );
    const raws = [
      mail("batch-1@example.org", "First"),
      mail("batch-1@example.org", "First again"),
      mail("batch-2@example.org", "Second"),
      forwarded,
    ];
    const envelope = { from: "batch@example.org", to: ["support@tend.test"], source: "smtp" as const };
    const results = await ingestRawMailBatch(
      c,
      await Promise.all(raws.map(async (raw) => ({ raw, envelope, parsed: await parseRawMail(c, raw) }))),
    );
    unsubscribe();
    expect(results.map((r) => r.outcome)).toEqual(["created", "duplicate", "created", "created"]);
    // The agent lookup is shared by the batch; a forward by an agent still opens the ticket for the original sender.
    const forwardedTicket = await getTicketRow(c, results[3].ticketId!);
    expect(await customerEmailOf(forwardedTicket.customerId)).toEqual(["dana.okafor@example.org"]);
    expect((await messageOf(results[3].messageId)).metadata).toMatchObject({
      forwardedByUserId: expect.any(Number),
    });
    expect(results[1].messageId).toBe(results[0].messageId);
    const rows = await database.current.db
      .select()
      .from(inboundMails)
      .where(eq(inboundMails.id, results[1].inboundMailId));
    expect(rows[0]).toMatchObject({ state: "processed", messageId: results[0].messageId });
    expect(rows[0].raw.equals(raws[1])).toBe(true);
    const created = published.filter((e) => e.type === "ticket.created").map((e) => e.ticketId);
    expect(created.sort()).toEqual([results[0].ticketId, results[2].ticketId, results[3].ticketId].sort());
    expect(published.filter((e) => e.type === "message.created")).toHaveLength(3);

    // A sender who is already a customer is found by the batch's shared lookup.
    const raw = mail("batch-3@example.org", "Third");
    const [again] = await ingestRawMailBatch(c, [{ raw, envelope, parsed: await parseRawMail(c, raw) }]);
    expect((await getTicketRow(c, again.ticketId!)).customerId).toBe(
      (await getTicketRow(c, results[0].ticketId!)).customerId,
    );
  });
});
