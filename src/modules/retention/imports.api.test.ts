import { afterAll, beforeAll, expect, it } from "vitest";
import { buildTestApp } from "../../../test/app.ts";
import { describeDb, useTestDatabase } from "../../../test/db.ts";
import { type SignedIn, signInAs } from "../../http/auth-test-helpers.ts";

describeDb("CSV import API", () => {
  const database = useTestDatabase();
  let app: Awaited<ReturnType<typeof buildTestApp>>;
  let lead: SignedIn;
  let admin: SignedIn;

  beforeAll(async () => {
    app = await buildTestApp(database.current);
    app.context.clock.set("2026-04-02T09:00:00Z");
    lead = await signInAs(app, "lead");
    admin = await signInAs(app, "admin");
  });
  afterAll(async () => app.close());

  const post = (url: string, body: string, who: SignedIn = admin, contentType = "text/csv") =>
    app.inject({
      method: "POST",
      url,
      headers: { ...who.headers, "content-type": contentType },
      payload: body,
    });

  const csv = [
    "Order,Email,Date,Total",
    "A1,ana@shop.test,2026-01-05,10.00",
    "A2,ana@shop.test,2026-02-07,5.50",
  ];
  const url = "/api/v1/imports/orders?map=order_id=Order,email=Email,placed_at=Date,amount=Total";

  it("imports a CSV body for admins, idempotently, and the measures see it", async () => {
    expect((await post(url, csv.join("\n"), lead)).statusCode).toBe(403);
    const first = await post(url, csv.join("\n"));
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ rows: 2, imported: 2, customersCreated: 1, committed: true });
    const again = await post(url, csv.join("\n"));
    expect(again.json()).toMatchObject({ imported: 0, alreadyPresent: 2 });
    const summary = await app.inject({
      method: "GET",
      url: "/api/v1/retention/summary",
      headers: lead.headers,
    });
    expect(summary.json()).toMatchObject({ revenueMinor: 1550, repeatPurchaseRate: 1 });
  });

  it("imports tickets with their messages, and the ticket's thread shows them", async () => {
    const tickets = [
      "ticket_id,email,subject,created_at,message,sent_at,author",
      "Z-1,ana@shop.test,Late parcel,2026-02-10T08:00:00Z,Where is my parcel?,,",
      'Z-1,,,,"It ships today, sorry.",2026-02-10T09:30:00Z,agent',
    ].join("\n");
    const response = await post("/api/v1/imports/tickets?map=body=message", tickets);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ imported: 1, messages: 2, committed: true });
    const list = await app.inject({ method: "GET", url: "/api/v1/tickets?q=parcel", headers: admin.headers });
    expect(list.statusCode).toBe(200);
    const [ticket] = list.json().items as { id: number; subject: string }[];
    expect(ticket.subject).toBe("Late parcel");
    const thread = await app.inject({
      method: "GET",
      url: `/api/v1/tickets/${ticket.id}`,
      headers: admin.headers,
    });
    expect(thread.statusCode).toBe(200);
    expect(
      thread.json().messages.map((m: { direction: string; text: string }) => [m.direction, m.text]),
    ).toEqual([
      ["inbound", "Where is my parcel?"],
      ["outbound", "It ships today, sorry."],
    ]);
  });

  it("answers a file with bad rows with 400, the lines and nothing imported", async () => {
    const bad = [
      ...csv.slice(0, 1),
      "B1,bo@shop.test,2026-01-32,1.00",
      "B2,bo@shop.test,2026-01-05,1.00",
    ].join("\n");
    const response = await post(url, bad);
    expect(response.statusCode).toBe(400);
    const error = response.json().error;
    expect(error.message).toMatch(/Nothing was imported: 1 bad row/);
    expect(error.details).toMatchObject({ committed: false, imported: 0, errors: [{ line: 2 }] });
    const partial = await post(`${url}&partial=true`, bad);
    expect(partial.json()).toMatchObject({ committed: true, imported: 1, rowErrors: 1 });
    expect((await post(`${url}&map=bad`, bad)).statusCode).toBe(400);
    expect((await post(url, JSON.stringify({ a: 1 }), admin, "application/json")).statusCode).toBe(415);
  });
});
