import { describe, expect, it } from "vitest";
import { type DemoPlan, demoModel, planDemoWorkspace } from "./demo-model.ts";

const DAY = 86_400_000;
const now = new Date("2026-01-05T09:00:00Z");
const full = planDemoWorkspace({ now, scale: 1, mailDomain: "tend.localhost" });

function ordersByCustomer(plan: DemoPlan): Map<number, number[]> {
  const map = new Map<number, number[]>();
  for (const order of plan.orders) {
    const list = map.get(order.customerId) ?? [];
    list.push(order.placedAt.getTime());
    map.set(order.customerId, list);
  }
  return map;
}

/**
 * The analysis a support lead would run: for tickets of customers with no earlier bad experience, opened at least
 * 270 days ago by a repeat buyer, the share who never ordered again after ticket + 180 days, split by whether the
 * ticket got a first reply later than 24 h (or was reopened).
 */
function churnAfterTicket(plan: DemoPlan): { bad: number; good: number; nBad: number; nGood: number } {
  const orders = ordersByCustomer(plan);
  const firstReply = new Map<number, number>();
  for (const m of plan.messages) {
    if (m.direction === "outbound" && !m.isInternal && !firstReply.has(m.ticketId)) {
      firstReply.set(m.ticketId, m.createdAt.getTime());
    }
  }
  const hadBad = new Set<number>();
  const counts = { bad: [0, 0], good: [0, 0] };
  for (const ticket of plan.tickets) {
    const opened = ticket.createdAt.getTime();
    const bad =
      (firstReply.get(ticket.id) ?? plan.now.getTime()) - opened > 24 * 3_600_000 ||
      ticket.tags.includes("reopened");
    const placed = orders.get(ticket.customerId) ?? [];
    if (
      !hadBad.has(ticket.customerId) &&
      opened <= plan.now.getTime() - 270 * DAY &&
      placed.filter((t) => t <= opened).length >= 2
    ) {
      const group = bad ? counts.bad : counts.good;
      group[0]++;
      if (!placed.some((t) => t > opened + 180 * DAY)) group[1]++;
    }
    if (bad) hadBad.add(ticket.customerId);
  }
  return {
    bad: counts.bad[1] / counts.bad[0],
    good: counts.good[1] / counts.good[0],
    nBad: counts.bad[0],
    nGood: counts.good[0],
  };
}

describe("demo workspace model", () => {
  it("gives the same business for the same seed and clock, and a different one for another seed", () => {
    const a = planDemoWorkspace({ now, scale: 0.05, mailDomain: "tend.localhost" });
    const b = planDemoWorkspace({ now, scale: 0.05, mailDomain: "tend.localhost" });
    const c = planDemoWorkspace({ now, scale: 0.05, mailDomain: "tend.localhost", seed: 7 });
    expect(b).toEqual(a);
    expect(c.orders.map((o) => o.amountMinor)).not.toEqual(a.orders.map((o) => o.amountMinor));
  });

  it("has the size and shape of a two-year-old coffee roaster at scale 1", () => {
    expect(full.customers).toHaveLength(2000);
    expect(full.orders.length).toBeGreaterThan(17_000);
    expect(full.orders.length).toBeLessThan(25_000);
    expect(full.tickets.length).toBeGreaterThan(4_200);
    expect(full.tickets.length).toBeLessThan(6_000);
    expect(full.messages.length / full.tickets.length).toBeGreaterThan(2.6);
    expect(full.messages.length / full.tickets.length).toBeLessThan(3.6);
    const members = full.customers.filter((c) => c.organizationId !== null).length;
    expect(members / full.customers.length).toBeGreaterThan(0.07);
    expect(members / full.customers.length).toBeLessThan(0.13);
    expect(full.customers.some((c) => c.name !== null && /[^\u0020-\u007e]/.test(c.name))).toBe(true);
    expect(full.customers.filter((c) => c.tier === "vip").length).toBeGreaterThan(20);

    const orders = ordersByCustomer(full);
    const oneTime = [...orders.values()].filter((list) => list.length === 1).length;
    expect(oneTime / full.customers.length).toBeGreaterThan(0.25);
    const end = now.getTime();
    const lapsed = [...orders.values()].filter(
      (list) => list.length > 1 && list[list.length - 1] < end - 180 * DAY,
    );
    const returned = [...orders.values()].filter((list) =>
      list.some((t, i) => i > 0 && t - list[i - 1] > 180 * DAY),
    );
    expect(lapsed.length).toBeGreaterThan(200);
    expect(returned.length).toBeGreaterThan(50);
  });

  it("keeps orders, tickets and messages internally consistent", () => {
    const end = now.getTime();
    for (const order of full.orders) {
      expect(order.amountMinor).toBeGreaterThan(0);
      expect(order.amountMinor).toBe(order.items.reduce((s, i) => s + i.quantity * i.unitAmountMinor, 0));
      expect(order.placedAt.getTime()).toBeLessThanOrEqual(end);
    }
    const perTicket = new Map<number, number>();
    for (const m of full.messages) perTicket.set(m.ticketId, (perTicket.get(m.ticketId) ?? 0) + 1);
    for (const ticket of full.tickets) {
      const n = perTicket.get(ticket.id) ?? 0;
      expect(n).toBeGreaterThanOrEqual(1);
      expect(n).toBeLessThanOrEqual(6);
    }
    const mailIds = full.messages.flatMap((m) => (m.mailMessageId ? [m.mailMessageId] : []));
    expect(new Set(mailIds).size).toBe(mailIds.length);
    expect(mailIds.length).toBeGreaterThan(full.messages.length * 0.6);
    const identities = full.identities.map((i) => `${i.kind}:${i.value}`);
    expect(new Set(identities).size).toBe(identities.length);
    expect(full.messages.every((m) => m.createdAt.getTime() <= end)).toBe(true);
    const statuses = new Set(full.tickets.map((t) => t.status));
    for (const status of ["new", "open", "pending", "solved", "closed"]) expect(statuses).toContain(status);
  });

  it("plants a higher dropout hazard after a slow first response or a reopened ticket", () => {
    // On the latent process: dropouts per expected exposure, after versus before the bad experience.
    let before = 0;
    let after = 0;
    let exposureBefore = 0;
    let exposureAfter = 0;
    for (const t of full.truth) {
      before += t.dropoutsBefore;
      after += t.dropoutsAfter;
      exposureBefore += t.daysAtRiskBefore * t.dropoutRatePerDay;
      exposureAfter += t.daysAtRiskAfter * t.dropoutRatePerDay;
    }
    const ratio = after / exposureAfter / (before / exposureBefore);
    expect(ratio).toBeGreaterThan(demoModel.badServiceHazardRatio - 0.3);
    expect(ratio).toBeLessThan(demoModel.badServiceHazardRatio + 0.3);

    // In the observable data: customers served badly stop buying more often.
    const observed = churnAfterTicket(full);
    expect(observed.nBad).toBeGreaterThan(150);
    expect(observed.bad).toBeGreaterThan(observed.good * 1.15);
  });
});
