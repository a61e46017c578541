import { afterAll, beforeAll, expect, it } from "vitest";
import { buildTestApp } from "../../../test/app.ts";
import { describeDb, useTestDatabase } from "../../../test/db.ts";
import { buildCustomer } from "../../../test/factories.ts";
import { orders } from "../../db/schema.ts";
import { type SignedIn, signInAs } from "../../http/auth-test-helpers.ts";

// The hand-worked dataset of src/analytics/retention/retention-measures.test.ts, as orders in the workspace, plus
// orders the measures must leave out (a cancelled one, one in another currency).
describeDb("retention API", () => {
  const database = useTestDatabase();
  let app: Awaited<ReturnType<typeof buildTestApp>>;
  let agent: SignedIn;
  let lead: SignedIn;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    app = await buildTestApp(database.current);
    app.context.clock.set("2026-04-02T09:00:00Z");
    agent = await signInAs(app, "agent");
    lead = await signInAs(app, "lead");
    for (const name of ["A", "B", "C", "D", "E"]) {
      ids[name] = await buildCustomer(app.context, {
        name: `Customer ${name}`,
        email: `${name.toLowerCase()}@shop.test`,
      });
    }
    const order = (
      name: string,
      day: string,
      amountMinor: number,
      extra: Partial<typeof orders.$inferInsert> = {},
    ) => ({
      customerId: ids[name],
      placedAt: new Date(`${day}T12:00:00Z`),
      amountMinor,
      currency: "EUR",
      ...extra,
    });
    await app.context.db
      .insert(orders)
      .values([
        order("A", "2026-01-05", 100),
        order("A", "2026-01-20", 50),
        order("A", "2026-02-10", 200),
        order("A", "2026-03-15", 100),
        order("B", "2026-01-10", 300),
        order("B", "2026-03-01", 100),
        order("C", "2026-02-03", 80),
        order("C", "2026-02-03", 20),
        order("C", "2026-03-20", 40),
        order("D", "2026-03-05", 60),
        order("E", "2025-11-15", 500),
        order("D", "2026-02-01", 9999, { status: "cancelled" }),
        order("D", "2026-02-01", 7777, { currency: "USD" }),
      ]);
  });
  afterAll(async () => app.close());

  const get = (url: string, who: SignedIn = lead) => app.inject({ method: "GET", url, headers: who.headers });

  it("keeps retention figures to leads and admins", async () => {
    for (const path of ["summary", "rates", "cohorts", "rfm", "ltv", "purchases"]) {
      expect((await get(`/api/v1/retention/${path}`, agent)).statusCode).toBe(403);
    }
    expect((await app.inject({ method: "GET", url: "/api/v1/retention/summary" })).statusCode).toBe(401);
  });

  it("gives the headline numbers with their definitions and what was left out", async () => {
    const response = await get("/api/v1/retention/summary");
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.scope).toMatchObject({
      source: "workspace",
      currency: "EUR",
      asOf: "2026-04-02",
      customers: 5,
      orders: 11,
      firstPurchase: "2025-11-15",
      lastPurchase: "2026-03-20",
    });
    expect(body.scope.excluded).toEqual([
      { count: 1, reason: "cancelled or refunded orders" },
      { count: 1, reason: "orders in USD (measures use EUR)" },
    ]);
    expect(body).toMatchObject({
      revenueMinor: 1550,
      repeatPurchaseRate: 0.6,
      medianDaysBetweenPurchases: 33,
    });
    expect(body.lastMonth).toMatchObject({ period: "2026-03", customerRetentionRate: 1, partial: false });
    expect(body.lastQuarter).toMatchObject({ period: "2026-Q1", customerRetentionRate: 0 });
    expect(body.definitions.grossRevenueRetention).toMatch(/min\(/);
    expect(body.segments.find((s: { segment: string }) => s.segment === "lost").customers).toBe(1);
  });

  it("rates per month and quarter, validated from/to", async () => {
    const months = (await get("/api/v1/retention/rates?period=month&from=2026-02-01&to=2026-03-31")).json();
    expect(months.rows.map((r: { period: string }) => r.period)).toEqual(["2026-02", "2026-03"]);
    expect(months.rows[0]).toMatchObject({
      customerRetentionRate: 0.5,
      previousRevenueMinor: 450,
      retainedRevenueMinor: 200,
    });
    expect(months.rows[0].grossRevenueRetention).toBeCloseTo(1 / 3, 12);
    expect(months.definitions.customerRetentionRate).toMatch(/previous period/);

    const quarters = (await get("/api/v1/retention/rates?period=quarter")).json();
    expect(quarters.rows.map((r: { period: string }) => r.period)).toEqual(["2025-Q4", "2026-Q1"]);

    const backwards = await get("/api/v1/retention/rates?from=2026-03-01&to=2026-01-01");
    expect(backwards.statusCode).toBe(400);
    expect(JSON.stringify(backwards.json().error)).toMatch(/from/);
    expect((await get("/api/v1/retention/rates?period=week")).statusCode).toBe(400);
    expect((await get("/api/v1/retention/rates?from=2026-13-01")).statusCode).toBe(400);
  });

  it("cohort matrix as JSON and as a CSV download", async () => {
    const body = (await get("/api/v1/retention/cohorts?from=2026-01-01")).json();
    expect(body.rows[0]).toEqual({
      cohort: "2026-01",
      customers: 2,
      counts: [2, 1, 2, 0],
      shares: [1, 0.5, 1, 0],
      revenueMinor: [450, 200, 200, 0],
    });

    const csv = await get("/api/v1/retention/cohorts?format=csv&from=2026-01-01");
    expect(csv.statusCode).toBe(200);
    expect(csv.headers["content-type"]).toMatch(/^text\/csv/);
    expect(csv.headers["content-disposition"]).toBe('attachment; filename="retention-cohorts.csv"');
    const lines = csv.body.trim().split("\r\n");
    expect(lines[0]).toBe(
      "cohort,customers,month_0_customers,month_1_customers,month_2_customers,month_3_customers,month_0_share,month_1_share,month_2_share,month_3_share",
    );
    expect(lines[1]).toBe("2026-01,2,2,1,2,0,1,0.5,1,0");
    expect(lines).toHaveLength(4);
  });

  it("RFM segments, one segment's customers, and the list as CSV", async () => {
    const body = (await get("/api/v1/retention/rfm")).json();
    expect(body.segments).toHaveLength(11);
    expect(body.customers).toBeNull();
    expect(body.segments.find((s: { segment: string }) => s.segment === "loyal")).toMatchObject({
      customers: 1,
      revenueMinor: 450,
    });
    const loyal = (await get("/api/v1/retention/rfm?segment=loyal")).json();
    expect(loyal.customers).toEqual([
      {
        customerId: ids.A,
        name: "Customer A",
        email: "a@shop.test",
        recencyDays: 18,
        frequency: 4,
        monetaryMinor: 450,
        r: 4,
        f: 5,
        m: 4,
        segment: "loyal",
      },
    ]);
    const csv = await get("/api/v1/retention/rfm?segment=at_risk&format=csv");
    expect(csv.body.split("\r\n")[1]).toBe(`${ids.B},Customer B,b@shop.test,at_risk,32,2,400,2,3,3`);
    expect((await get("/api/v1/retention/rfm?segment=sleepy")).statusCode).toBe(400);
  });

  it("lifetime value and purchase intervals, each with a CSV table", async () => {
    const ltv = (await get("/api/v1/retention/ltv")).json();
    expect(ltv).toMatchObject({ customers: 5, totalMinor: 1550, meanMinor: 310, medianMinor: 400 });
    expect(ltv.byCohort[1]).toEqual({
      cohort: "2026-01",
      customers: 2,
      revenueMinor: 850,
      meanMinor: 425,
      medianMinor: 425,
    });
    const ltvCsv = await get("/api/v1/retention/ltv?format=csv");
    expect(ltvCsv.body.split("\r\n")[0]).toBe("cohort,customers,revenue_minor,mean_minor,median_minor");

    const purchases = (await get("/api/v1/retention/purchases")).json();
    expect(purchases).toMatchObject({
      repeatPurchaseRate: 0.6,
      intervals: { count: 5, p25Days: 21, medianDays: 33, p75Days: 45 },
    });
    expect(purchases.definitions.repeatPurchaseRate).toMatch(/two different days/);
    const csv = await get("/api/v1/retention/purchases?format=csv");
    expect(csv.body.split("\r\n").slice(0, 4)).toEqual([
      "interval,from_days,to_days,gaps",
      "1–7 days,1,7,0",
      "8–14 days,8,14,0",
      "15–30 days,15,30,2",
    ]);
    const summaryCsv = await get("/api/v1/retention/summary?format=csv");
    expect(summaryCsv.body).toContain("\r\nrepeat_purchase_rate,0.6\r\n");
  });

  it("measures another currency when asked, and says so", async () => {
    const usd = (await get("/api/v1/retention/summary?currency=USD")).json();
    expect(usd.scope).toMatchObject({ currency: "USD", customers: 1, orders: 1 });
    expect((await get("/api/v1/retention/summary?currency=euro")).statusCode).toBe(400);
  });
});
