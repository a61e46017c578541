import { afterAll, beforeAll, expect, it } from "vitest";
import { buildTestApp, receiveCustomerMessage } from "../../../test/app.ts";
import { describeDb, useTestDatabase } from "../../../test/db.ts";
import { bearerFor, type SignedIn, signInAs } from "../../http/auth-test-helpers.ts";
import { jobDefinitions } from "../../jobs/job-registry.ts";
import { runDueJobs } from "../../jobs/job-worker.ts";
import { frustratedCustomerRule } from "../rules/rules.service.ts";

describeDb("frustration on tickets and messages (API)", () => {
  const database = useTestDatabase();
  let app: Awaited<ReturnType<typeof buildTestApp>>;
  let agent: SignedIn;
  let admin: SignedIn;
  let integration: Record<string, string>;

  beforeAll(async () => {
    app = await buildTestApp(database.current);
    agent = await signInAs(app, "agent", "Ada Agent");
    admin = await signInAs(app, "admin", "Ari Admin");
    integration = await bearerFor(app.context, "agent");
    const rule = await app.inject({
      method: "POST",
      url: "/api/v1/rules",
      headers: admin.headers,
      payload: frustratedCustomerRule,
    });
    expect(rule.statusCode).toBe(201);
  });
  afterAll(async () => app.close());

  const receive = (email: string, text: string, channel = "api") =>
    receiveCustomerMessage(app, integration, { email, text, channel });
  const ticket = async (id: number) =>
    (
      await app.inject({ method: "GET", url: `/api/v1/tickets/${id}`, headers: { cookie: agent.cookie } })
    ).json();
  const list = async (view: string) =>
    (
      await app.inject({
        method: "GET",
        url: `/api/v1/tickets?view=${view}`,
        headers: { cookie: agent.cookie },
      })
    ).json();

  it("scores each customer message, shows the ticket's frustration, lists it as frustrated and raises its priority", async () => {
    const calm = await receive("calm@example.com", "Hi, could you tell me when my order will ship? Thanks!");
    const angry = await receive(
      "angry@example.com",
      "This is the THIRD time I'm asking!!! Nobody has replied. Cancel my account.",
    );

    const calmTicket = await ticket(calm.ticketId);
    expect(calmTicket.frustration).toMatchObject({ level: "none", cues: [] });
    expect(calmTicket.messages[0].frustration.level).toBe("none");

    const angryTicket = await ticket(angry.ticketId);
    expect(angryTicket.frustration.level).toBe("high");
    expect(angryTicket.frustration.score).toBeGreaterThanOrEqual(0.5);
    expect(angryTicket.frustration.cues).toEqual(
      expect.arrayContaining([
        "threatens to cancel or leave",
        "has asked before",
        "shouting (capitals, !!!)",
      ]),
    );
    expect(angryTicket.messages[0].frustration.cues).toEqual(angryTicket.frustration.cues);

    const frustrated = await list("frustrated");
    expect(frustrated.items.map((t: { id: number }) => t.id)).toEqual([angry.ticketId]);
    expect(frustrated.items[0].frustration.level).toBe("high");
    const counts = (
      await app.inject({ method: "GET", url: "/api/v1/tickets/counts", headers: { cookie: agent.cookie } })
    ).json();
    expect(counts.frustrated).toBe(1);

    // The shipped example rule raises the frustrated customer's ticket, and only that one.
    await runDueJobs(app.context, jobDefinitions);
    expect(await ticket(angry.ticketId)).toMatchObject({ priority: "high", tags: ["frustrated"] });
    expect((await ticket(calm.ticketId)).priority).toBe("normal");
  });

  it("counts repeated contact and calms down when an agent answers", async () => {
    const first = await receive("again@example.com", "Any news on order 5512?", "sms");
    await receive("again@example.com", "Any news on order 5512?", "api");
    const third = await receive("again@example.com", "Any news on order 5512?", "sms");
    expect(third.ticketId).toBe(first.ticketId);
    const detail = await ticket(first.ticketId);
    expect(detail.messages[0].frustration.cues).toEqual([]);
    expect(detail.messages.at(-1).frustration.cues).toEqual(["third contact in 5 days"]);
    expect(detail.frustration.cues).toEqual(["third contact in 5 days"]);

    const angry = await receive(
      "late@example.com",
      "Unacceptable. I want a refund or I'm filing a chargeback!!",
    );
    expect((await ticket(angry.ticketId)).frustration.level).toBe("high");
    const reply = await app.inject({
      method: "POST",
      url: `/api/v1/tickets/${angry.ticketId}/messages`,
      headers: agent.headers,
      payload: { text: "I'm so sorry. I've refunded you in full just now." },
    });
    expect(reply.statusCode).toBe(201);
    expect(reply.json().frustration).toBeNull();
    // Answered: at most mild until the customer writes again; a second reply clears it.
    expect((await ticket(angry.ticketId)).frustration.level).toBe("mild");
    expect((await list("frustrated")).items.map((t: { id: number }) => t.id)).not.toContain(angry.ticketId);
    await app.inject({
      method: "POST",
      url: `/api/v1/tickets/${angry.ticketId}/messages`,
      headers: agent.headers,
      payload: { text: "The refund should reach your card within three days." },
    });
    expect((await ticket(angry.ticketId)).frustration).toBeNull();
  });

  it("refuses a frustration rule condition out of range with the field path", async () => {
    const response = await app.inject({
      method: "POST",
      url: "/api/v1/rules",
      headers: admin.headers,
      payload: {
        ...frustratedCustomerRule,
        conditions: { all: [{ field: "ticket.frustration_score", operator: "at_least", value: 5 }], any: [] },
      },
    });
    expect(response.statusCode).toBe(400);
    expect(JSON.stringify(response.json())).toContain("conditions");
  });
});
