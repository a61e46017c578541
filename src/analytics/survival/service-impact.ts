import { type CoxFit, fitCoxProportionalHazards } from "./cox-ph.model.ts";
import { type KaplanMeierCurve, kaplanMeier } from "./kaplan-meier.ts";
import { lapseChurnAfter } from "./lapse-churn.ts";
import { logRankTest } from "./log-rank.ts";

/**
 * What service does to retention. Each customer enters at their first support contact while still buying (an
 * order within `recencyDays` before it) and is followed until their purchases lapse (`lapseDays` without an
 * order, dated when the lapse completes) or now. Per service experience, the customers whose contact went badly
 * are compared with those whose contact went well: Kaplan-Meier curves and the log-rank test, then a Cox model
 * that allows for how often and how much they bought and how long they had been customers. The hazard ratio
 * becomes money through the restricted mean time to churn: revenue per day × the days of buying lost.
 */

export const serviceExperiences = [
  {
    key: "slowFirstResponse",
    label: "First response missed its SLA target",
    exposed: "missed the target",
    unexposed: "within target",
    noun: "missed first-response target",
    who: "whose first response missed its SLA target",
  },
  {
    key: "reopened",
    label: "Ticket was reopened",
    exposed: "reopened",
    unexposed: "not reopened",
    noun: "reopened ticket",
    who: "whose ticket was reopened",
  },
  {
    key: "lowCsat",
    label: "Rated the service low (CSAT 1-2 against 4-5)",
    exposed: "CSAT 1-2",
    unexposed: "CSAT 4-5",
    noun: "low CSAT",
    who: "who rated the service 1-2 (against those who rated it 4-5)",
  },
  {
    key: "frustrated",
    label: "Wrote in frustration",
    exposed: "frustrated",
    unexposed: "not frustrated",
    noun: "frustrated contact",
    who: "who wrote in frustration",
  },
] as const;

export type ServiceExperienceKey = (typeof serviceExperiences)[number]["key"];

/** One support contact: its day and, per experience, whether it went badly (true), well (false) or is unknown. */
export interface ServiceContact {
  day: number;
  experiences: Partial<Record<ServiceExperienceKey, boolean>>;
}

export interface ServiceImpactCustomer {
  id: number;
  /** Counted orders, ascending by day (fractional days allowed). Amounts in minor units. */
  orders: readonly { day: number; amount: number }[];
  contacts: readonly ServiceContact[];
}

export interface ServiceImpactOptions {
  /** Today, in days. */
  now: number;
  /** Days without an order after which a customer counts as churned (default 180). */
  lapseDays?: number;
  /** A contact counts only when the customer ordered within this many days before it (default 30). */
  recencyDays?: number;
  /** Horizon for the money: revenue lost within this many days after the contact (default 365). */
  horizonDays?: number;
  /** Fewer customers, or fewer churned, than this in either group is too thin to conclude (defaults 30 and 10). */
  minCustomersPerGroup?: number;
  minEventsPerGroup?: number;
}

export type ServiceImpactConclusion = "harmful" | "no_evidence" | "protective" | "too_thin";

export interface SurvivalPoint {
  t: number;
  survival: number;
  lower: number;
  upper: number;
}

export interface ExperienceImpact {
  key: ServiceExperienceKey;
  label: string;
  exposedLabel: string;
  unexposedLabel: string;
  exposed: { customers: number; churned: number; meanDailyRevenueMinor: number };
  unexposed: { customers: number; churned: number; meanDailyRevenueMinor: number };
  curves: { exposed: SurvivalPoint[]; unexposed: SurvivalPoint[] };
  logRank: { chiSquare: number; p: number } | null;
  /** Of the exposure, after allowing for the controls; null when too thin or the fit failed. */
  hazardRatio: { value: number; lower: number; upper: number; p: number } | null;
  controls: { name: string; hazardRatio: number; lower: number; upper: number }[];
  /** Expected revenue lost within the horizon per bad contact, with the interval from the hazard ratio's. */
  valueLostPerEventMinor: { value: number; lower: number; upper: number } | null;
  conclusion: ServiceImpactConclusion;
  message: string;
}

export interface ServiceImpactReport {
  customers: number;
  contacts: number;
  horizonDays: number;
  lapseDays: number;
  recencyDays: number;
  experiences: ExperienceImpact[];
  summary: string;
}

interface Subject {
  time: number;
  event: boolean;
  exposed: boolean;
  covariates: number[];
  dailyRevenue: number;
}

const controlNames = ["orders before (log)", "average order value (log)", "tenure in days (log)"];

