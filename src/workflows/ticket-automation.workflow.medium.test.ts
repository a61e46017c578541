import http from "node:http";
import type { AddressInfo } from "node:net";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { buildTestContext } from "../../test/app.ts";
import { describeDb, useTestDatabase } from "../../test/db.ts";
import { buildCustomer, buildTicket, buildUser } from "../../test/factories.ts";
import { jobs, messages, teamMembers } from "../db/schema.ts";
import { jobDefinitions } from "../jobs/job-registry.ts";
import { runDueJobs } from "../jobs/job-worker.ts";
import { signWebhookBody } from "../jobs/webhook-delivery.job.ts";
import { listMacros } from "../modules/macros/macros.service.ts";
import { createRule, listRules } from "../modules/rules/rules.service.ts";
import { listPolicies } from "../modules/sla/sla.service.ts";
import { addMessage, getTicketRow, updateTicket } from "../modules/tickets/tickets.service.ts";
import { runSlaSweep } from "./sla-sweep.workflow.ts";
import { ensureWorkspaceDefaults } from "./workspace-defaults.workflow.ts";

type Received = { headers: http.IncomingHttpHeaders; body: string };

describeDb("ticket automation: rules then routing, after each change", () => {
  const database = useTestDatabase();
  const received: Received[] = [];
  let failNext = 0;
  let server: http.Server;
  let hookUrl = "";

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      let body = "";
      request.on("data", (chunk) => {
        body += chunk;
      });
      request.on("end", () => {
        if (failNext > 0) {
          failNext -= 1;
          response.writeHead(503).end();
          return;
        }
        received.push({ headers: request.headers, body });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    hookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/tend`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  async function workspace() {
    const ctx = buildTestContext(database.current);
    ctx.clock.set("2026-03-09T10:00:00Z"); // Monday, inside default office hours
    await ensureWorkspaceDefaults(ctx);
    return ctx;
  }
  const run = (ctx: ReturnType<typeof buildTestContext>) => runDueJobs(ctx, jobDefinitions);

  it("ships the example rules; a VIP's new ticket becomes high priority and gets the stricter SLA", async () => {
    const ctx = await workspace();
    expect((await listRules(ctx)).map((rule) => rule.name)).toEqual([
      "VIP customers get high priority",
      "Messages about cancelling go to the retention team",
      "Frustrated customers get high priority",
    ]);
    const customerId = await buildCustomer(ctx, { tier: "VIP" });
    const ticket = await buildTicket(ctx, { customerId, text: "My grinder is making a noise." });
    expect((await getTicketRow(ctx, ticket.id)).priority).toBe("normal");
    const summary = await run(ctx);
    expect(summary.failed).toBe(0);
    const after = await getTicketRow(ctx, ticket.id);
    expect(after.priority).toBe("high");
    const high = (await listPolicies(ctx)).find((policy) => policy.name === "High priority");
    expect(after.slaPolicyId).toBe(high?.id);
  });

  it("sends mail about cancelling to the retention team, whose online agent gets it by routing", async () => {
    const ctx = await workspace();
    const rules = await listRules(ctx);
    const [assignTeam] = rules[1].actions;
    expect(assignTeam.type).toBe("assign_team");
    const retentionTeamId = Number(assignTeam.value);
    const keeper = await buildUser(ctx, { status: "online", capacity: 3 });
    await ctx.db.insert(teamMembers).values({ teamId: retentionTeamId, userId: keeper.id });

    const ticket = await buildTicket(ctx, { text: "Hi, please cancel my subscription from next month." });
    await run(ctx);
    const after = await getTicketRow(ctx, ticket.id);
    expect(after).toMatchObject({ teamId: retentionTeamId, assigneeId: keeper.id });
    expect(after.tags).toContain("cancellation-risk");

    // A later message on another ticket mentions it too: message.received fires the same rule.
    const other = await buildTicket(ctx, { text: "Where is my order?" });
    await run(ctx);
    expect((await getTicketRow(ctx, other.id)).teamId).toBeNull();
    ctx.clock.advance(60_000);
    await addMessage(ctx, {
      ticketId: other.id,
      direction: "inbound",
      channel: "email",
      text: "Actually, I'd like to close my account.",
    });
    await run(ctx);
    expect((await getTicketRow(ctx, other.id)).teamId).toBe(retentionTeamId);
  });

  it("does not loop: a rule's own changes do not run rules again", async () => {
    const ctx = await workspace();
    await createRule(ctx, {
      name: "Solved tickets get a follow-up tag and go back to open",
      enabled: true,
      position: 50,
      events: ["ticket.status_changed"],
      conditions: { all: [{ field: "status.to", operator: "is", value: "solved" }], any: [] },
      actions: [
        { type: "add_tags", value: ["check-in"] },
        { type: "set_status", value: "open" },
      ],
    });
    const ticket = await buildTicket(ctx);
    await run(ctx);
    await updateTicket(ctx, ticket.id, { status: "solved" });
    const summary = await run(ctx);
    expect(summary.failed).toBe(0);
    const after = await getTicketRow(ctx, ticket.id);
    expect(after).toMatchObject({ status: "open", tags: ["check-in"] });
    const rule = (await listRules(ctx)).find((r) => r.name.startsWith("Solved tickets"));
    expect(rule?.fireCount).toBe(1);
  });

  it("delivers a signed webhook, retrying while the receiver is down", async () => {
    const ctx = await workspace();
    const secret = "a-long-shared-secret-for-tests";
    await createRule(ctx, {
      name: "Tell the CRM about urgent tickets",
      enabled: true,
      position: 60,
      events: ["ticket.created"],
      conditions: { all: [{ field: "ticket.priority", operator: "is", value: "urgent" }], any: [] },
      actions: [{ type: "send_webhook", url: hookUrl, secret }],
    });
    failNext = 1;
    received.length = 0;
    const ticket = await buildTicket(ctx, { priority: "urgent", subject: "Card charged twice" });
    const first = await run(ctx);
    expect(first.retrying).toBe(1);
    expect(received).toHaveLength(0);
    const [pending] = await ctx.db
      .select()
      .from(jobs)
      .where(and(eq(jobs.name, "webhook.deliver"), eq(jobs.status, "queued")));
    expect(pending.lastError).toMatch(/HTTP 503/);

    ctx.clock.advance(60_000);
    await run(ctx);
    expect(received).toHaveLength(1);
    const body = JSON.parse(received[0].body);
    expect(body).toMatchObject({
      event: "ticket.created",
      rule: { name: "Tell the CRM about urgent tickets" },
      ticket: { id: ticket.id, subject: "Card charged twice", priority: "urgent" },
    });
    expect(received[0].headers["x-tend-signature"]).toBe(signWebhookBody(secret, received[0].body));
    expect(received[0].headers["x-tend-delivery"]).toBe(
      pending.payload && (pending.payload as { deliveryId: string }).deliveryId,
    );
  });

  it("runs rules on SLA warnings, and answers with a macro", async () => {
    const ctx = await workspace();
    const [acknowledge] = await listMacros(ctx);
    await createRule(ctx, {
      name: "Warn: tag and acknowledge",
      enabled: true,
      position: 70,
      events: ["sla.warning"],
      conditions: { all: [{ field: "sla.metric", operator: "is", value: "first_response" }], any: [] },
      actions: [
        { type: "add_tags", value: ["sla-warning"] },
        { type: "apply_macro", value: acknowledge.id },
      ],
    });
    const customerId = await buildCustomer(ctx, { name: "Ivy Stone" });
    const ticket = await buildTicket(ctx, { customerId, channel: "chat" });
    await run(ctx);
    ctx.clock.advance(6 * 3_600_000); // 6 of the standard 8 business hours: past the 75% warning
    expect((await runSlaSweep(ctx)).warned).toBeGreaterThanOrEqual(1);
    await run(ctx);
    const after = await getTicketRow(ctx, ticket.id);
    expect(after.tags).toContain("sla-warning");
    const replies = await ctx.db
      .select()
      .from(messages)
      .where(and(eq(messages.ticketId, ticket.id), eq(messages.direction, "outbound")));
    expect(replies).toHaveLength(1);
    expect(replies[0].text).toMatch(/^Hi Ivy,/);
  });
});
