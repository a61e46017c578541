import { afterAll, beforeAll, expect, it } from "vitest";
import { buildTestApp } from "../../../test/app.ts";
import { describeDb, useTestDatabase } from "../../../test/db.ts";
import { bearerFor, type SignedIn, signInAs } from "../../http/auth-test-helpers.ts";

describeDb("channel messages API (phone, SMS, social)", () => {
  const database = useTestDatabase();
  let app: Awaited<ReturnType<typeof buildTestApp>>;
  let agent: SignedIn;
  let telephony: Record<string, string>;

  beforeAll(async () => {
    app = await buildTestApp(database.current);
    agent = await signInAs(app, "agent", "Pat Phone");
    telephony = await bearerFor(app.context, "agent");
  });
  afterAll(async () => app.close());

  const record = (payload: object, headers: Record<string, string> = telephony) =>
    app.inject({ method: "POST", url: "/api/v1/messages", headers, payload });

  it("threads texts from one number into one SMS ticket however the number is written", async () => {
    const first = await record({
      channel: "sms",
      customer: { phone: "+44 7700 900123", name: "Sam" },
      text: "Where is my parcel?",
    });
    expect(first.statusCode).toBe(201);
    const second = await record({ channel: "sms", customer: { phone: "+447700900123" }, text: "Order 1234" });
    expect(second.statusCode).toBe(201);
    expect(second.json().ticketId).toBe(first.json().ticketId);
    expect(second.json().customerId).toBe(first.json().customerId);

    // A phone call from the same customer is its own conversation on the phone channel.
    const call = await record({
      channel: "phone",
      customer: { phone: "+44 7700 900123" },
      text: "Called, wants a refund",
    });
    expect(call.json().customerId).toBe(first.json().customerId);
    expect(call.json().ticketId).not.toBe(first.json().ticketId);

    const ticket = (
      await app.inject({
        method: "GET",
        url: `/api/v1/tickets/${first.json().ticketId}`,
        headers: { cookie: agent.cookie },
      })
    ).json();
    expect(ticket).toMatchObject({ channel: "sms", customer: { name: "Sam" }, status: "new" });
    expect(ticket.subject).toMatch(/^SMS from Sam/);
    expect(ticket.messages.map((m: { text: string }) => m.text)).toEqual([
      "Where is my parcel?",
      "Order 1234",
    ]);
    expect(ticket.messages[0]).toMatchObject({
      direction: "inbound",
      deliveryStatus: "received",
      author: { type: "customer", name: "Sam" },
    });
  });

  it("records an agent's outbound call note and opens a new ticket once the old one is solved", async () => {
    const inbound = (
      await record({
        channel: "phone",
        customer: { phone: "+1 555 0100", email: "dee@example.com" },
        text: "Line dropped",
      })
    ).json();
    const outbound = await record(
      {
        channel: "phone",
        customer: { phone: "+15550100" },
        text: "Called back, sorted",
        direction: "outbound",
      },
      agent.headers,
    );
    expect(outbound.json().ticketId).toBe(inbound.ticketId);
    const solved = await app.inject({
      method: "PATCH",
      url: `/api/v1/tickets/${inbound.ticketId}`,
      headers: agent.headers,
      payload: { status: "solved" },
    });
    expect(solved.json().status).toBe("solved");
    // Known by email as well now: a call identified only by email reaches the same customer.
    const later = (
      await record({ channel: "phone", customer: { email: "DEE@example.com" }, text: "New problem" })
    ).json();
    expect(later.customerId).toBe(inbound.customerId);
    expect(later.ticketId).not.toBe(inbound.ticketId);
    const detail = (
      await app.inject({
        method: "GET",
        url: `/api/v1/tickets/${inbound.ticketId}`,
        headers: { cookie: agent.cookie },
      })
    ).json();
    expect(detail.messages[1]).toMatchObject({
      direction: "outbound",
      author: { type: "agent", name: "Pat Phone" },
    });
  });

  it("stores a provider message once: the same externalMessageId again gives 200 and the same ids", async () => {
    const payload = {
      channel: "sms",
      customer: { phone: "+15550199" },
      text: "Hi",
      externalMessageId: "SM123",
    };
    const first = await record(payload);
    const again = await record(payload);
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first.json());
    const racing = await Promise.all(
      Array.from({ length: 4 }, () => record({ ...payload, externalMessageId: "SM124" })),
    );
    expect(new Set(racing.map((r) => r.json().messageId)).size).toBe(1);
    expect(racing.filter((r) => r.statusCode === 201)).toHaveLength(1);
  });

  it("joins a given ticket only when it belongs to the customer", async () => {
    const mine = (await record({ channel: "social", customer: { socialHandle: "@ana" }, text: "DM" })).json();
    const other = (
      await record({ channel: "social", customer: { socialHandle: "@bob" }, text: "DM" })
    ).json();
    const joined = await record({
      channel: "social",
      customer: { socialHandle: "@ana" },
      text: "more",
      ticketId: mine.ticketId,
    });
    expect(joined.json().ticketId).toBe(mine.ticketId);
    const refused = await record({
      channel: "social",
      customer: { socialHandle: "@ana" },
      text: "x",
      ticketId: other.ticketId,
    });
    expect(refused.statusCode).toBe(400);
    const missingIdentity = await record({ channel: "sms", customer: { name: "Nobody" }, text: "x" });
    expect(missingIdentity.statusCode).toBe(400);
    expect((await record({ channel: "email", customer: { email: "a@b.c" }, text: "x" })).statusCode).toBe(
      400,
    );
  });
});
