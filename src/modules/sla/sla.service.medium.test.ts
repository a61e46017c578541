import { and, eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { buildTestContext } from "../../../test/app.ts";
import { describeDb, useTestDatabase } from "../../../test/db.ts";
import { buildCustomer, buildTeam, buildTicket, buildUser } from "../../../test/factories.ts";
import { notifications, timelineEvents } from "../../db/schema.ts";
import { reapplySlaPolicies } from "../../workflows/sla-reapply.workflow.ts";
import { runSlaSweep } from "../../workflows/sla-sweep.workflow.ts";
import { addMessage, getTicketRow, updateTicket } from "../tickets/tickets.service.ts";
import {
  createPolicy,
  ensureSlaDefaults,
  expectedFirstReplyAt,
  getSlaReport,
  getSlaStates,
  listCalendars,
  listPolicies,
  updatePolicy,
} from "./sla.service.ts";

const hour = 3_600_000;

describeDb("SLA clocks on business hours", () => {
  const database = useTestDatabase();

  /** A fresh context on Friday 6 March 2026, 16:00 in London (GMT), with the default office hours there. */
  async function londonOffice() {
    const ctx = buildTestContext(database.current, {});
    ctx.clock.set("2026-03-06T16:00:00Z");
    await ensureSlaDefaults(ctx, { timezone: "Europe/London" });
    return ctx;
  }

  const stateOf = async (ctx: ReturnType<typeof buildTestContext>, ticketId: number, metric: string) =>
    (await getSlaStates(ctx, [ticketId])).get(ticketId)?.find((state) => state.metric === metric);

  it("ships office hours and policies once, and counts targets in business hours over the weekend", async () => {
    const ctx = await londonOffice();
    expect(await ensureSlaDefaults(ctx, { timezone: "UTC" })).toBe(false);
    expect((await listCalendars(ctx)).map((c) => c.timezone)).toEqual(["Europe/London"]);
    expect((await listPolicies(ctx)).map((p) => p.name)).toEqual(["Urgent", "High priority", "Standard"]);

    const ticket = await buildTicket(ctx);
    // Standard: first response within 8 business hours. One hour is left on Friday, seven more on Monday.
    const first = await stateOf(ctx, ticket.id, "first_response");
    expect(first).toMatchObject({ targetMinutes: 480, paused: false, breached: false });
    expect(first?.dueAt?.toISOString()).toBe("2026-03-09T16:00:00.000Z");
    const row = await getTicketRow(ctx, ticket.id);
    expect(row.slaDueAt?.toISOString()).toBe("2026-03-09T16:00:00.000Z");
    expect(row.slaDueMetric).toBe("first_response");
    // Over the weekend no business time passes.
    ctx.clock.set("2026-03-08T12:00:00Z");
    expect((await stateOf(ctx, ticket.id, "first_response"))?.remainingMinutes).toBe(420);
  });

  it("pauses while pending, resumes on the customer's reply, and starts a next-response clock", async () => {
    const ctx = await londonOffice();
    const ticket = await buildTicket(ctx);
    ctx.clock.set("2026-03-09T10:00:00Z"); // Monday: 2 business hours used
    await addMessage(ctx, {
      ticketId: ticket.id,
      direction: "outbound",
      channel: "email",
      text: "Let me check.",
    });
    await updateTicket(ctx, ticket.id, { status: "pending" });
    const resolution = await stateOf(ctx, ticket.id, "resolution");
    expect(resolution).toMatchObject({ paused: true, dueAt: null, elapsedMinutes: 120 });
    expect((await getTicketRow(ctx, ticket.id)).slaDueAt).toBeNull();
    expect(await stateOf(ctx, ticket.id, "first_response")).toMatchObject({
      state: "stopped",
      breached: false,
      elapsedMinutes: 120,
    });

    ctx.clock.set("2026-03-11T10:00:00Z"); // Wednesday: two days waiting on the customer do not count
    await addMessage(ctx, {
      ticketId: ticket.id,
      direction: "inbound",
      channel: "email",
      text: "Still nothing",
    });
    expect((await getTicketRow(ctx, ticket.id)).status).toBe("open");
    const resumed = await stateOf(ctx, ticket.id, "resolution");
    expect(resumed).toMatchObject({ paused: false, elapsedMinutes: 120 });
    // 40 business hours less the 2 used: 38 hours = the rest of Wednesday (7), Thu, Fri (16), Mon, Tue (15 of 16).
    expect(resumed?.dueAt?.toISOString()).toBe("2026-03-17T16:00:00.000Z");
    const next = await stateOf(ctx, ticket.id, "next_response");
    // Next response: 8 business hours from Wednesday 10:00 is Thursday 10:00.
    expect(next?.dueAt?.toISOString()).toBe("2026-03-12T10:00:00.000Z");
    expect(next).toMatchObject({ targetMinutes: 480, cycle: 1 });
  });

  it("a reopened ticket resumes its resolution clock where it stopped", async () => {
    const ctx = await londonOffice();
    ctx.clock.set("2026-03-09T09:00:00Z");
    const ticket = await buildTicket(ctx);
    ctx.clock.set("2026-03-09T12:00:00Z");
    await updateTicket(ctx, ticket.id, { status: "solved" });
    expect(await stateOf(ctx, ticket.id, "resolution")).toMatchObject({
      state: "stopped",
      elapsedMinutes: 180,
    });
    ctx.clock.set("2026-03-10T09:00:00Z");
    await addMessage(ctx, { ticketId: ticket.id, direction: "inbound", channel: "email", text: "Not fixed" });
    const resolution = await stateOf(ctx, ticket.id, "resolution");
    expect(resolution).toMatchObject({
      state: "running",
      elapsedMinutes: 180,
      remainingMinutes: 40 * 60 - 180,
    });
  });

  it("warns at 75%, then on breach raises priority, hands the ticket to another team and tells the leads", async () => {
    const ctx = await londonOffice();
    ctx.clock.set("2026-03-09T09:00:00Z");
    const [calendar] = await listCalendars(ctx);
    const agent = await buildUser(ctx);
    const lead = await buildUser(ctx, { role: "lead" });
    const firstLine = await buildTeam(ctx, { routingMode: "manual", memberIds: [agent.id] });
    const escalations = await buildTeam(ctx, { routingMode: "manual", memberIds: [lead.id] });
    await createPolicy(ctx, {
      name: "VIP",
      position: 1,
      enabled: true,
      conditions: { customerTiers: ["VIP"] },
      firstResponseMinutes: 60,
      nextResponseMinutes: 60,
      resolutionMinutes: 480,
      calendarId: calendar.id,
      warnShare: 0.75,
      escalation: { raisePriority: true, notifyLead: true, reassignTeamId: escalations.id },
    });
    const customerId = await buildCustomer(ctx, { tier: "vip" });
    const ticket = await buildTicket(ctx, { customerId, teamId: firstLine.id, assigneeId: agent.id });
    expect((await getTicketRow(ctx, ticket.id)).slaDueAt?.toISOString()).toBe("2026-03-09T10:00:00.000Z");

    ctx.clock.set("2026-03-09T09:44:00Z");
    expect(await runSlaSweep(ctx)).toEqual({ warned: 0, breached: 0 });
    ctx.clock.set("2026-03-09T09:45:00Z");
    expect(await runSlaSweep(ctx)).toEqual({ warned: 1, breached: 0 });
    const agentNotes = await ctx.db.select().from(notifications).where(eq(notifications.userId, agent.id));
    expect(agentNotes.map((n) => n.kind)).toEqual(["sla.warning"]);

    ctx.clock.set("2026-03-09T10:05:00Z");
    expect(await runSlaSweep(ctx)).toEqual({ warned: 0, breached: 1 });
    const after = await getTicketRow(ctx, ticket.id);
    expect(after).toMatchObject({ priority: "high", teamId: escalations.id, assigneeId: null });
    expect(after.slaBreachedAt?.toISOString()).toBe("2026-03-09T10:00:00.000Z");
    expect(await stateOf(ctx, ticket.id, "first_response")).toMatchObject({
      breached: true,
      state: "running",
    });
    const leadNotes = await ctx.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, lead.id), eq(notifications.kind, "sla.breached")));
    expect(leadNotes).toHaveLength(1);
    const breachEvents = await ctx.db
      .select()
      .from(timelineEvents)
      .where(and(eq(timelineEvents.ticketId, ticket.id), eq(timelineEvents.kind, "sla.breached")));
    expect(breachEvents).toHaveLength(1);
    // Acting once: later sweeps leave it alone.
    ctx.clock.set("2026-03-09T12:00:00Z");
    expect(await runSlaSweep(ctx)).toMatchObject({ breached: 0 });

    // The late reply ends the clock as breached in the report, and the flag clears.
    await addMessage(ctx, { ticketId: ticket.id, direction: "outbound", channel: "email", text: "Sorry!" });
    expect((await getTicketRow(ctx, ticket.id)).slaBreachedAt).toBeNull();
    const report = await getSlaReport(ctx, {
      from: new Date("2026-03-01T00:00:00Z"),
      to: new Date("2026-04-01T00:00:00Z"),
      groupBy: "priority",
      period: "week",
      timezone: "Europe/London",
    });
    expect(report.find((row) => row.metric === "first_response" && row.group.key === "high")).toMatchObject({
      completed: 1,
      withTarget: 1,
      met: 0,
      metShare: 0,
      medianMinutes: 180,
    });
  });

  it("re-applies an edited policy to open tickets, from the time they have already used", async () => {
    const ctx = await londonOffice();
    ctx.clock.set("2026-03-09T09:00:00Z");
    const ticket = await buildTicket(ctx);
    ctx.clock.set("2026-03-09T11:00:00Z");
    const standard = (await listPolicies(ctx)).find((p) => p.name === "Standard")!;
    await updatePolicy(ctx, standard.id, { ...standard, firstResponseMinutes: 4 * 60 });
    expect(await reapplySlaPolicies(ctx)).toBeGreaterThanOrEqual(1);
    const first = await stateOf(ctx, ticket.id, "first_response");
    expect(first?.dueAt?.toISOString()).toBe("2026-03-09T13:00:00.000Z");
    expect(first?.remainingMinutes).toBe(120);
  });

  it("tells a customer writing now when to expect a first answer", async () => {
    const ctx = await londonOffice();
    const due = await expectedFirstReplyAt(ctx, {
      priority: "urgent",
      channel: "chat",
      teamId: null,
      customerTier: null,
      customerTags: [],
    });
    // Urgent: one business hour; Friday 16:00 leaves exactly that.
    expect(due?.getTime()).toBe(new Date("2026-03-06T16:00:00Z").getTime() + hour);
  });
});
