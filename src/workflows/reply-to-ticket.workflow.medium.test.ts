import { expect, it } from "vitest";
import { buildTestContext } from "../../test/app.ts";
import { describeDb, useTestDatabase } from "../../test/db.ts";
import { workspace } from "../db/schema.ts";
import { withTransaction } from "../db/transaction.ts";
import { findOrCreateCustomerByIdentity } from "../modules/customers/customers.service.ts";
import { addMessage, createTicket } from "../modules/tickets/tickets.service.ts";
import { replyToTicket } from "./reply-to-ticket.workflow.ts";

describeDb("replyToTicket", () => {
  const database = useTestDatabase();

  async function emailTicket(channel: "email" | "chat" = "email") {
    const ctx = buildTestContext(database.current, { config: { mailDomain: "help.example.test" } });
    const email = `c${Math.random().toString(36).slice(2)}@example.com`;
    const { customerId } = await findOrCreateCustomerByIdentity(ctx, {
      kind: "email",
      value: email,
      name: "Ana Lima",
    });
    const ticket = await withTransaction(ctx, async (tx) => {
      const created = await createTicket(tx, { subject: "Re: Parcel never arrived", customerId, channel });
      await addMessage(tx, {
        ticketId: created.id,
        direction: "inbound",
        channel,
        authorCustomerId: customerId,
        text: "Where is it?",
        mailMessageId: channel === "email" ? `first-${created.id}@mail.example.com` : null,
        references: channel === "email" ? [`root-${created.id}@mail.example.com`] : [],
      });
      return created;
    });
    return { ctx, ticket, email, customerId };
  }

  it("queues a public email reply that threads under the customer's mail and carries the reply address", async () => {
    const { ctx, ticket, email } = await emailTicket();
    const message = await replyToTicket(ctx, {
      ticketId: ticket.id,
      authorUserId: null,
      text: "On its way!",
    });
    expect(message.direction).toBe("outbound");
    expect(message.deliveryStatus).toBe("queued");
    expect(message.mailMessageId).toMatch(
      new RegExp(`^tend\\.t${ticket.id}\\.[0-9a-f]+@help\\.example\\.test$`),
    );
    expect(message.inReplyTo).toBe(`first-${ticket.id}@mail.example.com`);
    expect(message.references).toEqual([
      `root-${ticket.id}@mail.example.com`,
      `first-${ticket.id}@mail.example.com`,
    ]);
    expect(message.mailSubject).toBe(`Re: Parcel never arrived [#${ticket.id}]`);
    expect(message.toAddresses).toEqual([{ name: "Ana Lima", address: email }]);
    // No workspace row yet: the fallback sender.
    expect(message.fromAddress).toEqual({ address: "support@help.example.test" });
    expect(message.headers["Reply-To"]).toBe(`support+t${ticket.id}-${ticket.replyToken}@help.example.test`);
  });

  it("sends from the workspace support address once the workspace exists", async () => {
    const { ctx, ticket } = await emailTicket();
    await ctx.db
      .insert(workspace)
      .values({ name: "Acme Support", supportAddress: "help@acme.example" })
      .onConflictDoNothing();
    const message = await replyToTicket(ctx, { ticketId: ticket.id, authorUserId: null, text: "Hi" });
    expect(message.fromAddress).toEqual({ name: "Acme Support", address: "help@acme.example" });
    await ctx.db.delete(workspace);
  });

  it("never sends an internal note", async () => {
    const { ctx, ticket } = await emailTicket();
    const note = await replyToTicket(ctx, {
      ticketId: ticket.id,
      authorUserId: null,
      text: "Customer is on the VIP list",
      isInternal: true,
    });
    expect(note.isInternal).toBe(true);
    expect(note.deliveryStatus).not.toBe("queued");
    expect(note.mailMessageId).toBeNull();
    expect(note.toAddresses).toEqual([]);
  });

  it("records a reply on a chat ticket as sent, without mail headers", async () => {
    const { ctx, ticket } = await emailTicket("chat");
    const message = await replyToTicket(ctx, { ticketId: ticket.id, authorUserId: null, text: "Hello" });
    expect(message.deliveryStatus).toBe("sent");
    expect(message.channel).toBe("chat");
    expect(message.mailMessageId).toBeNull();
  });

  it("refuses a missing ticket with not_found and writes nothing", async () => {
    const { ctx } = await emailTicket();
    await expect(
      replyToTicket(ctx, { ticketId: 999_999, authorUserId: null, text: "x" }),
    ).rejects.toMatchObject({
      code: "not_found",
    });
  });
});
