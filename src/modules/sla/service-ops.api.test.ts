import { afterAll, beforeAll, expect, it } from "vitest";
import { buildTestApp } from "../../../test/app.ts";
import { describeDb, useTestDatabase } from "../../../test/db.ts";
import { buildCustomer, buildTeam, buildTicket } from "../../../test/factories.ts";
import { orders } from "../../db/schema.ts";
import { type SignedIn, signInAs } from "../../http/auth-test-helpers.ts";
import { runSlaSweep } from "../../workflows/sla-sweep.workflow.ts";
import { ensureStarterMacros } from "../macros/macros.service.ts";
import { ensureSlaDefaults } from "./sla.service.ts";

// Service operations through the API: SLA calendars, policies and report; routing; macros; notifications.
describeDb("service operations API", () => {
  const database = useTestDatabase();
  let app: Awaited<ReturnType<typeof buildTestApp>>;
  let agent: SignedIn;
  let lead: SignedIn;
  let admin: SignedIn;

  beforeAll(async () => {
    app = await buildTestApp(database.current);
    app.context.clock.set("2026-03-09T09:00:00Z"); // a Monday
    await ensureSlaDefaults(app.context, { timezone: "Europe/London" });
    await ensureStarterMacros(app.context);
    agent = await signInAs(app, "agent", "Alex Agent");
    lead = await signInAs(app, "lead", "Lee Lead");
    admin = await signInAs(app, "admin", "Ada Admin");
  });
  afterAll(async () => app.close());

  it("lets anyone read SLA policies, only admins change them, and explains bad business hours", async () => {
    const list = await app.inject({ method: "GET", url: "/api/v1/sla/calendars", headers: agent.headers });
    expect(list.statusCode).toBe(200);
    const [calendar] = list.json().items;
    expect(calendar.description).toMatch(/09:00.17:00/);

    const asAgent = await app.inject({
      method: "PUT",
      url: `/api/v1/sla/calendars/${calendar.id}`,
      headers: agent.headers,
      payload: { name: "x", timezone: "UTC", weekly: [{ day: 1, start: "09:00", end: "17:00" }] },
    });
    expect(asAgent.statusCode).toBe(403);

    const badZone = await app.inject({
      method: "PUT",
      url: `/api/v1/sla/calendars/${calendar.id}`,
      headers: admin.headers,
      payload: { name: "x", timezone: "Mars/Olympus", weekly: [{ day: 1, start: "09:00", end: "17:00" }] },
    });
    expect(badZone.statusCode).toBe(400);
    expect(badZone.json().error.message).toMatch(/IANA time zone/);

    const badTime = await app.inject({
      method: "POST",
      url: "/api/v1/sla/calendars",
      headers: admin.headers,
      payload: { name: "x", timezone: "UTC", weekly: [{ day: 8, start: "9am", end: "17:00" }] },
    });
    expect(badTime.statusCode).toBe(400);

    const inUse = await app.inject({
      method: "DELETE",
      url: `/api/v1/sla/calendars/${calendar.id}`,
      headers: admin.headers,
    });
    expect(inUse.statusCode).toBe(409);
    expect(inUse.json().error.message).toMatch(/use this calendar/);

    const created = await app.inject({
      method: "POST",
      url: "/api/v1/sla/policies",
      headers: admin.headers,
      payload: {
        name: "Chat",
        position: 5,
        conditions: { channels: ["chat"] },
        firstResponseMinutes: 5,
        calendarId: calendar.id,
      },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ warnShare: 0.75, nextResponseMinutes: null, enabled: true });
    const unknownCalendar = await app.inject({
      method: "POST",
      url: "/api/v1/sla/policies",
      headers: admin.headers,
      payload: { name: "Broken", calendarId: 999_999 },
    });
    expect(unknownCalendar.statusCode).toBe(400);
  });

  it("shows leads each agent's load and lets agents set only their own status", async () => {
    const team = await buildTeam(app.context, { routingMode: "round_robin", memberIds: [agent.user.id] });
    await buildTicket(app.context, { teamId: team.id });
    const online = await app.inject({
      method: "PUT",
      url: `/api/v1/routing/agents/${agent.user.id}`,
      headers: agent.headers,
      payload: { status: "online" },
    });
    expect(online.statusCode).toBe(200);
    expect(online.json().assigned).toHaveLength(1);

    const otherAgent = await app.inject({
      method: "PUT",
      url: `/api/v1/routing/agents/${lead.user.id}`,
      headers: agent.headers,
      payload: { status: "offline" },
    });
    expect(otherAgent.statusCode).toBe(403);
    const capacity = await app.inject({
      method: "PUT",
      url: `/api/v1/routing/agents/${agent.user.id}`,
      headers: agent.headers,
      payload: { capacity: 50 },
    });
    expect(capacity.statusCode).toBe(403);

    expect(
      (await app.inject({ method: "GET", url: "/api/v1/routing/teams", headers: agent.headers })).statusCode,
    ).toBe(403);
    const loads = await app.inject({ method: "GET", url: "/api/v1/routing/teams", headers: lead.headers });
    const mine = loads.json().items.find((item: { id: number }) => item.id === team.id);
    expect(mine.agents).toEqual([
      expect.objectContaining({ userId: agent.user.id, status: "online", load: 1, unstarted: 1 }),
    ]);
  });

  it("previews and applies a macro with the customer's name and last order, then validates new macros", async () => {
    const customerId = await buildCustomer(app.context, { name: "Wei Miller" });
    await app.context.db.insert(orders).values({
      customerId,
      externalId: "TW-777",
      placedAt: new Date("2026-03-01T10:00:00Z"),
      amountMinor: 2450,
      currency: "EUR",
      items: [{ name: "Harbor Espresso", quantity: 2, unitAmountMinor: 1225 }],
    });
    const ticket = await buildTicket(app.context, { customerId });
    const macros = (await app.inject({ method: "GET", url: "/api/v1/macros", headers: agent.headers })).json()
      .items;
    const refund = macros.find((macro: { title: string }) => macro.title === "Refund confirmed");

    const preview = await app.inject({
      method: "POST",
      url: `/api/v1/tickets/${ticket.id}/macros/${refund.id}/preview`,
      headers: agent.headers,
    });
    expect(preview.statusCode).toBe(200);
    expect(preview.json().text).toContain("Hi Wei,");
    expect(preview.json().text).toContain("refunded 24.50 EUR for order TW-777");
    expect(preview.json().text).toMatch(/Alex$/);

    const applied = await app.inject({
      method: "POST",
      url: `/api/v1/tickets/${ticket.id}/macros/${refund.id}/apply`,
      headers: agent.headers,
    });
    expect(applied.statusCode).toBe(200);
    const after = (
      await app.inject({ method: "GET", url: `/api/v1/tickets/${ticket.id}`, headers: agent.headers })
    ).json();
    expect(after.status).toBe("solved");
    expect(after.tags).toContain("refund");

    const unknownVariable = await app.inject({
      method: "POST",
      url: "/api/v1/macros",
      headers: lead.headers,
      payload: { title: "Typo", body: "Hi {{customer.firstname}}" },
    });
    expect(unknownVariable.statusCode).toBe(400);
    expect(unknownVariable.json().error.message).toContain("{{customer.firstname}}");
    const byAgent = await app.inject({
      method: "POST",
      url: "/api/v1/macros",
      headers: agent.headers,
      payload: { title: "Mine", body: "Hi" },
    });
    expect(byAgent.statusCode).toBe(403);
  });

  it("notifies the assignee of an SLA warning and reports met targets to leads", async () => {
    const ticket = await buildTicket(app.context, { priority: "urgent", assigneeId: agent.user.id });
    app.context.clock.advance(50 * 60_000); // 50 of the urgent policy's 60 business minutes
    const soon = (
      await app.inject({ method: "GET", url: `/api/v1/tickets/${ticket.id}`, headers: agent.headers })
    ).json();
    expect(soon.sla).toMatchObject({ warning: true, breached: false });
    await runSlaSweep(app.context);
    const inbox = await app.inject({
      method: "GET",
      url: "/api/v1/notifications?unread=true",
      headers: agent.headers,
    });
    expect(inbox.json().unread).toBeGreaterThanOrEqual(1);
    expect(inbox.json().items[0]).toMatchObject({ kind: "sla.warning", ticketId: ticket.id, read: false });
    // The due time reads as a local clock time in the workspace's zone, not an ISO timestamp.
    expect(inbox.json().items[0].text).toMatch(
      /first response due at (\w{3} \d{1,2} \w{3} )?\d\d:\d\d (UTC|\S+\/\S+)$/,
    );
    expect(inbox.json().items[0].text).not.toMatch(/\d{4}-\d\d-\d\dT/);
    const read = await app.inject({
      method: "POST",
      url: "/api/v1/notifications/read",
      headers: agent.headers,
      payload: {},
    });
    expect(read.statusCode).toBe(204);
    expect(
      (await app.inject({ method: "GET", url: "/api/v1/notifications", headers: agent.headers })).json()
        .unread,
    ).toBe(0);

    await app.inject({
      method: "POST",
      url: `/api/v1/tickets/${ticket.id}/messages`,
      headers: agent.headers,
      payload: { text: "On it." },
    });
    const report = await app.inject({
      method: "GET",
      url: "/api/v1/sla/report?groupBy=agent&from=2026-03-01&to=2026-03-31",
      headers: lead.headers,
    });
    expect(report.statusCode).toBe(200);
    const row = report
      .json()
      .rows.find(
        (r: { group: { label: string }; metric: string }) =>
          r.group.label === "Alex Agent" && r.metric === "first_response",
      );
    expect(row).toMatchObject({ completed: 1, met: 1, metShare: 1, medianMinutes: 50 });
    expect(
      (await app.inject({ method: "GET", url: "/api/v1/sla/report", headers: agent.headers })).statusCode,
    ).toBe(403);
  });

  it("logs a phone call on a ticket; an answered call is the team's response, a missed one is not", async () => {
    const ticket = await buildTicket(app.context, { channel: "phone" });
    const missed = await app.inject({
      method: "POST",
      url: `/api/v1/tickets/${ticket.id}/calls`,
      headers: agent.headers,
      payload: { direction: "outbound", durationSeconds: 0, outcome: "no_answer" },
    });
    expect(missed.statusCode).toBe(201);
    let detail = (
      await app.inject({ method: "GET", url: `/api/v1/tickets/${ticket.id}`, headers: agent.headers })
    ).json();
    expect(detail.status).toBe("open");
    const stillWaiting = await app.inject({
      method: "GET",
      url: "/api/v1/sla/report?groupBy=channel",
      headers: lead.headers,
    });
    expect(
      stillWaiting
        .json()
        .rows.find((r: { group: { key: string }; metric: string }) => r.group.key === "phone"),
    ).toBeUndefined();

    app.context.clock.advance(10 * 60_000);
    const answered = await app.inject({
      method: "POST",
      url: `/api/v1/tickets/${ticket.id}/calls`,
      headers: agent.headers,
      payload: {
        direction: "outbound",
        durationSeconds: 254,
        outcome: "resolved",
        notes: "Walked her through resetting the grinder.",
        phoneNumber: "+1 312 555 0199",
      },
    });
    expect(answered.statusCode).toBe(201);
    expect(answered.json()).toMatchObject({ channel: "phone", direction: "outbound" });
    expect(answered.json().call).toEqual({
      direction: "outbound",
      durationSeconds: 254,
      outcome: "resolved",
      phoneNumber: "+1 312 555 0199",
    });
    expect(answered.json().text).toBe(
      "Outgoing call, 4:14, resolved on the call\n\nWalked her through resetting the grinder.",
    );
    detail = (
      await app.inject({ method: "GET", url: `/api/v1/tickets/${ticket.id}`, headers: agent.headers })
    ).json();
    expect(detail.messages.filter((m: { channel: string }) => m.channel === "phone")).toHaveLength(3);
    const report = await app.inject({
      method: "GET",
      url: "/api/v1/sla/report?groupBy=channel",
      headers: lead.headers,
    });
    expect(
      report
        .json()
        .rows.find(
          (r: { group: { key: string }; metric: string }) =>
            r.group.key === "phone" && r.metric === "first_response",
        ),
    ).toMatchObject({ completed: 1, met: 1 });

    const bad = await app.inject({
      method: "POST",
      url: `/api/v1/tickets/${ticket.id}/calls`,
      headers: agent.headers,
      payload: { direction: "sideways", durationSeconds: -1, outcome: "answered" },
    });
    expect(bad.statusCode).toBe(400);
  });

  it("gives every ticket its SLA state and lists the breaching view soonest due first, late ones on top", async () => {
    // Three new tickets a minute apart (urgent, normal, high) and one already late.
    const late = await buildTicket(app.context, { priority: "urgent", subject: "late" });
    app.context.clock.advance(2 * 3_600_000); // the urgent one's first response (1 business hour) is now late
    const normal = await buildTicket(app.context, { priority: "normal", subject: "normal" });
    app.context.clock.advance(60_000);
    const high = await buildTicket(app.context, { priority: "high", subject: "high" });
    await runSlaSweep(app.context);

    const first = await app.inject({
      method: "GET",
      url: "/api/v1/tickets?view=breaching&limit=2",
      headers: agent.headers,
    });
    expect(first.statusCode).toBe(200);
    const page1 = first.json();
    const second = await app.inject({
      method: "GET",
      url: `/api/v1/tickets?view=breaching&limit=2&cursor=${encodeURIComponent(page1.nextCursor)}`,
      headers: agent.headers,
    });
    const listed = [...page1.items, ...second.json().items];
    let cursor = second.json().nextCursor;
    while (cursor) {
      const more = await app.inject({
        method: "GET",
        url: `/api/v1/tickets?view=breaching&limit=50&cursor=${encodeURIComponent(cursor)}`,
        headers: agent.headers,
      });
      listed.push(...more.json().items);
      cursor = more.json().nextCursor;
    }
    const dues = listed.map((item: { sla: { dueAt: string } }) => Date.parse(item.sla.dueAt));
    expect(dues).toEqual([...dues].sort((a, b) => a - b));
    const ids = listed.map((item: { id: number }) => item.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.indexOf(late.id)).toBeLessThan(ids.indexOf(high.id));
    expect(ids.indexOf(high.id)).toBeLessThan(ids.indexOf(normal.id));

    const lateItem = listed.find((item: { id: number }) => item.id === late.id);
    expect(lateItem.sla).toMatchObject({ breached: true, dueMetric: "first_response" });
    const firstResponse = lateItem.sla.targets.find((t: { metric: string }) => t.metric === "first_response");
    expect(firstResponse).toMatchObject({ targetMinutes: 60, breached: true, paused: false });
    expect(firstResponse.remainingMinutes).toBeLessThan(0);

    const counts = (
      await app.inject({ method: "GET", url: "/api/v1/tickets/counts", headers: agent.headers })
    ).json();
    expect(counts.breaching).toBe(listed.length);
    const detail = (
      await app.inject({ method: "GET", url: `/api/v1/tickets/${normal.id}`, headers: agent.headers })
    ).json();
    expect(detail.sla.targets.map((t: { metric: string }) => t.metric)).toEqual([
      "first_response",
      "resolution",
    ]);
  });
});
