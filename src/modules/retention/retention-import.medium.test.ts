import { createWriteStream, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import v8 from "node:v8";
import vm from "node:vm";
import { asc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { buildTestContext } from "../../../test/app.ts";
import { describeDb, testBackend, useTestDatabase } from "../../../test/db.ts";
import { buildCustomer } from "../../../test/factories.ts";
import { messages, tickets, timelineEvents } from "../../db/schema.ts";
import { searchTickets } from "../tickets/tickets-search.service.ts";
import type { RowError } from "./retention-csv.reader.ts";
import { countOrders } from "./retention-import.repo.ts";
import { type ImportOptions, importCsv } from "./retention-import.service.ts";
import { loadWorkspacePurchases, summarizeRetention } from "./retention-measures.service.ts";

describeDb("CSV import", () => {
  const database = useTestDatabase();
  let ctx: ReturnType<typeof buildTestContext>;
  const dir = mkdtempSync(path.join(tmpdir(), "tend-import-"));
  const file = (name: string, text: string) => {
    const at = path.join(dir, name);
    writeFileSync(at, text);
    return at;
  };
  const options = (
    kind: ImportOptions["kind"],
    at: string,
    extra: Partial<ImportOptions> = {},
  ): ImportOptions => ({
    kind,
    file: at,
    map: {},
    currency: "EUR",
    dateFormat: "iso",
    decimalComma: false,
    partial: false,
    ...extra,
  });

  beforeAll(async () => {
    ctx = buildTestContext(database.current);
    ctx.clock.set("2026-04-02T09:00:00Z");
  });
  afterAll(() => undefined);

  it("imports customers, then a shop's order export with its own column names, idempotently", async () => {
    const customers = file(
      "customers.csv",
      "customer_id,email,name\nC-1,ana@shop.test,Ana\nC-2,ben@shop.test,Ben\nC-3,,Cleo\n",
    );
    const first = await importCsv(ctx, options("customers", customers));
    expect(first).toMatchObject({ rows: 3, imported: 3, customersCreated: 3, rowErrors: 0, committed: true });
    const again = await importCsv(ctx, options("customers", customers));
    expect(again).toMatchObject({ imported: 3, customersCreated: 0, customersUpdated: 3 });

    // An existing customer by email, known before the import: the order lands on them.
    const existing = await buildCustomer(ctx, { email: "dora@shop.test", name: "Dora" });
    const orders = file(
      "orders.csv",
      [
        "Order,Customer,E-mail,Date,Total,Currency",
        "1001,C-1,,2026-01-05,12.50,EUR",
        '1002,C-2,,2026-01-10T14:30:00+02:00,"1,234.00",',
        "1003,C-1,,20260210,€20,",
        "1004,,dora@shop.test,2026-02-11,5,",
        "1005,,new@shop.test,2026-03-01,1000,JPY",
        "1006,C-3,,2026-03-02,7.10,EUR",
      ].join("\n"),
    );
    const map = {
      order_id: "Order",
      customer_id: "Customer",
      email: "E-mail",
      placed_at: "Date",
      amount: "Total",
      currency: "Currency",
    };
    const imported = await importCsv(ctx, options("orders", orders, { map }));
    expect(imported).toMatchObject({
      rows: 6,
      imported: 6,
      alreadyPresent: 0,
      customersCreated: 1,
      committed: true,
    });
    const log = await loadWorkspacePurchases(ctx, { currency: "EUR" });
    const amounts = log.purchases.map((p) => p.amountMinor).sort((a, b) => a - b);
    expect(amounts).toEqual([500, 710, 1250, 2000, 123400]);
    expect(log.purchases.find((p) => p.amountMinor === 500)?.customerId).toBe(String(existing));
    expect((await loadWorkspacePurchases(ctx, { currency: "JPY" })).purchases[0].amountMinor).toBe(1000);

    const before = await countOrders(ctx.db);
    const rerun = await importCsv(ctx, options("orders", orders, { map }));
    expect(rerun).toMatchObject({ imported: 0, alreadyPresent: 6, customersCreated: 0, committed: true });
    expect(await countOrders(ctx.db)).toBe(before);
  });

  it("skips rows without an order id on a re-import, and keeps identical purchases in one file apart", async () => {
    const rows = [
      "customer_id,email,placed_at,amount",
      "N-1,n1@shop.test,2026-03-01,10.00",
      // The same purchase twice that day: two orders, both kept.
      "N-1,n1@shop.test,2026-03-01,10.00",
      "N-1,n1@shop.test,2026-03-02,10.00",
      "N-2,n2@shop.test,2026-03-01,10.00",
      "N-2,n2@shop.test,2026-03-01,10.00",
    ];
    const noIds = file("no-ids.csv", rows.join("\n"));
    const before = await countOrders(ctx.db);
    // Batches of two, so a repeated purchase's count carries across batches.
    const first = await importCsv(ctx, options("orders", noIds, { batchSize: 2 }));
    expect(first).toMatchObject({ imported: 5, alreadyPresent: 0, committed: true });
    expect(await countOrders(ctx.db)).toBe(before + 5);

    const again = await importCsv(ctx, options("orders", noIds, { batchSize: 2 }));
    expect(again).toMatchObject({ rows: 5, imported: 0, alreadyPresent: 5, committed: true });
    expect(await countOrders(ctx.db)).toBe(before + 5);

    // A later export: the same purchases in another order and date format, a third identical one, and a new one.
    const later = file(
      "no-ids-later.csv",
      [
        rows[0],
        "N-2,n2@shop.test,20260301,10",
        "N-1,n1@shop.test,20260302,10",
        "N-1,n1@shop.test,2026-03-01,10.00",
        "N-2,n2@shop.test,2026-03-01,10.00",
        "N-1,n1@shop.test,2026-03-01,10.00",
        "N-1,n1@shop.test,2026-03-01,10.00",
        "N-1,n1@shop.test,2026-03-01,12.00",
      ].join("\n"),
    );
    const third = await importCsv(ctx, options("orders", later));
    expect(third).toMatchObject({ rows: 7, imported: 2, alreadyPresent: 5, committed: true });
    expect(await countOrders(ctx.db)).toBe(before + 7);
  });

  it("reports every bad row by line and imports nothing, or with --partial only the good rows", async () => {
    const bad = file(
      "bad.csv",
      [
        "order_id,customer_id,email,placed_at,amount",
        "2001,C-1,,2026-03-05,10.00",
        "2002,C-1,,2026-02-30,10.00",
        "2003,C-1,,2026-03-06,-4.00",
        "2004,C-1,,2026-03-06,12abc",
        "2005,,,2026-03-07,3.00",
        "2006,C-404,,2026-03-08,3.00",
        "2007,C-2,,2026-03-09,1.234",
        "2008,C-2,,2026-03-09",
        "2009,C-2,,2026-03-10,8.00",
      ].join("\n"),
    );
    const before = await countOrders(ctx.db);
    const streamed: RowError[] = [];
    const result = await importCsv(ctx, options("orders", bad, { onRowError: (e) => streamed.push(e) }));
    expect(result.committed).toBe(false);
    expect(result.imported).toBe(0);
    expect(await countOrders(ctx.db)).toBe(before);
    expect(result.errors.map((e) => e.line).sort((a, b) => a - b)).toEqual([3, 4, 5, 6, 7, 8, 9]);
    const reason = (line: number) => result.errors.find((e) => e.line === line)?.reason;
    expect(reason(3)).toMatch(/placed_at "2026-02-30" is not a date/);
    expect(reason(4)).toMatch(/negative/);
    expect(reason(5)).toMatch(/amount "12abc" is not an amount/);
    expect(reason(6)).toMatch(/no customer/);
    expect(reason(7)).toMatch(/no customer with customer_id "C-404"/);
    expect(reason(8)).toMatch(/more than 2 decimal places/);
    expect(reason(9)).toMatch(/cells where the header has/);
    expect(streamed).toHaveLength(7);

    const partial = await importCsv(ctx, options("orders", bad, { partial: true }));
    expect(partial).toMatchObject({ committed: true, imported: 2, rowErrors: 7 });
    expect(await countOrders(ctx.db)).toBe(before + 2);
  });

  it("explains a missing column and a date format", async () => {
    const noAmount = file("no-amount.csv", "customer_id,placed_at,Total\nC-1,2026-01-01,3\n");
    await expect(importCsv(ctx, options("orders", noAmount))).rejects.toThrow(/--map amount=/);
    const european = file(
      "eu.csv",
      'order_id,customer_id,placed_at,amount\n3001,C-1,05.03.2026,"1.234,50"\n',
    );
    const result = await importCsv(
      ctx,
      options("orders", european, { dateFormat: "dmy", decimalComma: true }),
    );
    expect(result).toMatchObject({ imported: 1, committed: true });
    const log = await loadWorkspacePurchases(ctx, { currency: "EUR" });
    expect(log.purchases.some((p) => p.amountMinor === 123450)).toBe(true);
  });

  it("imports historical tickets for known customers, once", async () => {
    const ticketsFile = file(
      "tickets.csv",
      [
        "ticket_id,customer_id,subject,created_at,solved_at,channel,tags",
        "T-1,C-1,Where is my parcel?,2026-01-06T10:00:00Z,2026-01-07T09:00:00Z,email,shipping;late",
        "T-2,C-2,Refund please,2026-02-01,,chat,",
      ].join("\n"),
    );
    const first = await importCsv(ctx, options("tickets", ticketsFile));
    expect(first).toMatchObject({ rows: 2, imported: 2, rowErrors: 0, committed: true });
    const rows = await ctx.db
      .select()
      .from(tickets)
      .where(sql`${tickets.customFields}->>'importedTicketId' is not null`);
    const byId = Object.fromEntries(rows.map((t) => [String(t.customFields.importedTicketId), t]));
    expect(byId["T-1"]).toMatchObject({ status: "closed", channel: "email", tags: ["shipping", "late"] });
    expect(byId["T-1"].solvedAt?.toISOString()).toBe("2026-01-07T09:00:00.000Z");
    expect(byId["T-2"]).toMatchObject({ status: "open", channel: "chat", solvedAt: null });
    const again = await importCsv(ctx, options("tickets", ticketsFile));
    expect(again).toMatchObject({ imported: 0, alreadyPresent: 2 });
    const bad = file("bad-tickets.csv", "customer_id,subject,created_at,channel\nC-1,Hi,2026-01-01,fax\n");
    const refused = await importCsv(ctx, options("tickets", bad));
    expect(refused.errors).toEqual([{ line: 2, reason: expect.stringMatching(/channel "fax"/) }]);
  });

  it("imports tickets with their messages, one row per message: searchable, scored for frustration, once", async () => {
    const conversation = file(
      "ticket-messages.csv",
      [
        "ticket_id,customer_id,subject,created_at,solved_at,status,message,sent_at,author",
        'M-1,C-1,Parcel missing,2026-03-02T09:00:00Z,2026-03-04T10:00:00Z,solved,"Where is my parcel? Order 1001 never arrived.",,',
        'M-1,,,,,,"Sorry about that, a new one ships today.",2026-03-02T11:00:00Z,agent',
        'M-1,,,,,,"It is STILL not here!!! This is the third time I am asking. I want a full refund or I will file a chargeback.",2026-03-04T08:00:00Z,customer',
        "M-1,,,,,,Refund issued by finance.,2026-03-04T09:00:00Z,note",
        'M-2,C-2,Invoice copy,2026-03-05,,,"Could you send me a copy of my invoice, please?",,inbound',
        "M-6,C-2,Invoice again,2026-03-06,,,Any news on the invoice?,,",
        "M-7,C-2,Invoice,2026-03-07,,,Hello? The invoice?,,",
      ].join("\n"),
    );
    // Batches of two rows: M-1's later messages arrive after the batch that opened it.
    const opts = options("tickets", conversation, { map: { body: "message" }, batchSize: 2 });
    const first = await importCsv(ctx, opts);
    expect(first).toMatchObject({
      imported: 4,
      messages: 7,
      rowErrors: 0,
      alreadyPresent: 0,
      committed: true,
    });

    const [m1] = await ctx.db
      .select()
      .from(tickets)
      .where(sql`${tickets.customFields}->>'importedTicketId' = 'M-1'`);
    expect(m1).toMatchObject({ status: "solved", subject: "Parcel missing" });
    expect(m1.lastMessageAt.toISOString()).toBe("2026-03-04T09:00:00.000Z");
    expect(m1.lastCustomerMessageAt?.toISOString()).toBe("2026-03-04T08:00:00.000Z");
    const thread = await ctx.db
      .select()
      .from(messages)
      .where(eq(messages.ticketId, m1.id))
      .orderBy(asc(messages.createdAt));
    expect(thread.map((m) => [m.direction, m.isInternal, m.createdAt.toISOString()])).toEqual([
      ["inbound", false, "2026-03-02T09:00:00.000Z"],
      ["outbound", false, "2026-03-02T11:00:00.000Z"],
      ["inbound", false, "2026-03-04T08:00:00.000Z"],
      ["outbound", true, "2026-03-04T09:00:00.000Z"],
    ]);
    expect(thread[0].authorCustomerId).toBe(m1.customerId);
    // Scored as intake scores a customer's message; agents' replies and notes are not scored.
    expect(thread[0].frustrationScore).toBeLessThan(0.5);
    expect(thread[2].frustrationScore).toBeGreaterThanOrEqual(0.5);
    expect(thread[2].frustrationCues).toEqual(
      expect.arrayContaining(["demands a refund", "threatens a chargeback"]),
    );
    expect(thread[1].frustrationScore).toBeNull();
    expect(thread[3].frustrationScore).toBeNull();
    // The ticket keeps the customer's frustration since the agent's last reply (a note does not answer them).
    expect(m1.frustrationScore).toBe(thread[2].frustrationScore);

    // C-2's third contact in three days: the first two were stored by earlier batches and still count.
    const [third] = await ctx.db
      .select({ cues: messages.frustrationCues })
      .from(messages)
      .innerJoin(tickets, eq(tickets.id, messages.ticketId))
      .where(sql`${tickets.customFields}->>'importedTicketId' = 'M-7'`);
    expect(third.cues).toContain("third contact in 5 days");

    const search = await searchTickets(ctx, {
      q: "chargeback",
      prefix: false,
      filter: { meUserId: null },
      limit: 10,
    });
    expect(search.hits.map((hit) => hit.summary.id)).toEqual([m1.id]);
    const events = await ctx.db
      .select({ kind: timelineEvents.kind })
      .from(timelineEvents)
      .where(eq(timelineEvents.ticketId, m1.id));
    expect(events.map((e) => e.kind).sort()).toEqual([
      "message.received",
      "message.received",
      "message.sent",
      "ticket.created",
      "ticket.note",
    ]);

    const again = await importCsv(ctx, opts);
    expect(again).toMatchObject({ imported: 0, messages: 0, alreadyPresent: 7, committed: true });
    expect(await ctx.db.$count(messages, eq(messages.ticketId, m1.id))).toBe(4);

    const bad = file(
      "bad-messages.csv",
      [
        "ticket_id,customer_id,subject,created_at,body,sent_at,author",
        "M-3,C-1,Hello,2026-03-06,Hi there,,robot",
        "M-4,C-1,Hello,2026-03-06T10:00:00Z,Hi there,2026-03-06T09:00:00Z,customer",
        "M-5,,,,A reply to a ticket nobody opened,2026-03-07,agent",
      ].join("\n"),
    );
    const refused = await importCsv(ctx, options("tickets", bad));
    expect(refused.committed).toBe(false);
    expect(refused.errors).toEqual([
      { line: 2, reason: expect.stringMatching(/author "robot" is not one of customer, agent, note/) },
      { line: 3, reason: "sent_at is before the ticket's created_at" },
      { line: 4, reason: "no customer: customer_id and email are both empty" },
    ]);
  });

  it("imports a 200,000-row file in batches with bounded memory", async () => {
    const big = path.join(dir, "big.csv");
    const out = createWriteStream(big);
    out.write("order_id,customer_id,email,placed_at,amount\n");
    const rows = 200_000;
    for (let i = 0; i < rows; i++) {
      const customer = i % 20_000;
      const day = new Date(Date.UTC(2024, 0, 1) + ((i * 7919) % 800) * 86_400_000).toISOString().slice(0, 10);
      out.write(
        `B-${i},K-${customer},k${customer}@bulk.test,${day},${1 + (i % 90)}.${String(i % 100).padStart(2, "0")}\n`,
      );
    }
    await new Promise<void>((resolve) => out.end(resolve));
    // Heap still in use after a full collection, every 50,000 rows: flat if memory does not grow with rows.
    v8.setFlagsFromString("--expose-gc");
    const gc = vm.runInNewContext("gc") as () => void;
    gc();
    const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
    const retained: string[] = [`0: ${mib(process.memoryUsage().heapUsed)}`];
    let nextSample = 50_000;
    const started = performance.now();
    const result = await importCsv(ctx, {
      ...options("orders", big),
      onProgress: (p) => {
        if (p.rows < nextSample) return;
        nextSample += 50_000;
        gc();
        retained.push(`${p.rows}: ${mib(process.memoryUsage().heapUsed)}`);
      },
    });
    const seconds = (performance.now() - started) / 1000;
    expect(result).toMatchObject({
      rows,
      imported: rows,
      rowErrors: 0,
      customersCreated: 20_000,
      committed: true,
    });
    const summary = summarizeRetention(await loadWorkspacePurchases(ctx, { currency: "EUR" }));
    expect(summary.scope.customers).toBeGreaterThanOrEqual(20_000);
    // Figures for the report, not assertions: rows per second and the retained heap (MiB) as rows go in.
    console.log(
      `import of ${rows} rows (${(readFileSync(big).length / 2 ** 20).toFixed(1)} MiB) on ${testBackend}: ${(rows / seconds).toFixed(0)} rows/s; heap after GC by rows read (MiB) ${retained.join(", ")}; rss ${mib(process.memoryUsage().rss)} MiB`,
    );
  }, 600_000);
});
