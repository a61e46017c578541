import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { buildTestContext } from "../../../test/app.ts";
import { describeDb, useTestDatabase } from "../../../test/db.ts";
import { timelineEvents } from "../../db/schema.ts";
import { withTransaction } from "../../db/transaction.ts";
import type { TendEvent } from "../../events/event-bus.ts";
import { findOrCreateCustomerByIdentity } from "../customers/customers.service.ts";
import { addMessage, createTicket, getTicketRow, updateTicket } from "./tickets.service.ts";

describeDb("tickets service", () => {
  const database = useTestDatabase();

  it("finds the same customer however the address is written, and creates one otherwise", async () => {
    const ctx = buildTestContext(database.current);
    const first = await findOrCreateCustomerByIdentity(ctx, {
      kind: "email",
      value: "Ana@Example.com",
      name: "Ana",
    });
    const again = await findOrCreateCustomerByIdentity(ctx, { kind: "email", value: " ana@example.COM " });
    expect(first.created).toBe(true);
    expect(again).toEqual({ customerId: first.customerId, created: false });
  });

  it("creates one customer when two intakes race on a new address", async () => {
    const ctx = buildTestContext(database.current);
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        findOrCreateCustomerByIdentity(ctx, { kind: "email", value: "race@example.com" }),
      ),
    );
    expect(new Set(results.map((r) => r.customerId)).size).toBe(1);
  });

  it("reopens a solved ticket when the customer writes, and publishes only after commit", async () => {
    const ctx = buildTestContext(database.current);
    const seen: TendEvent[] = [];
    ctx.events.subscribe((event) => seen.push(event));
    const { customerId } = await findOrCreateCustomerByIdentity(ctx, {
      kind: "email",
      value: "bo@example.com",
    });
    const ticket = await withTransaction(ctx, async (tx) => {
      const created = await createTicket(tx, { subject: "Broken zip", customerId, channel: "email" });
      await addMessage(tx, {
        ticketId: created.id,
        direction: "inbound",
        channel: "email",
        text: "The zip broke",
      });
      expect(seen).toHaveLength(0);
      return created;
    });
    // Queue plumbing (job.enqueued, for rules and routing) aside, the inbox hears of the ticket and its message.
    expect(seen.map((e) => e.type).filter((type) => type !== "job.enqueued")).toEqual([
      "ticket.created",
      "message.created",
    ]);

    await addMessage(ctx, {
      ticketId: ticket.id,
      direction: "outbound",
      channel: "email",
      text: "Sorry!",
      authorUserId: null,
    });
    expect((await getTicketRow(ctx, ticket.id)).status).toBe("open");
    ctx.clock.advance(60_000);
    const solved = await updateTicket(ctx, ticket.id, { status: "solved" });
    expect(solved.solvedAt?.toISOString()).toBe(ctx.clock.now().toISOString());
    await addMessage(ctx, {
      ticketId: ticket.id,
      direction: "inbound",
      channel: "email",
      text: "Still broken",
    });
    const reopened = await getTicketRow(ctx, ticket.id);
    expect(reopened.status).toBe("open");
    expect(reopened.solvedAt).toBeNull();

    const kinds = (
      await ctx.db.select().from(timelineEvents).where(eq(timelineEvents.customerId, customerId))
    ).map((e) => e.kind);
    expect(kinds).toContain("ticket.created");
    expect(kinds.filter((k) => k === "ticket.status_changed").length).toBeGreaterThanOrEqual(2);
  });

  it("rolls back and publishes nothing when the transaction fails", async () => {
    const ctx = buildTestContext(database.current);
    const seen: TendEvent[] = [];
    ctx.events.subscribe((event) => seen.push(event));
    const { customerId } = await findOrCreateCustomerByIdentity(ctx, {
      kind: "email",
      value: "cy@example.com",
    });
    await expect(
      withTransaction(ctx, async (tx) => {
        await createTicket(tx, { subject: "Doomed", customerId, channel: "email" });
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(seen).toHaveLength(0);
  });
});
