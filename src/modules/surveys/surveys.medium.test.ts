import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { buildTestContext } from "../../../test/app.ts";
import { describeDb, useTestDatabase } from "../../../test/db.ts";
import { buildCustomer, buildTeam, buildTicket, buildUser } from "../../../test/factories.ts";
import { rawHeader, type SmtpSink, startSmtpSink } from "../../../test/smtp-sink.ts";
import type { ManualClock } from "../../clock.ts";
import type { AppContext } from "../../context.ts";
import { jobs, surveyRecoveries, surveySends, timelineEvents } from "../../db/schema.ts";
import { withTransaction } from "../../db/transaction.ts";
import { jobDefinitions } from "../../jobs/job-registry.ts";
import { runDueJobs } from "../../jobs/job-worker.ts";
import { recordOrder, updateOrderStatus } from "../../workflows/record-order.workflow.ts";
import { answerSurvey } from "../../workflows/survey-answer.workflow.ts";
import { queueDueRelationshipNps } from "../../workflows/survey-follow-up.workflow.ts";
import { recordRecoveryOutcome } from "../../workflows/survey-recovery.workflow.ts";
import { ensureWorkspaceDefaults } from "../../workflows/workspace-defaults.workflow.ts";
import { isWithinBusinessHours } from "../sla/business-hours.ts";
import { getWorkspaceCalendar } from "../sla/sla.service.ts";
import { addMessage, getTicketRow, updateTicket } from "../tickets/tickets.service.ts";
import { listTickets } from "../tickets/tickets-inbox.service.ts";
import { getSurveyReport } from "./survey-reports.service.ts";
import { nextRelationshipNpsAt } from "./survey-rules.ts";
import { verifySurveyToken } from "./survey-token.ts";
import type { surveySettingsSchema } from "./surveys.schemas.ts";
import {
  findSendByToken,
  getRecoverySummary,
  getSurveyConfig,
  optOutOfContact,
  surveyLink,
  updateSurveySettings,
} from "./surveys.service.ts";

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;

