import { describe, expect, it } from "vitest";
import { remainingContactBudget } from "../surveys/survey-rules.ts";
import { planDemoWorkspace } from "./demo-model.ts";
import { planDemoSurveys } from "./demo-surveys.ts";

const now = new Date("2026-01-05T09:00:00Z");
const plan = planDemoWorkspace({ now, scale: 1, mailDomain: "tend.localhost" });
const surveys = planDemoSurveys(plan, {
  mailDomain: "tend.localhost",
  idBase: { send: 1, response: 1, timeline: 1_000_000 },
});

describe("the demo's survey history", () => {
  it("asks after solved tickets, about a third answer, all inside the window and before now", () => {
    const sent = surveys.sends.filter((send) => send.status === "sent");
    expect(sent.length).toBeGreaterThan(plan.tickets.length * 0.7);
    const rate = surveys.responses.length / sent.length;
    expect(rate).toBeGreaterThan(0.25);
    expect(rate).toBeLessThan(0.45);
    const byId = new Map(surveys.sends.map((send) => [send.id, send]));
    for (const response of surveys.responses) {
      const send = byId.get(response.sendId);
      expect(send?.status).toBe("sent");
      expect(response.respondedAt.getTime()).toBeLessThanOrEqual(now.getTime());
      expect(response.respondedAt.getTime()).toBeLessThan(send?.expiresAt?.getTime() ?? 0);
    }
  });

  it("keeps every customer within the default contact budget (2 mails in 30 days)", () => {
    const mailed = new Map<number, Date[]>();
    for (const send of surveys.sends) {
      if (send.channel !== "email" || send.status !== "sent") continue;
      const previous = mailed.get(send.customerId) ?? [];
      expect(
        remainingContactBudget(previous, send.createdAt, { maxMessages: 2, periodDays: 30 }),
      ).toBeGreaterThan(0);
      mailed.set(send.customerId, [...previous, send.createdAt]);
    }
    expect(surveys.sends.some((send) => send.skipReason === "contact_budget")).toBe(true);
  });

  it("scores bad service lower: slow first replies and reopened tickets get far more 1s and 2s", () => {
    const low = { bad: [0, 0], good: [0, 0] };
    for (const response of surveys.responses) {
      const group = surveys.badService.get(response.sendId) ? low.bad : low.good;
      group[1]++;
      if (response.score <= 2) group[0]++;
    }
    const badShare = low.bad[0] / low.bad[1];
    const goodShare = low.good[0] / low.good[1];
    expect(low.bad[1]).toBeGreaterThan(100);
    expect(goodShare).toBeLessThan(0.1);
    expect(badShare).toBeGreaterThan(goodShare * 3);
  });

  it("is deterministic", () => {
    const again = planDemoSurveys(plan, {
      mailDomain: "tend.localhost",
      idBase: { send: 1, response: 1, timeline: 1_000_000 },
    });
    expect(again.responses).toEqual(surveys.responses);
    expect(again.sends.map((send) => send.mailMessageId)).toEqual(
      surveys.sends.map((send) => send.mailMessageId),
    );
  });
});
