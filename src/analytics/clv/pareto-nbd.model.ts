import gammaln from "@stdlib/math-base-special-gammaln";
import { minimizeBfgs } from "../optimize/bfgs.optimizer.ts";
import {
  covarianceFromHessian,
  finiteDifferenceGradient,
  hessianFromValue,
  standardErrorsFromCovariance,
} from "../optimize/numeric-derivatives.ts";
import { hyp2f1 } from "../special/hyp2f1.ts";
import { groupRfmObservations, type RfmGroups, type RfmObservation } from "./rfm-groups.ts";

/** Pareto/NBD parameters: purchase rates ~ Gamma(r, alpha), drop-out rates ~ Gamma(s, beta). */
export interface ParetoNbdParams {
  r: number;
  alpha: number;
  s: number;
  beta: number;
}

export interface ParetoNbdFit {
  params: ParetoNbdParams;
  logLikelihood: number;
  /** Asymptotic standard errors from a finite-difference Hessian of -LL in the natural parameters. */
  standardErrors: ParetoNbdParams;
  covariance: number[][];
  iterations: number;
  converged: boolean;
  customers: number;
  groups: number;
}

const toVector = (p: ParetoNbdParams): number[] => [p.r, p.alpha, p.s, p.beta];
const fromVector = (v: readonly number[]): ParetoNbdParams => ({ r: v[0], alpha: v[1], s: v[2], beta: v[3] });

/**
 * log A0 of the Pareto/NBD likelihood (Fader, Hardie & Lee 2005 note on Pareto/NBD; lifetimes' _log_A_0):
 * [2F1(r+s+x, k; r+s+x+1; |α-β|/(m+t_x)) / (m+t_x)^(r+s+x) - same at T], m = max(α, β), with k = s+1 when
 * α >= β and k = r+x otherwise. Choosing the larger of α, β keeps the 2F1 argument |α-β|/(m+t) in [0, 1) and
 * small, well away from z -> 1 where the series diverges (c - a - b = 1 - k < 0) and cephes loses accuracy.
 */
function logA0(p: ParetoNbdParams, x: number, tx: number, T: number): number {
  const { r, alpha, s, beta } = p;
  const alphaLarger = alpha >= beta;
  const m = alphaLarger ? alpha : beta;
  const k = alphaLarger ? s + 1 : r + x;
  const diff = Math.abs(alpha - beta);
  const rsx = r + s + x;
  const l1 = Math.log(hyp2f1(rsx, k, rsx + 1, diff / (m + tx))) - rsx * Math.log(m + tx);
  const l2 = Math.log(hyp2f1(rsx, k, rsx + 1, diff / (m + T))) - rsx * Math.log(m + T);
  // log(e^l1 - e^l2); the term is 0 (log -inf) when t_x = T.
  return l1 + Math.log1p(-Math.exp(l2 - l1));
}

function logLikelihoodTerm(p: ParetoNbdParams, x: number, tx: number, T: number): number {
  const { r, alpha, s, beta } = p;
  const a1 = gammaln(r + x) - gammaln(r) + r * Math.log(alpha) + s * Math.log(beta);
  const aliveAtT = -(r + x) * Math.log(alpha + T) - s * Math.log(beta + T);
  const diedBefore = Math.log(s) + logA0(p, x, tx, T) - Math.log(r + s + x);
  const m = Math.max(aliveAtT, diedBefore);
  return a1 + m + Math.log(Math.exp(aliveAtT - m) + Math.exp(diedBefore - m));
}

function groupedLogLikelihood(p: ParetoNbdParams, groups: RfmGroups): number {
  let total = 0;
  for (let i = 0; i < groups.size; i++) {
    total += groups.count[i] * logLikelihoodTerm(p, groups.x[i], groups.tx[i], groups.T[i]);
  }
  return total;
}

/** Pareto/NBD log-likelihood of a set of customers (Schmittlein, Morrison & Colombo 1987). */
export function paretoNbdLogLikelihood(
  params: ParetoNbdParams,
  observations: readonly RfmObservation[],
): number {
  return groupedLogLikelihood(params, groupRfmObservations(observations));
}

/**
 * Maximum-likelihood Pareto/NBD fit: BFGS on log-parameters, gradient by central differences (the 2F1 has
 * no cheap parameter derivatives), customers with identical (x, t_x, T) grouped.
 */
export function fitParetoNbd(
  observations: readonly RfmObservation[],
  options: { start?: ParetoNbdParams } = {},
): ParetoNbdFit {
  const groups = groupRfmObservations(observations);
  const customers = observations.length;
  if (customers === 0) throw new RangeError("no customers to fit");
  const objective = (logParams: readonly number[]): number =>
    -groupedLogLikelihood(fromVector(logParams.map(Math.exp)), groups) / customers;
  const start = toVector(options.start ?? { r: 1, alpha: 1, s: 1, beta: 1 }).map(Math.log);
  const result = minimizeBfgs(
    (v) => {
      const value = objective(v);
      return {
        value,
        gradient: Number.isFinite(value) ? finiteDifferenceGradient(objective, v) : v.map(() => 0),
      };
    },
    start,
    { gradientTolerance: 1e-7 },
  );
  const estimate = result.x.map(Math.exp);
  const covariance = covarianceFromHessian(
    hessianFromValue((v) => -groupedLogLikelihood(fromVector(v), groups), estimate),
  );
  return {
    params: fromVector(estimate),
    logLikelihood: -result.value * customers,
    standardErrors: fromVector(standardErrorsFromCovariance(covariance)),
    covariance,
    iterations: result.iterations,
    converged: result.converged,
    customers,
    groups: groups.size,
  };
}

/** E[X(t)]: expected purchases in (0, t] of a customer just acquired. */
export function paretoNbdExpectedPurchases(params: ParetoNbdParams, t: number): number {
  const { r, alpha, s, beta } = params;
  return ((r * beta) / (alpha * (s - 1))) * (1 - (beta / (beta + t)) ** (s - 1));
}

/** Probability that a customer with history (x, t_x, T) is still active at T. */
export function paretoNbdProbabilityAlive(params: ParetoNbdParams, customer: RfmObservation): number {
  const { r, alpha, s, beta } = params;
  const { x, tx, T } = customer;
  const logOdds =
    Math.log(s) -
    Math.log(r + s + x) +
    (r + x) * Math.log(alpha + T) +
    s * Math.log(beta + T) +
    logA0(params, x, tx, T);
  return 1 / (1 + Math.exp(logOdds));
}

/** E[Y(t) | x, t_x, T]: expected purchases in (T, T + t] given the customer's history. */
export function paretoNbdConditionalExpectedPurchases(
  params: ParetoNbdParams,
  t: number,
  customer: RfmObservation,
): number {
  const { r, alpha, s, beta } = params;
  const { x, T } = customer;
  if (t <= 0) return 0;
  const perAlive = ((r + x) * (beta + T)) / ((alpha + T) * (s - 1));
  return (
    perAlive * (1 - ((beta + T) / (beta + T + t)) ** (s - 1)) * paretoNbdProbabilityAlive(params, customer)
  );
}
