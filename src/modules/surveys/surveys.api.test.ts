import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { buildTestApp } from "../../../test/app.ts";
import { describeDb, useTestDatabase } from "../../../test/db.ts";
import { buildCustomer, buildTicket } from "../../../test/factories.ts";
import { rawHeader, type SmtpSink, startSmtpSink } from "../../../test/smtp-sink.ts";
import { contactOptOuts, surveySends } from "../../db/schema.ts";
import { withTransaction } from "../../db/transaction.ts";
import { bearerFor, type SignedIn, signInAs } from "../../http/auth-test-helpers.ts";
import { jobDefinitions } from "../../jobs/job-registry.ts";
import { runDueJobs } from "../../jobs/job-worker.ts";
import { ensureWorkspaceDefaults } from "../../workflows/workspace-defaults.workflow.ts";
import { updateTicket } from "../tickets/tickets.service.ts";

const hourMs = 3_600_000;

describeDb("surveys API and public pages", () => {
  const database = useTestDatabase();
  let app: Awaited<ReturnType<typeof buildTestApp>>;
  let sink: SmtpSink;
  let agent: SignedIn;
  let lead: SignedIn;
  let admin: SignedIn;

  beforeAll(async () => {
    sink = await startSmtpSink();
    app = await buildTestApp(database.current, {
      config: { smtpUrl: sink.url, publicUrl: "http://tend.test" },
    });
    app.context.clock.set("2026-03-09T10:00:00Z");
    await ensureWorkspaceDefaults(app.context);
    agent = await signInAs(app, "agent", "Alex Agent");
    lead = await signInAs(app, "lead", "Lee Lead");
    admin = await signInAs(app, "admin", "Ada Admin");
  });
  afterAll(async () => {
    await app.close();
    await sink.close();
  });

  const run = () => runDueJobs(app.context, jobDefinitions);

  /** A solved ticket whose CSAT mail went out; returns the response link's path and the ticket. */
  async function mailedSurvey(email: string) {
    const customerId = await buildCustomer(app.context, { email, name: "Rosa Díaz" });
    const ticket = await buildTicket(app.context, {
      customerId,
      subject: "Kettle",
      assigneeId: agent.user.id,
    });
    const solved = await app.inject({
      method: "PATCH",
      url: `/api/v1/tickets/${ticket.id}`,
      headers: agent.headers,
      payload: { status: "solved" },
    });
    expect(solved.statusCode).toBe(200);
    await run();
    app.context.clock.advance(24 * hourMs);
    await run();
    const mail = sink.accepted.find((m) => m.to.includes(email));
    if (!mail) throw new Error(`no survey mail to ${email}`);
    const link = /http:\/\/tend\.test(\/survey\/[^?\s]+)\?score=1/.exec(mail.parsed.text ?? "")?.[1];
    const unsubscribe = /http:\/\/tend\.test(\/survey\/unsubscribe\/\S+)/.exec(mail.parsed.text ?? "")?.[1];
    if (!link || !unsubscribe) throw new Error("no links in the survey mail");
    return {
      customerId,
      ticket,
      path: link,
      unsubscribePath: unsubscribe,
      token: link.split("/").pop() ?? "",
      mail,
    };
  }

  const form = (fields: Record<string, string>) => ({
    payload: new URLSearchParams(fields).toString(),
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });

  it("opens the form with the mail's score chosen, records nothing on GET, and records the POST once", async () => {
    const { path, customerId } = await mailedSurvey("page@example.test");
    const page = await app.inject({ method: "GET", url: `${path}?score=4` });
    expect(page.statusCode).toBe(200);
    expect(page.headers["content-type"]).toMatch(/^text\/html/);
    expect(page.headers["content-security-policy"]).toMatch(/default-src 'none'; style-src 'sha256-/);
    expect(page.headers["referrer-policy"]).toBe("no-referrer");
    expect(page.body).toContain('value="4" checked');
    // A link scanner's GET (or three) changes nothing.
    await app.inject({ method: "GET", url: `${path}?score=1` });
    const public1 = await app.inject({
      method: "GET",
      url: `/api/v1/surveys/public/${path.split("/").pop()}`,
    });
    expect(public1.json()).toMatchObject({ state: "open", kind: "csat", response: null });

    const posted = await app.inject({ method: "POST", url: path, ...form({ q_score: "4" }) });
    expect(posted.statusCode).toBe(303);
    expect(posted.headers.location).toBe(`${path}?thanks=1`);
    const thanks = await app.inject({ method: "GET", url: `${path}?thanks=1` });
    expect(thanks.body).toContain("Thank you for your answer!");
    expect(thanks.body).toContain("4 of 5 – Satisfied");
    expect(thanks.body).toContain(`action="${path}/comment"`);
    const commented = await app.inject({
      method: "POST",
      url: `${path}/comment`,
      ...form({ comment: "Quick & kind" }),
    });
    expect(commented.statusCode).toBe(303);
    const again = await app.inject({ method: "GET", url: path });
    expect(again.body).toContain("We already have your answer");
    expect(again.body).toContain("Quick &amp; kind");
    // A second answer does not replace the first.
    const second = await app.inject({ method: "POST", url: path, ...form({ q_score: "1" }) });
    expect(second.statusCode).toBe(303);
    const state = await app.inject({ method: "GET", url: `/api/v1/surveys/public/${path.split("/").pop()}` });
    expect(state.json()).toMatchObject({
      state: "answered",
      response: { score: 4, comment: "Quick & kind" },
    });
    const sends = await app.inject({
      method: "GET",
      url: `/api/v1/surveys/sends?customerId=${customerId}`,
      headers: { cookie: agent.cookie },
    });
    expect(sends.json().items).toMatchObject([{ status: "sent", response: { score: 4 } }]);
  });

  it("asks again, in words, when the score is missing", async () => {
    const { path } = await mailedSurvey("missing@example.test");
    const posted = await app.inject({ method: "POST", url: path, ...form({ q_comment: "no score" }) });
    expect(posted.statusCode).toBe(400);
    expect(posted.body).toContain("Choose a score.");
    expect(posted.body).toContain("no score");
  });

  it("unsubscribes without login, from the page or a mail client's one-click POST", async () => {
    const { unsubscribePath, customerId, mail } = await mailedSurvey("unsub@example.test");
    expect(rawHeader(mail.raw, "List-Unsubscribe")).toBe(`<http://tend.test${unsubscribePath}>`);
    const page = await app.inject({ method: "GET", url: unsubscribePath });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Stop surveys?");
    expect(
      await database.current.db
        .select()
        .from(contactOptOuts)
        .where(eq(contactOptOuts.customerId, customerId)),
    ).toEqual([]);
    const oneClick = await app.inject({
      method: "POST",
      url: unsubscribePath,
      ...form({ "List-Unsubscribe": "One-Click" }),
    });
    expect(oneClick.statusCode).toBe(200);
    expect(oneClick.body).toContain("You're unsubscribed");
    const consent = await app.inject({
      method: "GET",
      url: `/api/v1/customers/${customerId}/contact-consent`,
      headers: { cookie: agent.cookie },
    });
    expect(consent.json()).toEqual({ customerId, surveys: false, followUps: true });
    const [row] = await database.current.db
      .select()
      .from(contactOptOuts)
      .where(eq(contactOptOuts.customerId, customerId));
    expect(row.source).toBe("one_click");
    // An agent records that the customer agreed again.
    const put = await app.inject({
      method: "PUT",
      url: `/api/v1/customers/${customerId}/contact-consent`,
      headers: agent.headers,
      payload: { surveys: true, followUps: false },
    });
    expect(put.json()).toEqual({ customerId, surveys: true, followUps: false });
  });

  it("answers through the JSON API; a score of 1 puts the ticket in the recover view until the lead records the outcome", async () => {
    const { token, ticket } = await mailedSurvey("api@example.test");
    const answered = await app.inject({
      method: "POST",
      url: `/api/v1/surveys/public/${token}/response`,
      payload: { score: 1, comment: "Took a week" },
    });
    expect(answered.statusCode).toBe(201);
    expect(answered.headers["access-control-allow-origin"]).toBe("*");
    expect(answered.json()).toMatchObject({ state: "answered", score: 1, comment: "Took a week" });
    const twice = await app.inject({
      method: "POST",
      url: `/api/v1/surveys/public/${token}/response`,
      payload: { score: 5 },
    });
    expect(twice.statusCode).toBe(409);

    const view = await app.inject({
      method: "GET",
      url: "/api/v1/tickets?view=recover",
      headers: { cookie: agent.cookie },
    });
    expect(view.statusCode).toBe(200);
    const item = view.json().items.find((t: { id: number }) => t.id === ticket.id);
    expect(item).toMatchObject({ status: "open", priority: "high" });
    expect(item.tags).toContain("recover");

    const recoveries = await app.inject({
      method: "GET",
      url: "/api/v1/surveys/recoveries?status=open",
      headers: { cookie: agent.cookie },
    });
    const recovery = recoveries.json().items.find((r: { ticketId: number }) => r.ticketId === ticket.id);
    expect(recovery).toMatchObject({
      metric: "csat",
      score: 1,
      comment: "Took a week",
      action: "reopened",
      overdue: false,
    });
    expect(recovery.owner.name).toBe("Lee Lead");

    const byAgent = await app.inject({
      method: "POST",
      url: `/api/v1/surveys/recoveries/${recovery.id}/outcome`,
      headers: agent.headers,
      payload: { outcome: "recovered" },
    });
    expect(byAgent.statusCode).toBe(403);
    const byLead = await app.inject({
      method: "POST",
      url: `/api/v1/surveys/recoveries/${recovery.id}/outcome`,
      headers: lead.headers,
      payload: { outcome: "recovered", note: "Refunded the shipping" },
    });
    expect(byLead.statusCode).toBe(200);
    expect(byLead.json()).toMatchObject({
      status: "done",
      outcome: "recovered",
      outcomeNote: "Refunded the shipping",
    });
    const after = await app.inject({
      method: "GET",
      url: "/api/v1/tickets?view=recover",
      headers: { cookie: agent.cookie },
    });
    expect(after.json().items.map((t: { id: number }) => t.id)).not.toContain(ticket.id);

    app.context.clock.advance(hourMs);
    const order = await app.inject({
      method: "POST",
      url: "/api/v1/orders",
      headers: agent.headers,
      payload: {
        customer: { email: "api@example.test" },
        placedAt: app.context.clock.now().toISOString(),
        amountMinor: 1999,
        currency: "USD",
      },
    });
    expect(order.statusCode).toBe(201);
    const delivered = await app.inject({
      method: "PATCH",
      url: `/api/v1/orders/${order.json().id}`,
      headers: agent.headers,
      payload: { status: "delivered" },
    });
    expect(delivered.json().status).toBe("delivered");
    const summary = await app.inject({
      method: "GET",
      url: "/api/v1/surveys/recoveries/summary",
      headers: { cookie: lead.cookie },
    });
    expect(
      summary.json().byOutcome.find((row: { outcome: string }) => row.outcome === "recovered"),
    ).toMatchObject({
      boughtAgain: 1,
      boughtAgainShare: 1,
    });
  });

  it("lets admins change settings, leads read reports and comments, and agents send a survey by API", async () => {
    const bearer = await bearerFor(app.context, "agent");
    expect(
      (
        await app.inject({
          method: "PUT",
          url: "/api/v1/surveys/settings",
          headers: lead.headers,
          payload: {},
        })
      ).statusCode,
    ).toBe(403);
    const bad = await app.inject({
      method: "PUT",
      url: "/api/v1/surveys/settings",
      headers: admin.headers,
      payload: { relationshipNps: { cadenceMonths: 5 } },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path).toMatch(/relationshipNps\.cadenceMonths/);
    const saved = await app.inject({
      method: "PUT",
      url: "/api/v1/surveys/settings",
      headers: admin.headers,
      payload: {
        wording: { csat: "How was our help today?" },
        contactBudget: { maxMessages: 3, periodDays: 14 },
      },
    });
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toMatchObject({
      wording: { csat: "How was our help today?", csatStyle: "faces" },
      contactBudget: { maxMessages: 3, periodDays: 14 },
      resolution: { delayHours: 24, enabled: true },
      responseWindowDays: 28,
    });

    const definition = await app.inject({
      method: "POST",
      url: "/api/v1/surveys/definitions",
      headers: admin.headers,
      payload: {
        name: "Onboarding",
        questions: [
          { id: "ease", type: "ces", prompt: "How easy was getting started?" },
          { id: "plan", type: "choice", prompt: "Which plan?", options: ["Basic", "Pro"], required: true },
          { id: "comment", type: "text", prompt: "What should we improve?" },
        ],
      },
    });
    expect(definition.statusCode).toBe(201);
    const customerId = await buildCustomer(app.context, { email: "onboard@example.test" });
    const send = await app.inject({
      method: "POST",
      url: "/api/v1/surveys/sends",
      headers: bearer,
      payload: { customerId, kind: "custom", definitionId: definition.json().id, channel: "api" },
    });
    expect(send.statusCode).toBe(201);
    expect(send.json()).toMatchObject({ kind: "custom", metric: "ces", channel: "api", status: "sent" });
    const token = String(send.json().responseUrl).split("/").pop();
    const invalid = await app.inject({
      method: "POST",
      url: `/api/v1/surveys/public/${token}/response`,
      payload: { answers: { ease: 6 } },
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().error.details).toEqual([
      { path: "body.answers.plan", message: "Choose an answer." },
    ]);
    const ok = await app.inject({
      method: "POST",
      url: `/api/v1/surveys/public/${token}/response`,
      payload: { answers: { ease: 6, plan: "Pro", comment: "More videos" } },
    });
    expect(ok.json()).toMatchObject({ score: 6, comment: "More videos" });

    const report = await app.inject({
      method: "GET",
      url: "/api/v1/surveys/reports?metric=csat&groupBy=agent&period=week",
      headers: { cookie: lead.cookie },
    });
    expect(report.statusCode).toBe(200);
    const alex = report.json().groups.find((g: { label: string }) => g.label === "Alex Agent");
    expect(alex.responses).toBeGreaterThanOrEqual(2);
    expect(alex.trend.length).toBeGreaterThan(10);
    expect(
      (
        await app.inject({
          method: "GET",
          url: "/api/v1/surveys/reports?metric=csat",
          headers: { cookie: agent.cookie },
        })
      ).statusCode,
    ).toBe(403);
    const comments = await app.inject({
      method: "GET",
      url: "/api/v1/surveys/responses?metric=csat&withComment=true",
      headers: { cookie: lead.cookie },
    });
    expect(comments.json().items.map((r: { comment: string }) => r.comment)).toEqual(
      expect.arrayContaining(["Took a week", "Quick & kind"]),
    );
    const ces = await app.inject({
      method: "GET",
      url: "/api/v1/surveys/reports?metric=ces",
      headers: { cookie: lead.cookie },
    });
    expect(ces.json().overall).toMatchObject({ responses: 1, value: 6 });
  });

  it("skips an email survey asked for a customer who opted out, and says why", async () => {
    const customerId = await buildCustomer(app.context, { email: "skip@example.test" });
    await database.current.db
      .insert(contactOptOuts)
      .values({ customerId, purpose: "surveys", source: "agent", createdAt: app.context.clock.now() });
    const send = await app.inject({
      method: "POST",
      url: "/api/v1/surveys/sends",
      headers: agent.headers,
      payload: { customerId, kind: "nps" },
    });
    expect(send.json()).toMatchObject({ status: "skipped", skipReason: "opted_out", responseUrl: null });
    const ticket = await buildTicket(app.context, { customerId });
    await withTransaction(app.context, (tx) => updateTicket(tx, ticket.id, { status: "solved" }));
    await run();
    app.context.clock.advance(25 * hourMs);
    await run();
    const rows = await database.current.db
      .select()
      .from(surveySends)
      .where(eq(surveySends.customerId, customerId));
    expect(rows.map((row) => row.status)).toEqual(["skipped", "skipped"]);
    expect(sink.accepted.filter((mail) => mail.to.includes("skip@example.test"))).toEqual([]);
  });
  // Last: it moves the clock past the window (and past the sessions' lifetime).
  it("shows a clear page for forged and expired links, and 404 on the API for a forged token", async () => {
    const { path, token } = await mailedSurvey("expired@example.test");
    const forged = path.replace(/.$/, (c) => (c === "A" ? "B" : "A"));
    const bad = await app.inject({ method: "GET", url: forged });
    expect(bad.statusCode).toBe(404);
    expect(bad.body).toContain("This link doesn't work");
    expect((await app.inject({ method: "GET", url: "/survey/not-a-token" })).statusCode).toBe(404);
    const api = await app.inject({ method: "GET", url: `/api/v1/surveys/public/${forged.split("/").pop()}` });
    expect(api.statusCode).toBe(404);
    expect(api.json().error.code).toBe("not_found");

    app.context.clock.advance(28 * 24 * hourMs);
    const closed = await app.inject({ method: "GET", url: `${path}?score=5` });
    expect(closed.statusCode).toBe(410);
    expect(closed.body).toContain("This survey has closed");
    const late = await app.inject({ method: "POST", url: path, ...form({ q_score: "5" }) });
    expect(late.statusCode).toBe(410);
    const lateApi = await app.inject({
      method: "POST",
      url: `/api/v1/surveys/public/${token}/response`,
      payload: { score: 5 },
    });
    expect(lateApi.statusCode).toBe(409);
    expect(lateApi.json().error.details).toEqual({ reason: "closed" });
  });
});
