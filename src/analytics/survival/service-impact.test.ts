import { describe, expect, it } from "vitest";
import { analyseServiceImpact, type ServiceImpactCustomer } from "./service-impact.ts";

/**
 * A shop simulated with a planted effect: customers buy at heterogeneous Poisson rates while alive, lifetimes are
 * exponential, and each has one support contact while active. For a random half, the first response missed its
 * target, and from then on their dropout hazard is `hazardRatio` times higher. Reopening is drawn at random with
 * no effect; low CSAT answers are rare.
 */
function simulateShop(options: { customers: number; hazardRatio: number; seed: number }) {
  let state = options.seed;
  const uniform = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state + 0.5) / 4294967296;
  };
  const exponential = (rate: number) => -Math.log(uniform()) / rate;
  const dropout = 1 / 400;
  const now = 1500;
  const customers: ServiceImpactCustomer[] = [];
  for (let c = 0; c < options.customers; c++) {
    const rate = (exponential(1) + exponential(1)) / 20;
    const amountScale = 1500 + uniform() * 6000;
    const slow = uniform() < 0.5;
    const reopened = uniform() < 0.3;
    const contactDay = 200 + uniform() * 600;
    let death = exponential(dropout);
    if (death > contactDay) death = contactDay + exponential(slow ? dropout * options.hazardRatio : dropout);
    const orders: { day: number; amount: number }[] = [];
    for (let t = exponential(rate); t < Math.min(death, now); t += exponential(rate)) {
      orders.push({ day: t, amount: Math.round(amountScale * (0.5 + uniform())) });
    }
    const lowCsat = uniform() < 0.01 ? uniform() < 0.5 : undefined;
    customers.push({
      id: c + 1,
      orders,
      contacts: [{ day: contactDay, experiences: { slowFirstResponse: slow, reopened, lowCsat } }],
    });
  }
  return { customers, now };
}

describe("service impact", () => {
  const { customers, now } = simulateShop({ customers: 6000, hazardRatio: 1.8, seed: 20240917 });
  const report = analyseServiceImpact(customers, { now });
  const byKey = new Map(report.experiences.map((e) => [e.key, e]));

  it("recovers a planted hazard ratio of 1.8 within its interval, across independent simulated shops", () => {
    // Churn is seen only through a completed purchase lapse, dated up to a purchase gap after the customer really
    // left, and some customers have already left (unseen) when they write: both pull the estimate a little toward 1
    // (about 5% here), so one shop's interval can miss 1.8. Across eight shops the estimates must centre near 1.8
    // and most intervals must cover it; each shop alone must find the experience harmful.
    const fits = [20240917, 1, 2, 3, 4, 5, 6, 7].map((seed) => {
      const shop = simulateShop({ customers: 6000, hazardRatio: 1.8, seed });
      const slow = analyseServiceImpact(shop.customers, { now: shop.now }).experiences[0];
      expect(slow.key).toBe("slowFirstResponse");
      expect(slow.conclusion).toBe("harmful");
      return slow.hazardRatio ?? { value: Number.NaN, lower: Number.NaN, upper: Number.NaN };
    });
    const covered = fits.filter((fit) => fit.lower < 1.8 && fit.upper > 1.8).length;
    expect(covered).toBeGreaterThanOrEqual(5);
    const meanRatio = fits.reduce((sum, fit) => sum + fit.value, 0) / fits.length;
    expect(meanRatio).toBeGreaterThan(1.62);
    expect(meanRatio).toBeLessThan(1.98);
  });

  it("prices a harmful experience and shows it in the curves and the log-rank test", () => {
    const slow = byKey.get("slowFirstResponse");
    expect(slow?.conclusion).toBe("harmful");
    expect(slow?.hazardRatio?.lower).toBeGreaterThan(1);
    // Faster churn means less buying within the horizon: a positive loss, ordered like the interval.
    const lost = slow?.valueLostPerEventMinor;
    expect(lost?.value).toBeGreaterThan(0);
    expect(lost?.lower).toBeLessThan(lost?.value ?? 0);
    expect(lost?.upper).toBeGreaterThan(lost?.value ?? 0);
    // The exposed group's curve falls below the unexposed one's and the log-rank test sees it.
    expect(slow?.logRank?.p).toBeLessThan(0.001);
    const at = (points: { t: number; survival: number }[], t: number) =>
      points.filter((point) => point.t <= t).at(-1)?.survival ?? 1;
    expect(at(slow?.curves.exposed ?? [], 500)).toBeLessThan(at(slow?.curves.unexposed ?? [], 500));
    expect(slow?.message).toMatch(/stopped buying 1\.\d\d times as fast/);
    expect(report.summary).toContain("First response missed its SLA target");
  });

  it("finds no effect where none was planted, and says so", () => {
    const reopened = byKey.get("reopened");
    expect(reopened?.conclusion).toBe("no_evidence");
    expect(reopened?.hazardRatio?.lower).toBeLessThan(1);
    expect(reopened?.hazardRatio?.upper).toBeGreaterThan(1);
    expect(reopened?.message).toMatch(/^No clear effect/);
  });

  it("says plainly when the data is too thin, and why", () => {
    const lowCsat = byKey.get("lowCsat");
    expect(lowCsat?.conclusion).toBe("too_thin");
    expect(lowCsat?.hazardRatio).toBeNull();
    expect(lowCsat?.valueLostPerEventMinor).toBeNull();
    expect(lowCsat?.message).toMatch(/^Too little data to conclude anything: \d+ customers CSAT 1-2/);
    const frustrated = byKey.get("frustrated");
    expect(frustrated?.conclusion).toBe("too_thin");
    expect(frustrated?.exposed.customers).toBe(0);
  });

  it("leaves out contacts of customers who had already stopped buying, and counts one contact per customer", () => {
    const lapsed: ServiceImpactCustomer = {
      id: 1,
      orders: [{ day: 10, amount: 1000 }],
      contacts: [{ day: 300, experiences: { slowFirstResponse: true } }],
    };
    const active: ServiceImpactCustomer = {
      id: 2,
      orders: [
        { day: 10, amount: 1000 },
        { day: 290, amount: 1000 },
      ],
      contacts: [
        { day: 300, experiences: { slowFirstResponse: true } },
        { day: 320, experiences: { slowFirstResponse: false } },
      ],
    };
    const small = analyseServiceImpact([lapsed, active], { now: 400 });
    const slow = small.experiences.find((e) => e.key === "slowFirstResponse");
    expect(slow?.exposed.customers).toBe(1);
    expect(slow?.unexposed.customers).toBe(0);
    expect(slow?.conclusion).toBe("too_thin");
  });
});