describeDb("surveys and follow-ups", () => {
  const database = useTestDatabase();
  let sink: SmtpSink;
  let ctx: AppContext & { clock: ManualClock };
  let agentId: number;
  let leadId: number;
  let teamId: number;

  beforeAll(async () => {
    sink = await startSmtpSink();
    ctx = buildTestContext(database.current, {
      config: { smtpUrl: sink.url, publicUrl: "https://help.shop.test" },
    });
    ctx.clock.set("2026-03-09T10:00:00Z"); // a Monday, inside the default office hours
    await ensureWorkspaceDefaults(ctx);
    agentId = (await buildUser(ctx, { name: "Alex Agent" })).id;
    leadId = (await buildUser(ctx, { name: "Lee Lead", role: "lead" })).id;
    teamId = (await buildTeam(ctx, { name: "Care", memberIds: [agentId, leadId], routingMode: "manual" })).id;
  });
  afterAll(async () => sink.close());

  const run = () => runDueJobs(ctx, jobDefinitions);
  const settings = (input: z.input<typeof surveySettingsSchema> = {}) => updateSurveySettings(ctx, input);
  const mailsTo = (address: string) => sink.accepted.filter((mail) => mail.to.includes(address));
  const sendsOf = (customerId: number) =>
    ctx.db.select().from(surveySends).where(eq(surveySends.customerId, customerId)).orderBy(surveySends.id);

  async function solvedTicket(email: string) {
    const customerId = await buildCustomer(ctx, { email, name: "Rosa Díaz" });
    const ticket = await buildTicket(ctx, {
      customerId,
      subject: "Kettle stopped heating",
      teamId,
      assigneeId: agentId,
    });
    await withTransaction(ctx, (tx) => updateTicket(tx, ticket.id, { status: "solved" }, agentId));
    await run();
    return { customerId, ticket };
  }

  describe("after a ticket is solved", () => {
    it("mails the CSAT survey after the delay, once, with the headers that keep auto-responders quiet", async () => {
      await settings({});
      const { customerId, ticket } = await solvedTicket("rosa@example.test");
      ctx.clock.advance(23 * hourMs);
      await run();
      expect(await sendsOf(customerId)).toEqual([]);
      ctx.clock.advance(hourMs);
      await run();
      const [send] = await sendsOf(customerId);
      expect(send).toMatchObject({
        kind: "csat",
        metric: "csat",
        status: "sent",
        channel: "email",
        agentId,
        teamId,
      });
      expect(send.expiresAt?.getTime()).toBe(ctx.clock.now().getTime() + 28 * dayMs);
      const [mail] = mailsTo("rosa@example.test");
      expect(mail.parsed.messageId).toBe(`<${send.mailMessageId}>`);
      expect(mail.parsed.subject).toBe("How did we do? Re: Kettle stopped heating");
      expect(rawHeader(mail.raw, "Auto-Submitted")).toBe("auto-generated");
      expect(rawHeader(mail.raw, "List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");
      expect(rawHeader(mail.raw, "List-Unsubscribe")).toMatch(
        /^<https:\/\/help\.shop\.test\/survey\/unsubscribe\/[0-9a-z]+\.[\w-]{27}>$/,
      );
      const replyTo =
        mail.parsed.replyTo && !Array.isArray(mail.parsed.replyTo) ? mail.parsed.replyTo.text : "";
      expect(replyTo).toMatch(new RegExp(`^support\\+t${ticket.id}-`));
      // Each score is a link to the response page with that score.
      const links = [
        ...(mail.parsed.text ?? "").matchAll(/https:\/\/help\.shop\.test\/survey\/([^?\s]+)\?score=(\d)/g),
      ];
      expect(links.map((link) => link[2])).toEqual(["1", "2", "3", "4", "5"]);
      const { secret } = await getSurveyConfig(ctx);
      expect(verifySurveyToken(secret, "respond", links[0][1])).toBe(send.id);
      const timeline = await ctx.db
        .select()
        .from(timelineEvents)
        .where(eq(timelineEvents.customerId, customerId));
      expect(timeline.map((event) => event.kind)).toContain("survey.sent");
      // Solving again later does not mail a second survey for the same ticket.
      await withTransaction(ctx, (tx) => updateTicket(tx, ticket.id, { status: "open" }));
      await withTransaction(ctx, (tx) => updateTicket(tx, ticket.id, { status: "solved" }));
      await run();
      ctx.clock.advance(25 * hourMs);
      await run();
      expect(mailsTo("rosa@example.test")).toHaveLength(1);
    });

    it("sends nothing when the ticket was reopened meanwhile, and counts from the last solve", async () => {
      await settings({});
      const { customerId, ticket } = await solvedTicket("reopened@example.test");
      ctx.clock.advance(5 * hourMs);
      await withTransaction(ctx, (tx) =>
        addMessage(tx, {
          ticketId: ticket.id,
          direction: "inbound",
          channel: "email",
          authorCustomerId: customerId,
          text: "Still broken!",
        }),
      );
      await run();
      expect((await getTicketRow(ctx, ticket.id)).status).toBe("open");
      ctx.clock.advance(20 * hourMs);
      await run();
      expect(await sendsOf(customerId)).toEqual([]);

      await withTransaction(ctx, (tx) => updateTicket(tx, ticket.id, { status: "solved" }, agentId));
      await run();
      ctx.clock.advance(23 * hourMs);
      await run();
      expect(await sendsOf(customerId)).toEqual([]);
      ctx.clock.advance(hourMs);
      await run();
      expect(await sendsOf(customerId)).toMatchObject([{ status: "sent" }]);
      expect(mailsTo("reopened@example.test")).toHaveLength(1);
    });

    it("keeps within the contact budget and stores why a survey was not sent", async () => {
      await settings({ contactBudget: { maxMessages: 1, periodDays: 30 }, resolution: { delayHours: 1 } });
      const customerId = await buildCustomer(ctx, { email: "busy@example.test" });
      for (const subject of ["First question", "Second question"]) {
        const ticket = await buildTicket(ctx, { customerId, subject });
        await withTransaction(ctx, (tx) => updateTicket(tx, ticket.id, { status: "solved" }));
      }
      await run();
      ctx.clock.advance(hourMs);
      await run();
      expect((await sendsOf(customerId)).map((s) => [s.status, s.skipReason])).toEqual([
        ["sent", null],
        ["skipped", "contact_budget"],
      ]);
      expect(mailsTo("busy@example.test")).toHaveLength(1);
      // A month later there is room again.
      ctx.clock.advance(31 * dayMs);
      const third = await buildTicket(ctx, { customerId, subject: "Third question" });
      await withTransaction(ctx, (tx) => updateTicket(tx, third.id, { status: "solved" }));
      await run();
      ctx.clock.advance(hourMs);
      await run();
      expect(mailsTo("busy@example.test")).toHaveLength(2);
    });

    it("sends nothing to a customer who opted out, even when the mail was already queued", async () => {
      await settings({ resolution: { delayHours: 1 } });
      const optedOut = await buildCustomer(ctx, { email: "no-thanks@example.test" });
      await withTransaction(ctx, (tx) => optOutOfContact(tx, optedOut, "surveys", "agent"));
      const ticket = await buildTicket(ctx, { customerId: optedOut });
      await withTransaction(ctx, (tx) => updateTicket(tx, ticket.id, { status: "solved" }));
      await run();
      ctx.clock.advance(hourMs);
      await run();
      expect(await sendsOf(optedOut)).toMatchObject([{ status: "skipped", skipReason: "opted_out" }]);

      // Queued, then the customer opts out before the worker gets to it: the worker skips it.
      const later = await buildCustomer(ctx, { email: "changed-mind@example.test" });
      const second = await buildTicket(ctx, { customerId: later });
      await withTransaction(ctx, (tx) => updateTicket(tx, second.id, { status: "solved" }));
      await run();
      ctx.clock.advance(hourMs);
      const [resolution] = await ctx.db
        .select()
        .from(jobs)
        .where(and(eq(jobs.name, "survey.resolution"), eq(jobs.status, "queued")));
      expect(resolution).toBeDefined();
      const sweepOnly = jobDefinitions.filter((job) => job.name === "survey.resolution");
      await runDueJobs(ctx, sweepOnly);
      expect(await sendsOf(later)).toMatchObject([{ status: "queued" }]);
      await withTransaction(ctx, (tx) => optOutOfContact(tx, later, "surveys", "unsubscribe_page"));
      await run();
      expect(await sendsOf(later)).toMatchObject([{ status: "skipped", skipReason: "opted_out" }]);
      expect(mailsTo("no-thanks@example.test")).toEqual([]);
      expect(mailsTo("changed-mind@example.test")).toEqual([]);
    });
  });

  describe("answers", () => {
    async function sentSurvey(email: string) {
      await settings({ resolution: { delayHours: 1 } });
      const { customerId, ticket } = await solvedTicket(email);
      ctx.clock.advance(hourMs);
      await run();
      const [send] = await sendsOf(customerId);
      expect(send.status).toBe("sent");
      return { customerId, ticket, send };
    }

    it("takes one answer per send, only within the window, and only through a genuine link", async () => {
      const { send } = await sentSurvey("answers@example.test");
      const first = await answerSurvey(ctx, send.id, { score: "5", comment: "Lovely" }, "page");
      expect(first).toMatchObject({
        outcome: "recorded",
        response: { score: 5, comment: "Lovely" },
        recovery: null,
      });
      expect(await answerSurvey(ctx, send.id, { score: "1" }, "page")).toMatchObject({
        outcome: "already_answered",
        response: { score: 5 },
      });

      const late = await sentSurvey("late@example.test");
      ctx.clock.advance(28 * dayMs);
      expect(await answerSurvey(ctx, late.send.id, { score: "4" }, "page")).toMatchObject({
        outcome: "closed",
      });

      const { secret } = await getSurveyConfig(ctx);
      const link = surveyLink(ctx.config, secret, "respond", send.id);
      const token = link.split("/").pop() ?? "";
      expect((await findSendByToken(ctx, "respond", token))?.id).toBe(send.id);
      expect(
        await findSendByToken(ctx, "respond", `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`),
      ).toBeNull();
      expect(await findSendByToken(ctx, "unsubscribe", token)).toBeNull();
    });

    it("turns a low CSAT into a recovery: the ticket reopens into the recover view, due in business hours", async () => {
      const { ticket, send, customerId } = await sentSurvey("unhappy@example.test");
      // Friday 16:00: four business hours later is Monday 12:00.
      ctx.clock.set("2026-03-27T16:00:00Z");
      const answer = await answerSurvey(ctx, send.id, { score: "1", comment: "Nobody listened" }, "page");
      if (answer.outcome !== "recorded" || !answer.recovery)
        throw new Error(`expected a recovery: ${answer.outcome}`);
      expect(answer.recovery).toMatchObject({
        action: "reopened",
        ticketId: ticket.id,
        ownerUserId: leadId,
        score: 1,
      });
      expect(answer.recovery.dueAt.toISOString()).toBe("2026-03-30T12:00:00.000Z");
      expect(isWithinBusinessHours(await getWorkspaceCalendar(ctx), answer.recovery.dueAt)).toBe(true);
      const reopened = await getTicketRow(ctx, ticket.id);
      expect(reopened).toMatchObject({ status: "open", priority: "high" });
      expect(reopened.tags).toContain("recover");
      const view = await listTickets(ctx, { view: "recover", meUserId: null }, { limit: 50 });
      expect(view.rows.map((row) => row.id)).toContain(ticket.id);
      await run();
      // Overdue: at the due time the lead hears about it.
      ctx.clock.set("2026-03-30T12:00:01Z");
      await run();

      // The customer orders again after the recovery; the lead records the outcome.
      ctx.clock.advance(2 * dayMs);
      await recordOrder(ctx, { customerId, placedAt: ctx.clock.now(), amountMinor: 2500, currency: "USD" });
      const done = await recordRecoveryOutcome(
        ctx,
        answer.recovery.id,
        { outcome: "recovered", note: "Called; sent a voucher" },
        leadId,
      );
      expect(done).toMatchObject({ status: "done", outcome: "recovered", resolvedByUserId: leadId });
      const after = await listTickets(ctx, { view: "recover", meUserId: null }, { limit: 50 });
      expect(after.rows.map((row) => row.id)).not.toContain(ticket.id);
      const summary = await getRecoverySummary(ctx, { from: new Date("2026-01-01"), to: ctx.clock.now() });
      expect(summary.byOutcome.find((row) => row.outcome === "recovered")).toMatchObject({
        customers: 1,
        boughtAgain: 1,
      });
      await expect(
        recordRecoveryOutcome(ctx, answer.recovery.id, { outcome: "unreachable" }, leadId),
      ).rejects.toThrow(/already has its outcome/);
    });
  });

  it("checks in after delivery; a problem reported opens a ticket", async () => {
    await settings({ checkIn: { enabled: true, basis: "delivered", days: 3 } });
    const customerId = await buildCustomer(ctx, { email: "buyer@example.test", name: "Bo Buyer" });
    const order = await recordOrder(ctx, {
      customerId,
      externalId: `T-${customerId}`,
      placedAt: ctx.clock.now(),
      amountMinor: 4200,
      currency: "USD",
    });
    await run();
    expect(await sendsOf(customerId)).toEqual([]);
    const deliveredAt = ctx.clock.now();
    await updateOrderStatus(ctx, order.id, "delivered");
    const [checkIn] = await ctx.db
      .select()
      .from(jobs)
      .where(and(eq(jobs.name, "survey.check-in"), eq(jobs.singletonKey, `survey-check-in:${order.id}`)));
    // Three days after delivery, at the next business moment.
    expect(checkIn.runAt.getTime()).toBeGreaterThanOrEqual(deliveredAt.getTime() + 3 * dayMs);
    expect(checkIn.runAt.getTime()).toBeLessThan(deliveredAt.getTime() + 6 * dayMs);
    expect(isWithinBusinessHours(await getWorkspaceCalendar(ctx), checkIn.runAt)).toBe(true);
    ctx.clock.set(new Date(checkIn.runAt.getTime() - 60_000));
    await run();
    expect(await sendsOf(customerId)).toEqual([]);
    ctx.clock.advance(60_000);
    await run();
    const [send] = await sendsOf(customerId);
    expect(send).toMatchObject({
      kind: "check_in",
      purpose: "follow_ups",
      orderId: order.id,
      status: "sent",
    });
    const [mail] = mailsTo("buyer@example.test");
    expect(mail.parsed.subject).toBe(`Is everything as expected with your order T-${customerId}?`);
    const answer = await answerSurvey(
      ctx,
      send.id,
      { score: "0", comment: "The grinder arrived cracked" },
      "page",
    );
    if (answer.outcome !== "recorded" || answer.openedTicketId === null) throw new Error("expected a ticket");
    const ticket = await getTicketRow(ctx, answer.openedTicketId);
    expect(ticket).toMatchObject({
      customerId,
      subject: `Order T-${customerId}: The grinder arrived cracked`,
    });
    expect(ticket.tags).toContain("check-in");
    expect(answer.recovery).toBeNull();
    await settings({});
  });

  it("queues relationship NPS at each customer's working-hours slot; a detractor gets a follow-up ticket", async () => {
    const enabled = await settings({
      relationshipNps: { enabled: true, cadenceMonths: 3, minDaysSinceLastSurvey: 30 },
      contactBudget: { maxMessages: 5, periodDays: 30 },
    });
    const enabledAt = new Date(enabled.relationshipNps.enabledAt ?? "");
    expect(enabledAt.getTime()).toBe(ctx.clock.now().getTime());
    const calendar = await getWorkspaceCalendar(ctx);
    const customers: { id: number; due: Date }[] = [];
    for (let i = 0; i < 4; i++) {
      const id = await buildCustomer(ctx, { email: `nps${i}@example.test`, name: `Nia ${i}` });
      const due = nextRelationshipNpsAt({
        customerId: id,
        anchor: enabledAt,
        lastNpsAt: null,
        lastSurveyAt: null,
        cadenceMonths: 3,
        minDaysBetweenSurveys: 30,
        calendar,
      });
      customers.push({ id, due });
    }
    customers.sort((a, b) => a.due.getTime() - b.due.getTime());
    const npsSends = async () =>
      (await ctx.db.select().from(surveySends).where(eq(surveySends.kind, "nps"))).filter((s) =>
        customers.some((c) => c.id === s.customerId),
      );
    for (const customer of customers) {
      // The hourly sweep before the customer's slot queues the mail for the slot itself.
      ctx.clock.set(new Date(customer.due.getTime() - 2 * hourMs));
      await withTransaction(ctx, (tx) => queueDueRelationshipNps(tx));
      expect((await npsSends()).some((s) => s.customerId === customer.id)).toBe(false);
      ctx.clock.set(new Date(customer.due.getTime() - 30 * 60_000));
      await withTransaction(ctx, (tx) => queueDueRelationshipNps(tx));
      const send = (await npsSends()).find((s) => s.customerId === customer.id);
      expect(send).toMatchObject({ status: "queued" });
      ctx.clock.set(customer.due);
      await run();
      const sent = (await npsSends()).find((s) => s.customerId === customer.id);
      expect(sent?.status).toBe("sent");
      expect(sent?.sentAt?.getTime()).toBe(customer.due.getTime());
      expect(isWithinBusinessHours(calendar, customer.due)).toBe(true);
    }
    const sends = await npsSends();
    expect(sends).toHaveLength(4);
    const answer = await answerSurvey(
      ctx,
      sends[sends.length - 1].id,
      { score: "3", comment: "Prices went up" },
      "page",
    );
    if (answer.outcome !== "recorded" || !answer.recovery) throw new Error("expected a recovery");
    expect(answer.recovery.action).toBe("follow_up_ticket");
    const followUp = await getTicketRow(ctx, answer.recovery.ticketId as number);
    expect(followUp).toMatchObject({ priority: "high", status: "open" });
    expect(followUp.tags).toEqual(["recover"]);
    expect(followUp.subject).toMatch(/^Follow up: NPS 3\/10 from Nia \d/);
    const [row] = await ctx.db
      .select()
      .from(surveyRecoveries)
      .where(eq(surveyRecoveries.id, answer.recovery.id));
    expect(row.ownerUserId).not.toBeNull();
    // No second one within the cadence.
    for (let day = 0; day < 30; day++) {
      await withTransaction(ctx, (tx) => queueDueRelationshipNps(tx));
      ctx.clock.advance(dayMs);
    }
    expect(await npsSends()).toHaveLength(4);

    await settings({});
  });

  it("reports CSAT by agent per week, with the trend", async () => {
    await settings({ resolution: { delayHours: 1 }, contactBudget: { maxMessages: 10, periodDays: 30 } });
    const other = (await buildUser(ctx, { name: "Olga Other" })).id;
    const start = ctx.clock.now();
    const scores: [number, number][] = [
      [agentId, 5],
      [agentId, 4],
      [agentId, 2],
      [other, 5],
    ];
    for (const [assigneeId, score] of scores) {
      const customerId = await buildCustomer(ctx);
      const ticket = await buildTicket(ctx, { customerId, assigneeId });
      await withTransaction(ctx, (tx) => updateTicket(tx, ticket.id, { status: "solved" }));
      await run();
      ctx.clock.advance(hourMs);
      await run();
      const [send] = await sendsOf(customerId);
      await answerSurvey(ctx, send.id, { score: String(score) }, "page");
      ctx.clock.advance(7 * dayMs);
    }
    const report = await getSurveyReport(ctx, {
      metric: "csat",
      groupBy: "agent",
      period: "week",
      from: start,
      to: ctx.clock.now(),
    });
    const mine = report.groups.find((group) => group.key === String(agentId));
    expect(mine?.tally).toMatchObject({ responses: 3, positive: 2, negative: 1, value: 66.7 });
    expect(mine?.label).toBe("Alex Agent");
    expect(
      mine?.trend.filter((point) => point.tally.responses > 0).map((point) => point.tally.value),
    ).toEqual([100, 100, 0]);
    expect(mine?.change).toBe(-100);
    expect(report.groups.find((group) => group.key === String(other))?.tally.value).toBe(100);
    expect(report.overall.responses).toBe(4);
  });
});