function subjectsFor(
  customers: readonly ServiceImpactCustomer[],
  key: ServiceExperienceKey,
  now: number,
  lapseDays: number,
  recencyDays: number,
): Subject[] {
  const subjects: Subject[] = [];
  const others = serviceExperiences.map((e) => e.key).filter((other) => other !== key);
  for (const customer of customers) {
    const orderDays = customer.orders.map((order) => order.day);
    for (const [index, contact] of customer.contacts.entries()) {
      const exposed = contact.experiences[key];
      if (exposed === undefined) continue;
      const before = customer.orders.filter((order) => order.day <= contact.day);
      const last = before[before.length - 1];
      if (!last || contact.day - last.day > recencyDays) continue;
      const outcome = lapseChurnAfter(orderDays, contact.day, now, lapseDays);
      if (!outcome.atRisk) continue;
      // A later bad contact of any kind would mix its effect into this one's: follow-up stops there (censored).
      const nextBad = customer.contacts
        .slice(index + 1)
        .find(
          (later) => later.day > contact.day && Object.values(later.experiences).some((bad) => bad === true),
        );
      let { duration, event } = outcome;
      if (nextBad && nextBad.day - contact.day < duration) {
        duration = nextBad.day - contact.day;
        event = false;
      }
      const spend = before.reduce((sum, order) => sum + order.amount, 0);
      const tenure = contact.day - before[0].day;
      subjects.push({
        time: duration,
        event,
        exposed,
        covariates: [
          exposed ? 1 : 0,
          Math.log1p(before.length),
          Math.log1p(spend / before.length),
          Math.log1p(tenure),
          // The same contact's other experiences (a slow answer is often also a reopened ticket): held constant.
          ...others.map((other) => (contact.experiences[other] === true ? 1 : 0)),
        ],
        // Spend per day over their time as a customer (at least the recency window, so a first order is not a rate).
        dailyRevenue: spend / Math.max(tenure, recencyDays),
      });
      // The first qualifying contact only: one subject per customer keeps the observations independent.
      break;
    }
  }
  return subjects;
}

function thin(curve: KaplanMeierCurve, maxPoints = 120): SurvivalPoint[] {
  const points: SurvivalPoint[] = [{ t: 0, survival: 1, lower: 1, upper: 1 }];
  const steps = curve.steps.filter((step) => step.events > 0);
  const every = Math.max(1, Math.ceil(steps.length / maxPoints));
  steps.forEach((step, i) => {
    if (i % every === 0 || i === steps.length - 1) {
      points.push({ t: step.time, survival: step.survival, lower: step.lower, upper: step.upper });
    }
  });
  return points;
}

