import digamma from "@stdlib/math-base-special-digamma";
import gammaln from "@stdlib/math-base-special-gammaln";
import { minimizeBfgs } from "../optimize/bfgs.optimizer.ts";
import {
  covarianceFromHessian,
  hessianFromGradient,
  standardErrorsFromCovariance,
} from "../optimize/numeric-derivatives.ts";

/** Gamma-Gamma parameters: spend per transaction ~ Gamma(p, nu), nu ~ Gamma(q, gamma) across customers. */
export interface GammaGammaParams {
  p: number;
  q: number;
  gamma: number;
}

/** One repeat customer's spend: x valued repeat transactions with mean value `meanValue` (> 0). */
export interface SpendObservation {
  x: number;
  meanValue: number;
}

export interface GammaGammaFit {
  params: GammaGammaParams;
  logLikelihood: number;
  standardErrors: GammaGammaParams;
  covariance: number[][];
  iterations: number;
  converged: boolean;
  customers: number;
}

const fromVector = (v: readonly number[]): GammaGammaParams => ({ p: v[0], q: v[1], gamma: v[2] });

/**
 * Keeps the customers Gamma-Gamma can use: at least one repeat transaction with a positive value. Single-purchase
 * customers carry no repeat spend (their first purchase is excluded, as in Fader, Hardie & Lee 2005b).
 */
export function selectSpendObservations(
  summaries: readonly { valuedRepeatCount: number; meanRepeatValue: number }[],
): SpendObservation[] {
  return summaries
    .filter((s) => s.valuedRepeatCount > 0 && s.meanRepeatValue > 0)
    .map((s) => ({ x: s.valuedRepeatCount, meanValue: s.meanRepeatValue }));
}

/** Log-likelihood of mean spends and its gradient in (p, q, gamma): the density of the mean of x Gamma spends. */
export function gammaGammaLogLikelihoodWithGradient(
  params: GammaGammaParams,
  observations: readonly SpendObservation[],
): { value: number; gradient: number[] } {
  const { p, q, gamma } = params;
  const psiQ = digamma(q);
  const lnGammaQ = gammaln(q);
  const lnG = Math.log(gamma);
  let value = 0;
  let gp = 0;
  let gq = 0;
  let gg = 0;
  for (const { x, meanValue: m } of observations) {
    const px = p * x;
    const lnTotal = Math.log(gamma + m * x);
    const psiPxq = digamma(px + q);
    value +=
      gammaln(px + q) -
      gammaln(px) -
      lnGammaQ +
      q * lnG +
      (px - 1) * Math.log(m) +
      px * Math.log(x) -
      (px + q) * lnTotal;
    gp += x * (psiPxq - digamma(px) + Math.log(m) + Math.log(x) - lnTotal);
    gq += psiPxq - psiQ + lnG - lnTotal;
    gg += q / gamma - (px + q) / (gamma + m * x);
  }
  return { value, gradient: [gp, gq, gg] };
}

/** Maximum-likelihood Gamma-Gamma fit (BFGS on log-parameters, analytic gradient). */
export function fitGammaGamma(
  observations: readonly SpendObservation[],
  options: { start?: GammaGammaParams } = {},
): GammaGammaFit {
  const customers = observations.length;
  if (customers === 0) throw new RangeError("no repeat customers with positive spend to fit");
  for (const o of observations) {
    if (!(Number.isInteger(o.x) && o.x > 0 && o.meanValue > 0)) {
      throw new RangeError(`invalid spend observation x=${o.x} mean=${o.meanValue}`);
    }
  }
  const s = options.start ?? { p: 1, q: 1, gamma: 1 };
  const result = minimizeBfgs(
    (logParams) => {
      const natural = logParams.map(Math.exp);
      const { value, gradient } = gammaGammaLogLikelihoodWithGradient(fromVector(natural), observations);
      return { value: -value / customers, gradient: gradient.map((g, i) => (-g * natural[i]) / customers) };
    },
    [Math.log(s.p), Math.log(s.q), Math.log(s.gamma)],
    { gradientTolerance: 1e-10 },
  );
  const estimate = result.x.map(Math.exp);
  const covariance = covarianceFromHessian(
    hessianFromGradient(
      (v) => gammaGammaLogLikelihoodWithGradient(fromVector(v), observations).gradient.map((g) => -g),
      estimate,
    ),
  );
  return {
    params: fromVector(estimate),
    logLikelihood: -result.value * customers,
    standardErrors: fromVector(standardErrorsFromCovariance(covariance)),
    covariance,
    iterations: result.iterations,
    converged: result.converged,
    customers,
  };
}

/**
 * E[Z | x, mean]: a customer's expected spend per transaction, a weighted average of the population mean
 * p·gamma/(q-1) and the customer's observed mean (weight grows with x). x = 0 gives the population mean.
 */
export function gammaGammaConditionalExpectedValue(
  params: GammaGammaParams,
  x: number,
  meanValue: number,
): number {
  const { p, q, gamma } = params;
  if (!(q > 1)) throw new RangeError("the expected spend is finite only for q > 1");
  return (p * (gamma + x * meanValue)) / (p * x + q - 1);
}
