import normalQuantile from "@stdlib/stats-base-dists-normal-quantile";

/** One subject: time observed and whether the event happened then (false: right-censored). */
export interface SurvivalObservation {
  time: number;
  event: boolean;
}

/** The Kaplan-Meier estimate just after one distinct observed time. */
export interface KaplanMeierStep {
  time: number;
  atRisk: number;
  events: number;
  censored: number;
  survival: number;
  /** Pointwise confidence limits on the log(-log S) scale with Greenwood's variance ("exp Greenwood"). */
  lower: number;
  upper: number;
}

export interface KaplanMeierCurve {
  steps: KaplanMeierStep[];
  confidenceLevel: number;
}

/**
 * Kaplan-Meier survival curve with log-log ("exp Greenwood") confidence intervals, as lifelines and R's
 * survfit(conf.type = "log-log") report them. One step per distinct time, events before censorings at a tie.
 */
export function kaplanMeier(
  observations: readonly SurvivalObservation[],
  options: { confidenceLevel?: number } = {},
): KaplanMeierCurve {
  const confidenceLevel = options.confidenceLevel ?? 0.95;
  const z = normalQuantile((1 + confidenceLevel) / 2, 0, 1);
  const byTime = new Map<number, { events: number; censored: number }>();
  for (const o of observations) {
    if (!(Number.isFinite(o.time) && o.time >= 0)) throw new RangeError(`invalid survival time ${o.time}`);
    const entry = byTime.get(o.time) ?? { events: 0, censored: 0 };
    if (o.event) entry.events++;
    else entry.censored++;
    byTime.set(o.time, entry);
  }
  const times = [...byTime.keys()].sort((a, b) => a - b);
  let atRisk = observations.length;
  let survival = 1;
  let greenwood = 0;
  const steps: KaplanMeierStep[] = [];
  for (const time of times) {
    const { events, censored } = byTime.get(time) ?? { events: 0, censored: 0 };
    if (events > 0) {
      survival *= 1 - events / atRisk;
      greenwood += atRisk > events ? events / (atRisk * (atRisk - events)) : Number.POSITIVE_INFINITY;
    }
    let lower = survival;
    let upper = survival;
    if (survival > 0 && survival < 1 && Number.isFinite(greenwood)) {
      const logS = Math.log(survival);
      const spread = (z * Math.sqrt(greenwood)) / logS;
      lower = Math.exp(-Math.exp(Math.log(-logS) - spread));
      upper = Math.exp(-Math.exp(Math.log(-logS) + spread));
    }
    steps.push({ time, atRisk, events, censored, survival, lower, upper });
    atRisk -= events + censored;
  }
  return { steps, confidenceLevel };
}

/** S(t) read off a Kaplan-Meier curve (right-continuous step function; 1 before the first time). */
export function survivalAt(curve: KaplanMeierCurve, t: number): number {
  let survival = 1;
  for (const step of curve.steps) {
    if (step.time > t) break;
    survival = step.survival;
  }
  return survival;
}

/** Median survival: the first time S(t) <= 0.5; Infinity when the curve never gets there. */
export function medianSurvivalTime(curve: KaplanMeierCurve): number {
  for (const step of curve.steps) if (step.survival <= 0.5) return step.time;
  return Number.POSITIVE_INFINITY;
}
