import { afterAll, beforeAll, expect, it } from "vitest";
import { buildTestApp } from "../../../test/app.ts";
import { describeDb, useTestDatabase } from "../../../test/db.ts";
import { attachments } from "../../db/schema.ts";
import { withTransaction } from "../../db/transaction.ts";
import { type SignedIn, signInAs } from "../../http/auth-test-helpers.ts";
import { findOrCreateCustomerByIdentity } from "../customers/customers.service.ts";
import { addMessage, createTicket, type TicketStatus, updateTicket } from "./tickets.service.ts";

describeDb("tickets API", () => {
  const database = useTestDatabase();
  let app: Awaited<ReturnType<typeof buildTestApp>>;
  let agent: SignedIn;
  let other: SignedIn;
  let seq = 0;

  beforeAll(async () => {
    app = await buildTestApp(database.current);
    agent = await signInAs(app, "agent", "Alex Agent");
    other = await signInAs(app, "agent", "Olga Other");
  });
  afterAll(async () => app.close());

  /** A customer's email ticket with one inbound message, seconds after the previous one unless `sameTime`. */
  async function seedTicket(
    options: {
      status?: TicketStatus;
      assigneeId?: number | null;
      subject?: string;
      name?: string;
      sameTime?: boolean;
    } = {},
  ) {
    if (!options.sameTime) app.context.clock.advance(1000);
    const n = ++seq;
    return withTransaction(app.context, async (tx) => {
      const { customerId } = await findOrCreateCustomerByIdentity(tx, {
        kind: "email",
        value: `customer${n}@example.com`,
        name: options.name ?? `Customer ${n}`,
      });
      const ticket = await createTicket(tx, {
        subject: options.subject ?? `Question ${n}`,
        customerId,
        channel: "email",
        assigneeId: options.assigneeId ?? null,
      });
      await addMessage(tx, {
        ticketId: ticket.id,
        direction: "inbound",
        channel: "email",
        authorCustomerId: customerId,
        text: `Hello, this is message ${n}. `.repeat(20),
        deliveryStatus: "received",
      });
      // After the message, which would reopen a pending or solved ticket.
      if (options.status && options.status !== "new")
        return updateTicket(tx, ticket.id, { status: options.status });
      return ticket;
    });
  }

  const get = (url: string, who: SignedIn = agent) =>
    app.inject({ method: "GET", url, headers: { cookie: who.cookie } });

  async function walk(query: string, limit: number, between?: () => Promise<void>) {
    const ids: number[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 1000; page++) {
      const response = await get(
        `/api/v1/tickets?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`,
      );
      expect(response.statusCode).toBe(200);
      const body = response.json() as { items: { id: number }[]; nextCursor: string | null };
      ids.push(...body.items.map((item) => item.id));
      cursor = body.nextCursor;
      if (!cursor) break;
      await between?.();
    }
    return ids;
  }

  it("walks every ticket once, newest activity first, while new tickets keep arriving", async () => {
    const seeded: number[] = [];
    for (let i = 0; i < 25; i++) seeded.push((await seedTicket({ sameTime: i % 4 !== 0 })).id);
    const before = await walk("view=all", 200);
    const walked = await walk("view=all", 4, async () => {
      await seedTicket();
    });
    expect(walked).toEqual(before);
    expect(new Set(walked).size).toBe(walked.length);
    for (const id of seeded) expect(walked).toContain(id);

    const first = (await get("/api/v1/tickets?view=all&limit=2")).json();
    expect(first.items[0]).toMatchObject({
      status: "new",
      channel: "email",
      customer: { name: expect.stringMatching(/^Customer/), email: expect.stringMatching(/@example\.com$/) },
      assignee: null,
      team: null,
    });
    expect(first.items[0].preview.length).toBeLessThanOrEqual(140);
    expect(first.items[0].preview).toMatch(/^Hello, this is message/);
    expect(Date.parse(first.items[0].lastMessageAt)).toBeGreaterThanOrEqual(
      Date.parse(first.items[1].lastMessageAt),
    );
  });

  it("agrees between views and counts", async () => {
    await seedTicket({ status: "open", assigneeId: agent.user.id });
    await seedTicket({ status: "pending", assigneeId: agent.user.id });
    await seedTicket({ status: "solved", assigneeId: agent.user.id });
    await seedTicket({ status: "on_hold", assigneeId: other.user.id });
    await seedTicket({ status: "closed" });
    await seedTicket({ status: "open" });
    const counts = (await get("/api/v1/tickets/counts")).json();
    for (const view of ["mine", "unassigned", "open", "pending", "solved", "all"]) {
      const ids = await walk(`view=${view}`, 50);
      expect(ids.length, view).toBe(counts[view]);
    }
    expect(counts.mine).toBe(2);
    expect(counts.all).toBe(counts.open + counts.pending + counts.solved);
    const otherCounts = (await get("/api/v1/tickets/counts", other)).json();
    expect(otherCounts.mine).toBe(1);
    const meOnHold = (await get("/api/v1/tickets?assignee=me&status=pending,on_hold", other)).json();
    expect(meOnHold.items.map((t: { status: string }) => t.status)).toEqual(["on_hold"]);
    const none = (await get("/api/v1/tickets?assignee=none&status=closed")).json();
    expect(none.items.every((t: { assignee: unknown }) => t.assignee === null)).toBe(true);
  });

  it("searches subject, customer name and email case-insensitively", async () => {
    await seedTicket({ subject: "Broken ZIPPER on jacket" });
    await seedTicket({ name: "Zoë Quixote" });
    const bySubject = (await get("/api/v1/tickets?q=zipper")).json();
    expect(bySubject.items.map((t: { subject: string }) => t.subject)).toEqual(["Broken ZIPPER on jacket"]);
    const byName = (await get(`/api/v1/tickets?q=${encodeURIComponent("quixote")}`)).json();
    expect(byName.items).toHaveLength(1);
    const byEmail = (
      await get(`/api/v1/tickets?q=${encodeURIComponent(byName.items[0].customer.email)}`)
    ).json();
    expect(byEmail.items.map((t: { id: number }) => t.id)).toEqual([byName.items[0].id]);
    expect((await get("/api/v1/tickets?q=%25")).statusCode).toBe(200);
  });

  it("queues a public reply on an email ticket and shows it in the conversation", async () => {
    const ticket = await seedTicket();
    const reply = await app.inject({
      method: "POST",
      url: `/api/v1/tickets/${ticket.id}/messages`,
      headers: agent.headers,
      payload: { text: "Thanks, a new one is on its way." },
    });
    expect(reply.statusCode).toBe(201);
    expect(reply.json()).toMatchObject({
      direction: "outbound",
      isInternal: false,
      deliveryStatus: "queued",
      author: { type: "agent", id: agent.user.id, name: "Alex Agent" },
      to: [{ address: expect.stringMatching(/@example\.com$/) }],
    });
    const note = await app.inject({
      method: "POST",
      url: `/api/v1/tickets/${ticket.id}/messages`,
      headers: agent.headers,
      payload: { text: "Customer is a VIP", isInternal: true },
    });
    expect(note.json()).toMatchObject({ isInternal: true, deliveryStatus: "sent" });
    const detail = (await get(`/api/v1/tickets/${ticket.id}`)).json();
    expect(detail.status).toBe("open");
    expect(detail.replyAddress).toMatch(new RegExp(`^support\\+t${ticket.id}-`));
    expect(
      detail.messages.map((m: { direction: string; author: { type: string } }) => m.author.type),
    ).toEqual(["customer", "agent", "agent"]);
    expect(detail.preview).not.toContain("VIP");
  });

  it("changes status and assignee with PATCH and writes the customer's timeline", async () => {
    const ticket = await seedTicket();
    const patch = await app.inject({
      method: "PATCH",
      url: `/api/v1/tickets/${ticket.id}`,
      headers: agent.headers,
      payload: { status: "solved", assigneeId: agent.user.id, tags: ["Refund", "vip"] },
    });
    expect(patch.statusCode).toBe(200);
    expect(patch.json()).toMatchObject({
      status: "solved",
      assignee: { id: agent.user.id, name: "Alex Agent" },
      tags: ["refund", "vip"],
    });
    const timeline = (await get(`/api/v1/customers/${ticket.customerId}/timeline`)).json();
    expect(timeline.items[0]).toMatchObject({ kind: "ticket.status_changed", ticketId: ticket.id });
    expect(timeline.items[0].summary).toContain("new → solved");
    const unknownUser = await app.inject({
      method: "PATCH",
      url: `/api/v1/tickets/${ticket.id}`,
      headers: agent.headers,
      payload: { assigneeId: 999_999 },
    });
    expect(unknownUser.statusCode).toBe(400);
  });

  it("opens a ticket for a new customer with a queued first message", async () => {
    const response = await app.inject({
      method: "POST",
      url: "/api/v1/tickets",
      headers: agent.headers,
      payload: {
        customer: { email: "New.Person@Example.org", name: "New Person" },
        subject: "Your order",
        text: "Hi!",
      },
    });
    expect(response.statusCode).toBe(201);
    const body = response.json();
    expect(body).toMatchObject({
      subject: "Your order",
      status: "open",
      customer: { name: "New Person", email: "new.person@example.org" },
      assignee: { id: agent.user.id },
    });
    expect(body.messages).toHaveLength(1);
    expect(body.messages[0]).toMatchObject({ direction: "outbound", deliveryStatus: "queued" });
  });

  it("serves attachments only as downloads with nosniff, and only to signed-in agents", async () => {
    const ticket = await seedTicket();
    const detail = (await get(`/api/v1/tickets/${ticket.id}`)).json();
    const [row] = await app.context.db
      .insert(attachments)
      .values({
        messageId: detail.messages[0].id,
        filename: 'in"voice €.html',
        contentType: "text/html",
        size: 21,
        content: Buffer.from("<script>1</script>..."),
      })
      .returning();
    const withAttachment = (await get(`/api/v1/tickets/${ticket.id}`)).json();
    expect(withAttachment.messages[0].attachments).toEqual([
      {
        id: row.id,
        filename: 'in"voice €.html',
        contentType: "text/html",
        size: 21,
        url: `/api/v1/attachments/${row.id}`,
      },
    ]);
    const download = await get(`/api/v1/attachments/${row.id}`);
    expect(download.statusCode).toBe(200);
    expect(download.headers["content-disposition"]).toMatch(
      /^attachment; filename="in_voice _.html"; filename\*=UTF-8''/,
    );
    expect(download.headers["x-content-type-options"]).toBe("nosniff");
    expect(download.body).toBe("<script>1</script>...");
    expect((await app.inject({ method: "GET", url: `/api/v1/attachments/${row.id}` })).statusCode).toBe(401);
  });

  it("answers malformed requests with 4xx and the field path, never 500", async () => {
    const ticket = await seedTicket();
    const cases: {
      method: "GET" | "POST" | "PATCH";
      url: string;
      payload?: unknown;
      raw?: string;
      path?: string;
    }[] = [
      { method: "POST", url: `/api/v1/tickets/${ticket.id}/messages`, raw: "{not json" },
      {
        method: "POST",
        url: `/api/v1/tickets/${ticket.id}/messages`,
        payload: { text: 42 },
        path: "body.text",
      },
      { method: "POST", url: `/api/v1/tickets/${ticket.id}/messages`, payload: {}, path: "body.text" },
      {
        method: "POST",
        url: `/api/v1/tickets/${ticket.id}/messages`,
        payload: { text: "x", isInternal: "yes" },
        path: "body.isInternal",
      },
      {
        method: "PATCH",
        url: `/api/v1/tickets/${ticket.id}`,
        payload: { status: "deleted" },
        path: "body.status",
      },
      {
        method: "PATCH",
        url: `/api/v1/tickets/${ticket.id}`,
        payload: { assigneeId: "12" },
        path: "body.assigneeId",
      },
      { method: "PATCH", url: `/api/v1/tickets/${ticket.id}`, payload: { tags: "a,b" }, path: "body.tags" },
      { method: "PATCH", url: `/api/v1/tickets/${ticket.id}`, payload: { surprise: 1 } },
      { method: "POST", url: "/api/v1/tickets", payload: { subject: "s", text: "t" }, path: "body.customer" },
      {
        method: "POST",
        url: "/api/v1/tickets",
        payload: { customer: { email: "not-an-email" }, subject: "s", text: "t" },
        path: "body.customer.email",
      },
      { method: "GET", url: "/api/v1/tickets?limit=100000", path: "querystring.limit" },
      { method: "GET", url: "/api/v1/tickets?limit=-1", path: "querystring.limit" },
      { method: "GET", url: "/api/v1/tickets?view=everything", path: "querystring.view" },
      { method: "GET", url: "/api/v1/tickets?status=open,weird", path: "querystring.status" },
      { method: "GET", url: "/api/v1/tickets?assignee=bob", path: "querystring.assignee" },
      { method: "GET", url: "/api/v1/tickets?cursor=garbage", path: "querystring.cursor" },
      {
        method: "GET",
        url: `/api/v1/tickets?cursor=${Buffer.from('["99999999999999999999",1]').toString("base64url")}`,
        path: "querystring.cursor",
      },
      { method: "GET", url: "/api/v1/tickets/abc", path: "params.id" },
      { method: "GET", url: "/api/v1/tickets/99999999999", path: "params.id" },
      { method: "GET", url: "/api/v1/tickets/0", path: "params.id" },
      { method: "GET", url: "/api/v1/tickets/424242" },
      { method: "GET", url: "/api/v1/attachments/xyz", path: "params.id" },
    ];
    for (const c of cases) {
      const response = await app.inject({
        method: c.method,
        url: c.url,
        headers: { ...agent.headers, ...(c.raw ? { "content-type": "application/json" } : {}) },
        ...(c.raw ? { payload: c.raw } : c.payload !== undefined ? { payload: c.payload as object } : {}),
      });
      const label = `${c.method} ${c.url} ${JSON.stringify(c.payload ?? c.raw ?? "")}`;
      expect(response.statusCode, label).toBeGreaterThanOrEqual(400);
      expect(response.statusCode, label).toBeLessThan(500);
      const body = response.json();
      expect(body.error.code, label).toBeTruthy();
      if (c.path) {
        const paths: string[] = body.error.details.map((d: { path: string }) => d.path);
        expect(
          paths.some((p) => p === c.path || p.startsWith(`${c.path}.`)),
          `${label} ${paths}`,
        ).toBe(true);
      }
    }
  });
});
