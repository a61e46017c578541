import { afterAll, beforeAll, expect, it } from "vitest";
import { buildTestApp } from "../../../test/app.ts";
import { describeDb, useTestDatabase } from "../../../test/db.ts";
import { type SignedIn, signInAs } from "../../http/auth-test-helpers.ts";
import { listJobs } from "../../jobs/job-queue.ts";
import { enqueueFirstRiskScoringIfNeeded } from "../../jobs/risk-scoring.job.ts";
import { createDemoWorkspace } from "../demo/demo.service.ts";
import { rescoreCustomer } from "./risk.service.ts";

// The demo shop (a quarter of its default size) feeds the churn-risk model and the service-impact report.
describeDb("churn risk and service impact API", () => {
  const database = useTestDatabase();
  let app: Awaited<ReturnType<typeof buildTestApp>>;
  let agent: SignedIn;
  let lead: SignedIn;
  let admin: SignedIn;

  beforeAll(async () => {
    app = await buildTestApp(database.current);
    app.context.clock.set("2026-06-01T09:00:00Z");
    await createDemoWorkspace(app.context, { scale: 0.25 });
    agent = await signInAs(app, "agent", "Alex Agent");
    lead = await signInAs(app, "lead", "Lee Lead");
    admin = await signInAs(app, "admin", "Ada Admin");
  }, 180_000);
  afterAll(async () => {
    await app.close();
  });

  it("shows no model until the first scoring, and keeps the lists to leads", async () => {
    const before = await app.inject({
      method: "GET",
      url: "/api/v1/retention/risk/model",
      headers: lead.headers,
    });
    expect(before.statusCode).toBe(200);
    expect(before.json().model).toBeNull();
    // A workspace with orders and no model gets its first scoring queued at start, once.
    expect(await enqueueFirstRiskScoringIfNeeded(app.context)).toBe(true);
    expect(await enqueueFirstRiskScoringIfNeeded(app.context)).toBe(false);
    expect(await listJobs(app.context, { status: "queued", name: "risk.nightly", limit: 5 })).toHaveLength(1);
    expect(before.json().bands).toEqual({ low: 0, medium: 0, high: 0 });
    for (const url of ["/api/v1/retention/risk", "/api/v1/retention/service-impact"]) {
      expect((await app.inject({ method: "GET", url, headers: agent.headers })).statusCode).toBe(403);
    }
    const byLead = await app.inject({
      method: "POST",
      url: "/api/v1/retention/risk/rescore",
      headers: lead.headers,
    });
    expect(byLead.statusCode).toBe(403);
  });

  it("scores every active customer with reasons, value at risk and an honest backtest", async () => {
    const rescore = await app.inject({
      method: "POST",
      url: "/api/v1/retention/risk/rescore",
      headers: admin.headers,
    });
    expect(rescore.statusCode).toBe(200);
    const { scored } = rescore.json() as { scored: number };
    expect(scored).toBeGreaterThan(100);

    const model = (
      await app.inject({ method: "GET", url: "/api/v1/retention/risk/model", headers: lead.headers })
    ).json();
    const backtest = model.model.backtest;
    expect(model.model.customers).toBe(scored);
    expect(model.bands.low + model.bands.medium + model.bands.high).toBe(scored);
    // Better than guessing, and judged beside the purchase model alone on the same customers.
    expect(backtest.auc).toBeGreaterThan(0.6);
    expect(backtest.auc).toBeLessThanOrEqual(1);
    expect(backtest.baseline.auc).toBeGreaterThan(0.5);
    expect(backtest.brier).toBeGreaterThan(0);
    expect(backtest.brier).toBeLessThan(0.25);
    const binned = backtest.calibration.reduce((n: number, bin: { count: number }) => n + bin.count, 0);
    expect(binned).toBe(backtest.testCustomers);
    expect(Date.parse(backtest.cutoff)).toBeLessThan(Date.parse("2026-06-01"));

    const list = await app.inject({
      method: "GET",
      url: "/api/v1/retention/risk?limit=20",
      headers: lead.headers,
    });
    expect(list.statusCode).toBe(200);
    const { items, total } = list.json() as {
      items: {
        customer: { id: number; email: string | null };
        score: number;
        band: string;
        valueAtRiskMinor: number | null;
        reasons: { text: string }[];
      }[];
      total: number;
    };
    expect(total).toBe(scored);
    expect(items).toHaveLength(20);
    const values = items.map((item) => item.valueAtRiskMinor ?? -1);
    expect(values).toEqual([...values].sort((a, b) => b - a));
    expect(items[0].customer.email).toMatch(/@/);
    expect(items.some((item) => item.reasons.length > 0)).toBe(true);
    for (const item of items) {
      expect(item.score).toBeGreaterThanOrEqual(0);
      expect(item.score).toBeLessThanOrEqual(100);
      expect(item.band).toBe(item.score >= 60 ? "high" : item.score >= 30 ? "medium" : "low");
    }

    const high = (
      await app.inject({
        method: "GET",
        url: "/api/v1/retention/risk?band=high&limit=200",
        headers: lead.headers,
      })
    ).json();
    expect(high.total).toBe(model.bands.high);
    expect(high.items.every((item: { band: string }) => item.band === "high")).toBe(true);

    const csv = await app.inject({
      method: "GET",
      url: "/api/v1/retention/risk?format=csv",
      headers: lead.headers,
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers["content-type"]).toMatch(/^text\/csv/);
    expect(csv.headers["content-disposition"]).toContain("churn-risk.csv");
    const lines = csv.body.trim().split("\r\n");
    expect(lines[0]).toBe(
      "customer_id,name,email,score,band,p_alive,predicted_value_minor,value_at_risk_minor,currency,reasons,scored_at",
    );
    expect(lines).toHaveLength(scored + 1);

    const top = items[0].customer.id;
    const one = await app.inject({
      method: "GET",
      url: `/api/v1/customers/${top}/risk`,
      headers: agent.headers,
    });
    expect(one.statusCode).toBe(200);
    expect(one.json().current.valueAtRiskMinor).toBe(items[0].valueAtRiskMinor);
    expect(one.json().history.length).toBeGreaterThanOrEqual(1);
    const missing = await app.inject({
      method: "GET",
      url: "/api/v1/customers/987654/risk",
      headers: agent.headers,
    });
    expect(missing.statusCode).toBe(404);

    // Re-scored alone after an event, with the purchase model kept from the nightly fit: the same day gives the
    // same score (P(alive) is recomputed from the customer's own orders, not carried over).
    const before = one.json().current;
    expect(await rescoreCustomer(app.context, top)).toBe(true);
    const after = (
      await app.inject({ method: "GET", url: `/api/v1/customers/${top}/risk`, headers: agent.headers })
    ).json();
    expect(after.current.score).toBe(before.score);
    expect(after.current.pAlive).toBeCloseTo(before.pAlive, 12);
    expect(after.history.length).toBe(one.json().history.length + 1);
  });

  it("puts the tickets of customers with most value at risk first in the value_at_risk view", async () => {
    const response = await app.inject({
      method: "GET",
      url: "/api/v1/tickets?view=value_at_risk&limit=50",
      headers: agent.headers,
    });
    expect(response.statusCode).toBe(200);
    const tickets = response.json().items as {
      status: string;
      customerRisk: { valueAtRiskMinor: number | null } | null;
    }[];
    expect(tickets.length).toBeGreaterThan(0);
    for (const ticket of tickets) {
      expect(["new", "open", "pending", "on_hold"]).toContain(ticket.status);
      expect(ticket.customerRisk).not.toBeNull();
    }
    const counts = (
      await app.inject({ method: "GET", url: "/api/v1/tickets/counts", headers: agent.headers })
    ).json();
    expect(counts.value_at_risk).toBeGreaterThanOrEqual(tickets.length);
  });

  it("reports what service does to retention, with curves, intervals, money or a plain 'too thin'", async () => {
    const response = await app.inject({
      method: "GET",
      url: "/api/v1/retention/service-impact",
      headers: lead.headers,
    });
    expect(response.statusCode).toBe(200);
    const report = response.json();
    expect(report.experiences.map((e: { key: string }) => e.key)).toEqual([
      "slowFirstResponse",
      "reopened",
      "lowCsat",
      "frustrated",
    ]);
    expect(report.currency).toBe("USD");
    const slow = report.experiences[0];
    expect(slow.exposed.customers + slow.unexposed.customers).toBeGreaterThan(50);
    expect(slow.curves.unexposed[0]).toEqual({ t: 0, survival: 1, lower: 1, upper: 1 });
    if (slow.conclusion === "too_thin") {
      expect(slow.hazardRatio).toBeNull();
      expect(slow.message).toMatch(/^Too little data/);
    } else {
      expect(slow.hazardRatio.lower).toBeLessThan(slow.hazardRatio.value);
      expect(slow.hazardRatio.upper).toBeGreaterThan(slow.hazardRatio.value);
      expect(slow.message).not.toContain("{value}");
    }
    // The demo's inbound messages are scored for frustration, so that experience has customers on both sides.
    const frustrated = report.experiences[3];
    expect(frustrated.exposed.customers).toBeGreaterThan(0);
    expect(frustrated.unexposed.customers).toBeGreaterThan(0);
    expect(report.definitions.hazardRatio).toMatch(/Cox/);

    const csv = await app.inject({
      method: "GET",
      url: "/api/v1/retention/service-impact?format=csv&lapseDays=120",
      headers: lead.headers,
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.body.split("\r\n")[0]).toMatch(/^experience,exposed_customers,/);
    const bad = await app.inject({
      method: "GET",
      url: "/api/v1/retention/service-impact?lapseDays=2",
      headers: lead.headers,
    });
    expect(bad.statusCode).toBe(400);
  });
});
