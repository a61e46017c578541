import { describe, expect, it } from "vitest";
import { fitCoxProportionalHazards } from "./cox-ph.model.ts";
import { lapseChurnAfter } from "./lapse-churn.ts";

describe("churn by lapse", () => {
  it("dates churn when a gap of lapseDays completes after the start, and censors at now otherwise", () => {
    // Orders on days 0, 30, 200; ticket on day 40; lapse 90: the gap 30 -> 200 completes at day 120.
    expect(lapseChurnAfter([0, 30, 200], 40, 400, 90)).toEqual({ atRisk: true, duration: 80, event: true });
    // Still buying: no gap of 90 days, and the last order (day 380) is within 90 days of now.
    expect(lapseChurnAfter([0, 30, 100, 180, 260, 340, 380], 40, 400, 90)).toEqual({
      atRisk: true,
      duration: 360,
      event: false,
    });
    // Last order before the ticket, and nothing since: churned 90 days after that order.
    expect(lapseChurnAfter([0, 30], 40, 400, 90)).toEqual({ atRisk: true, duration: 80, event: true });
    // A lapse that has not completed by now is not yet a churn.
    expect(lapseChurnAfter([0, 30], 40, 100, 90)).toEqual({ atRisk: true, duration: 60, event: false });
    expect(lapseChurnAfter([0, 330], 340, 400, 90)).toEqual({ atRisk: true, duration: 60, event: false });
  });

  it("leaves out customers already lapsed or not yet buying at the start", () => {
    expect(lapseChurnAfter([0], 100, 400, 90)).toEqual({ atRisk: false });
    expect(lapseChurnAfter([150], 100, 400, 90)).toEqual({ atRisk: false });
    expect(lapseChurnAfter([], 100, 400, 90)).toEqual({ atRisk: false });
  });

  it("recovers a planted dropout hazard ratio of 1.8 with Cox on lapse-dated churn (simulation)", () => {
    // Customers buy at heterogeneous Poisson rates while alive; lifetimes are exponential. Each has a ticket while
    // active; for half of them service was bad and from then on their dropout hazard is 1.8 times higher. As the
    // service-impact report does, only customers who ordered within 30 days before the ticket are at risk (others
    // may already be gone), and churn is a completed 180-day lapse.
    let state = 20240917;
    const uniform = () => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return (state + 0.5) / 4294967296;
    };
    const exponential = (rate: number) => -Math.log(uniform()) / rate;
    const hazardRatio = 1.8;
    const dropout = 1 / 400;
    const now = 1500;
    const time: number[] = [];
    const event: boolean[] = [];
    const covariates: number[][] = [];
    for (let c = 0; c < 6000; c++) {
      const rate = (exponential(1) + exponential(1)) / 20; // Gamma(2), mean one order every 10 days
      const bad = uniform() < 0.5;
      const ticket = 200 + uniform() * 600;
      let death = exponential(dropout);
      if (death > ticket) death = ticket + exponential(bad ? dropout * hazardRatio : dropout);
      const orders: number[] = [];
      for (let t = exponential(rate); t < Math.min(death, now); t += exponential(rate)) orders.push(t);
      const before = orders.filter((t) => t <= ticket);
      if (before.length === 0 || ticket - before[before.length - 1] > 30) continue;
      const outcome = lapseChurnAfter(orders, ticket, now, 180);
      if (!outcome.atRisk) continue;
      time.push(outcome.duration);
      event.push(outcome.event);
      covariates.push([bad ? 1 : 0, Math.log(1 + before.length)]);
    }
    const fit = fitCoxProportionalHazards({ time, event, covariates });
    expect(time.length).toBeGreaterThan(1000);
    expect(fit.hazardRatioLower[0]).toBeLessThan(hazardRatio);
    expect(fit.hazardRatioUpper[0]).toBeGreaterThan(hazardRatio);
  });
});