/** ∫_0^h S(t)^power dt for a step function S (the restricted mean time to churn under proportional hazards). */
function restrictedMean(curve: KaplanMeierCurve, horizon: number, power: number): number {
  let area = 0;
  let previousTime = 0;
  let survival = 1;
  for (const step of curve.steps) {
    if (step.time >= horizon) break;
    area += (step.time - previousTime) * survival ** power;
    previousTime = step.time;
    survival = step.survival;
  }
  return area + (horizon - previousTime) * survival ** power;
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
const mean = (values: readonly number[]) =>
  values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;

function analyseExperience(
  experience: (typeof serviceExperiences)[number],
  subjects: Subject[],
  options: Required<ServiceImpactOptions>,
): ExperienceImpact {
  const exposed = subjects.filter((s) => s.exposed);
  const unexposed = subjects.filter((s) => !s.exposed);
  const churned = (group: Subject[]) => group.filter((s) => s.event).length;
  const base = {
    key: experience.key,
    label: experience.label,
    exposedLabel: experience.exposed,
    unexposedLabel: experience.unexposed,
    exposed: {
      customers: exposed.length,
      churned: churned(exposed),
      meanDailyRevenueMinor: round(mean(exposed.map((s) => s.dailyRevenue)), 2),
    },
    unexposed: {
      customers: unexposed.length,
      churned: churned(unexposed),
      meanDailyRevenueMinor: round(mean(unexposed.map((s) => s.dailyRevenue)), 2),
    },
  };
  const exposedCurve = exposed.length > 0 ? kaplanMeier(exposed) : null;
  const unexposedCurve = unexposed.length > 0 ? kaplanMeier(unexposed) : null;
  const curves = {
    exposed: exposedCurve ? thin(exposedCurve) : [],
    unexposed: unexposedCurve ? thin(unexposedCurve) : [],
  };
  const logRank =
    exposed.length > 0 && unexposed.length > 0
      ? (() => {
          const test = logRankTest(
            subjects.map((s) => ({ ...s, group: s.exposed ? "exposed" : "unexposed" })),
          );
          return { chiSquare: round(test.statistic, 4), p: test.pValue };
        })()
      : null;
  const thinReason =
    base.exposed.customers < options.minCustomersPerGroup ||
    base.unexposed.customers < options.minCustomersPerGroup ||
    base.exposed.churned < options.minEventsPerGroup ||
    base.unexposed.churned < options.minEventsPerGroup;
  if (thinReason || !unexposedCurve) {
    return {
      ...base,
      curves,
      logRank,
      hazardRatio: null,
      controls: [],
      valueLostPerEventMinor: null,
      conclusion: "too_thin",
      message:
        `Too little data to conclude anything: ${base.exposed.customers} customers ${experience.exposed} ` +
        `(${base.exposed.churned} stopped buying) against ${base.unexposed.customers} ${experience.unexposed} ` +
        `(${base.unexposed.churned} stopped buying). At least ${options.minCustomersPerGroup} customers and ` +
        `${options.minEventsPerGroup} who stopped buying are needed in each group.`,
    };
  }
  // Controls that never vary here (no one had that other experience) cannot be estimated: left out.
  const names = [
    ...controlNames,
    ...serviceExperiences.filter((e) => e.key !== experience.key).map((e) => `same contact: ${e.label}`),
  ];
  const kept = names
    .map((_, i) => i + 1)
    .filter((column) => subjects.some((s) => s.covariates[column] !== subjects[0].covariates[column]));
  let fit: CoxFit | null = null;
  try {
    fit = fitCoxProportionalHazards({
      time: subjects.map((s) => s.time),
      event: subjects.map((s) => s.event),
      covariates: subjects.map((s) => [s.covariates[0], ...kept.map((column) => s.covariates[column])]),
    });
  } catch {
    // A singular information matrix (a control constant in this group): reported as not concluded below.
  }
  if (!fit?.converged || !Number.isFinite(fit.hazardRatios[0])) {
    return {
      ...base,
      curves,
      logRank,
      hazardRatio: null,
      controls: [],
      valueLostPerEventMinor: null,
      conclusion: "too_thin",
      message:
        "Too little data to conclude anything: the model could not be fitted (the groups are too small or too alike).",
    };
  }
  const hazardRatio = {
    value: round(fit.hazardRatios[0], 4),
    lower: round(fit.hazardRatioLower[0], 4),
    upper: round(fit.hazardRatioUpper[0], 4),
    p: fit.pValues[0],
  };
  const horizon = options.horizonDays;
  const baseline = restrictedMean(unexposedCurve, horizon, 1);
  const lost = (ratio: number) =>
    Math.round(
      base.exposed.meanDailyRevenueMinor * (baseline - restrictedMean(unexposedCurve, horizon, ratio)),
    );
  const valueLostPerEventMinor = {
    value: lost(hazardRatio.value),
    lower: lost(hazardRatio.lower),
    upper: lost(hazardRatio.upper),
  };
  const conclusion: ServiceImpactConclusion =
    hazardRatio.lower > 1 ? "harmful" : hazardRatio.upper < 1 ? "protective" : "no_evidence";
  const interval = `${hazardRatio.value.toFixed(2)}, 95% interval ${hazardRatio.lower.toFixed(2)}-${hazardRatio.upper.toFixed(2)}`;
  const message =
    conclusion === "harmful"
      ? `Customers ${experience.who} stopped buying ${hazardRatio.value.toFixed(2)} times as fast (${interval}), allowing for how often and how much they bought and how long they had been customers. Each ${experience.noun} costs an expected {value} of revenue within ${horizon} days.`
      : conclusion === "protective"
        ? `Customers ${experience.who} stopped buying more slowly (hazard ratio ${interval}); this is unexpected and may reflect who gets this experience rather than its effect.`
        : `No clear effect: the hazard ratio (${interval}) is consistent with no difference. More data would narrow it.`;
  return {
    ...base,
    curves,
    logRank,
    hazardRatio,
    controls: kept.map((column, i) => ({
      name: names[column - 1],
      hazardRatio: round(fit.hazardRatios[i + 1], 4),
      lower: round(fit.hazardRatioLower[i + 1], 4),
      upper: round(fit.hazardRatioUpper[i + 1], 4),
    })),
    valueLostPerEventMinor,
    conclusion,
    message,
  };
}

/**
 * The service-impact report. Messages contain `{value}` where the money goes, for the caller to format in the
 * shop's currency.
 */
export function analyseServiceImpact(
  customers: readonly ServiceImpactCustomer[],
  options: ServiceImpactOptions,
): ServiceImpactReport {
  const resolved: Required<ServiceImpactOptions> = {
    now: options.now,
    lapseDays: options.lapseDays ?? 180,
    recencyDays: options.recencyDays ?? 30,
    horizonDays: options.horizonDays ?? 365,
    minCustomersPerGroup: options.minCustomersPerGroup ?? 30,
    minEventsPerGroup: options.minEventsPerGroup ?? 10,
  };
  const experiences = serviceExperiences.map((experience) =>
    analyseExperience(
      experience,
      subjectsFor(customers, experience.key, resolved.now, resolved.lapseDays, resolved.recencyDays),
      resolved,
    ),
  );
  const harmful = experiences.filter((e) => e.conclusion === "harmful");
  const concluded = experiences.filter((e) => e.conclusion !== "too_thin");
  const summary =
    concluded.length === 0
      ? "Too little data to say what service does to retention yet: see each experience for what is missing."
      : harmful.length === 0
        ? "No service experience shows a clear effect on whether customers keep buying."
        : `${harmful.map((e) => e.label).join("; ")}: customers with ${harmful.length === 1 ? "this experience" : "these experiences"} stop buying measurably sooner.`;
  return {
    customers: customers.length,
    contacts: customers.reduce((sum, customer) => sum + customer.contacts.length, 0),
    horizonDays: resolved.horizonDays,
    lapseDays: resolved.lapseDays,
    recencyDays: resolved.recencyDays,
    experiences,
    summary,
  };
}
