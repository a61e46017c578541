import betaln from "@stdlib/math-base-special-betaln";
import digamma from "@stdlib/math-base-special-digamma";
import { minimizeBfgs } from "../optimize/bfgs.optimizer.ts";
import {
  covarianceFromHessian,
  hessianFromGradient,
  standardErrorsFromCovariance,
} from "../optimize/numeric-derivatives.ts";
import { hyp2f1 } from "../special/hyp2f1.ts";

/** Shifted-beta-geometric parameters: each customer's churn probability per period ~ Beta(alpha, beta). */
export interface SbgParams {
  alpha: number;
  beta: number;
}

export interface SbgFit {
  params: SbgParams;
  logLikelihood: number;
  standardErrors: SbgParams;
  covariance: number[][];
  iterations: number;
  converged: boolean;
}

/** P(T = t): probability a customer churns at the end of period t = 1, 2, ... (Fader & Hardie 2007, eq. 7). */
export function sbgChurnProbability(params: SbgParams, t: number): number {
  const { alpha, beta } = params;
  return Math.exp(betaln(alpha + 1, beta + t - 1) - betaln(alpha, beta));
}

/** S(t): share of the cohort still a customer after t periods (Fader & Hardie 2007, eq. 8). */
export function sbgSurvival(params: SbgParams, t: number): number {
  const { alpha, beta } = params;
  return Math.exp(betaln(alpha, beta + t) - betaln(alpha, beta));
}

/** r(t) = S(t)/S(t-1): retention rate in period t, rising with t as the cohort sorts itself (eq. 9). */
export function sbgRetentionRate(params: SbgParams, t: number): number {
  const { alpha, beta } = params;
  return (beta + t - 1) / (alpha + beta + t - 1);
}

/**
 * Log-likelihood of a cohort's survivor counts and its gradient in (alpha, beta): churners in periods 1..n and
 * the survivors of period n (right-censored). `survivors[0]` is the cohort size.
 */
export function sbgLogLikelihoodWithGradient(
  params: SbgParams,
  survivors: readonly number[],
): { value: number; gradient: number[] } {
  const { alpha, beta } = params;
  const lnB = betaln(alpha, beta);
  const psiAb = digamma(alpha + beta);
  const psiB = digamma(beta);
  let value = 0;
  let ga = 0;
  let gb = 0;
  const n = survivors.length - 1;
  for (let t = 1; t <= n; t++) {
    const churned = survivors[t - 1] - survivors[t];
    if (churned < 0) throw new RangeError("survivor counts must not increase");
    if (churned === 0) continue;
    const psiAbt = digamma(alpha + beta + t);
    value += churned * (betaln(alpha + 1, beta + t - 1) - lnB);
    // d/dα of ln B(α+1, β+t-1) - ln B(α, β); ψ(α+1) - ψ(α) = 1/α.
    ga += churned * (1 / alpha + psiAb - psiAbt);
    gb += churned * (digamma(beta + t - 1) - psiAbt - psiB + psiAb);
  }
  const alive = survivors[n];
  if (alive > 0) {
    const psiAbn = digamma(alpha + beta + n);
    value += alive * (betaln(alpha, beta + n) - lnB);
    ga += alive * (psiAb - psiAbn);
    gb += alive * (digamma(beta + n) - psiAbn - psiB + psiAb);
  }
  return { value, gradient: [ga, gb] };
}

/** Maximum-likelihood sBG fit to one cohort's survivor counts per period (survivors[0] = cohort size). */
export function fitShiftedBetaGeometric(survivors: readonly number[]): SbgFit {
  if (survivors.length < 2) throw new RangeError("need the cohort size and at least one period");
  const from = (v: readonly number[]): SbgParams => ({ alpha: v[0], beta: v[1] });
  const result = minimizeBfgs(
    (logParams) => {
      const natural = logParams.map(Math.exp);
      const { value, gradient } = sbgLogLikelihoodWithGradient(from(natural), survivors);
      return {
        value: -value / survivors[0],
        gradient: gradient.map((g, i) => (-g * natural[i]) / survivors[0]),
      };
    },
    [0, 0],
    { gradientTolerance: 1e-11 },
  );
  const estimate = result.x.map(Math.exp);
  const covariance = covarianceFromHessian(
    hessianFromGradient(
      (v) => sbgLogLikelihoodWithGradient(from(v), survivors).gradient.map((g) => -g),
      estimate,
    ),
  );
  return {
    params: from(estimate),
    logLikelihood: -result.value * survivors[0],
    standardErrors: from(standardErrorsFromCovariance(covariance)),
    covariance,
    iterations: result.iterations,
    converged: result.converged,
  };
}

/**
 * Discounted expected residual lifetime of a customer who has renewed `renewals` times (Fader & Hardie 2010,
 * eq. 6): expected number of further payments, each discounted by (1 + d) per period, counting the next one.
 */
export function sbgDiscountedExpectedResidualLifetime(
  params: SbgParams,
  discountRate: number,
  renewals: number,
): number {
  const { alpha, beta } = params;
  const n = renewals + 1;
  return (
    ((beta + n - 1) / (alpha + beta + n - 1)) * hyp2f1(1, beta + n, alpha + beta + n, 1 / (1 + discountRate))
  );
}
