import { afterAll, beforeAll, expect, it } from "vitest";
import { buildTestApp } from "../../../test/app.ts";
import { describeDb, useTestDatabase } from "../../../test/db.ts";
import { bearerFor, type SignedIn, signInAs } from "../../http/auth-test-helpers.ts";

describeDb("customers and orders API", () => {
  const database = useTestDatabase();
  let app: Awaited<ReturnType<typeof buildTestApp>>;
  let agent: SignedIn;
  let shop: Record<string, string>;

  beforeAll(async () => {
    app = await buildTestApp(database.current);
    agent = await signInAs(app, "agent");
    shop = await bearerFor(app.context, "agent");
  });
  afterAll(async () => app.close());

  const post = (url: string, payload: object) => app.inject({ method: "POST", url, headers: shop, payload });
  const get = (url: string) => app.inject({ method: "GET", url, headers: { cookie: agent.cookie } });

  it("creates a customer with identities and refuses an email that belongs to someone else", async () => {
    const created = await post("/api/v1/customers", {
      name: "Mia Rossi",
      email: "Mia@Example.com",
      phone: "+39 06 1234 5678",
      tier: "gold",
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      name: "Mia Rossi",
      tier: "gold",
      identities: expect.arrayContaining([
        { kind: "email", value: "mia@example.com" },
        { kind: "phone", value: "+390612345678" },
      ]),
      orders: { count: 0, totals: [], recent: [] },
      tickets: [],
    });
    const duplicate = await post("/api/v1/customers", { name: "Someone", email: "MIA@example.com" });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().error.details.customerId).toBe(created.json().id);

    const found = (await get("/api/v1/customers?q=rossi")).json();
    expect(found.items.map((c: { id: number }) => c.id)).toEqual([created.json().id]);
    expect(found.items[0]).toMatchObject({ email: "mia@example.com", phone: "+390612345678" });
    expect((await get("/api/v1/customers?q=1234")).json().items).toHaveLength(1);
  });

  it("records orders in minor units per currency and shows totals, recent orders and the timeline", async () => {
    const customer = (await post("/api/v1/customers", { name: "Jon Park", email: "jon@example.com" })).json();
    const orders = [
      { amountMinor: 4999, currency: "EUR", placedAt: "2026-01-01T10:00:00Z", externalId: "shop-1" },
      { amountMinor: 1001, currency: "EUR", placedAt: "2026-01-02T10:00:00+01:00" },
      { amountMinor: 12000, currency: "JPY", placedAt: "2026-01-03T10:00:00Z" },
      { amountMinor: 500, currency: "EUR", placedAt: "2026-01-04T10:00:00Z", status: "refunded" },
    ];
    for (const order of orders) {
      const response = await post("/api/v1/orders", {
        customerId: customer.id,
        items: [{ name: "Mug", quantity: 1, unitAmountMinor: order.amountMinor }],
        ...order,
      });
      expect(response.statusCode, JSON.stringify(response.json())).toBe(201);
    }
    const byEmail = await post("/api/v1/orders", {
      customer: { email: "JON@example.com" },
      amountMinor: 250,
      currency: "USD",
      placedAt: "2026-01-05T00:00:00Z",
    });
    expect(byEmail.json()).toMatchObject({ customerId: customer.id, amountMinor: 250, currency: "USD" });

    const detail = (await get(`/api/v1/customers/${customer.id}`)).json();
    expect(detail.orders.count).toBe(5);
    expect(detail.orders.totals).toEqual([
      { currency: "EUR", amountMinor: 6000 },
      { currency: "JPY", amountMinor: 12000 },
      { currency: "USD", amountMinor: 250 },
    ]);
    expect(detail.orders.recent.map((o: { amountMinor: number }) => o.amountMinor)).toEqual([
      250, 500, 12000, 1001, 4999,
    ]);

    const timeline = (await get(`/api/v1/customers/${customer.id}/timeline?limit=2`)).json();
    expect(timeline.items).toHaveLength(2);
    // Ordered by when things happened: the orders were placed before the customer record was created here.
    expect(timeline.items[0].kind).toBe("customer.created");
    expect(timeline.items[1]).toMatchObject({ kind: "order.placed", occurredAt: "2026-01-05T00:00:00.000Z" });
    const rest = (
      await get(`/api/v1/customers/${customer.id}/timeline?limit=50&cursor=${timeline.nextCursor}`)
    ).json();
    const kinds = [...timeline.items, ...rest.items].map((e: { kind: string }) => e.kind);
    expect(kinds.filter((k) => k === "order.placed")).toHaveLength(5);
    expect(kinds).toHaveLength(6);

    const page1 = (await get(`/api/v1/orders?customerId=${customer.id}&limit=3`)).json();
    const page2 = (
      await get(`/api/v1/orders?customerId=${customer.id}&limit=3&cursor=${page1.nextCursor}`)
    ).json();
    expect([...page1.items, ...page2.items].map((o: { id: number }) => o.id)).toEqual(
      detail.orders.recent.map((o: { id: number }) => o.id),
    );
    expect(page2.nextCursor).toBeNull();

    const again = await post("/api/v1/orders", {
      customerId: customer.id,
      externalId: "shop-1",
      amountMinor: 1,
      currency: "EUR",
      placedAt: "2026-01-06T00:00:00Z",
    });
    expect(again.statusCode).toBe(409);
  });

  it("rejects money that is not integer minor units and currencies that are not ISO codes", async () => {
    const base = { customer: { email: "val@example.com" }, placedAt: "2026-01-01T00:00:00Z" };
    const bad: [object, string][] = [
      [{ ...base, amountMinor: 12.5, currency: "EUR" }, "body.amountMinor"],
      [{ ...base, amountMinor: "1250", currency: "EUR" }, "body.amountMinor"],
      [{ ...base, amountMinor: 1250, currency: "eur" }, "body.currency"],
      [{ ...base, amountMinor: 1250, currency: "EURO" }, "body.currency"],
      [{ ...base, amountMinor: 1250, currency: "EUR", placedAt: "yesterday" }, "body.placedAt"],
      [{ ...base, amountMinor: 1250, currency: "EUR", status: "lost" }, "body.status"],
      [
        {
          ...base,
          amountMinor: 1250,
          currency: "EUR",
          items: [{ name: "x", quantity: 0, unitAmountMinor: 1 }],
        },
        "body.items.0.quantity",
      ],
      [{ amountMinor: 1250, currency: "EUR", placedAt: "2026-01-01T00:00:00Z" }, "body.customer"],
    ];
    for (const [payload, path] of bad) {
      const response = await post("/api/v1/orders", payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.json().error.details.map((d: { path: string }) => d.path)).toContain(path);
    }
    expect(
      (
        await post("/api/v1/orders", {
          ...base,
          customer: undefined,
          customerId: 987654,
          amountMinor: 1,
          currency: "EUR",
        })
      ).statusCode,
    ).toBe(404);
    expect((await get("/api/v1/customers/987654")).statusCode).toBe(404);
    expect((await get("/api/v1/customers/xyz")).statusCode).toBe(400);
    expect((await get("/api/v1/orders?cursor=abc")).statusCode).toBe(400);
  });
});
