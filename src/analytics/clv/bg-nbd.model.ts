import betaln from "@stdlib/math-base-special-betaln";
import digamma from "@stdlib/math-base-special-digamma";
import gammaln from "@stdlib/math-base-special-gammaln";
import { minimizeBfgs } from "../optimize/bfgs.optimizer.ts";
import {
  covarianceFromHessian,
  hessianFromGradient,
  standardErrorsFromCovariance,
} from "../optimize/numeric-derivatives.ts";
import { hyp2f1 } from "../special/hyp2f1.ts";
import { groupRfmObservations, type RfmGroups, type RfmObservation } from "./rfm-groups.ts";

/** BG/NBD parameters: purchase rates ~ Gamma(r, alpha), drop-out probability per purchase ~ Beta(a, b). */
export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

export interface BgNbdFit {
  params: BgNbdParams;
  logLikelihood: number;
  /** Asymptotic standard errors from the observed information (Hessian of -LL in the natural parameters). */
  standardErrors: BgNbdParams;
  covariance: number[][];
  iterations: number;
  converged: boolean;
  customers: number;
  groups: number;
}

const toVector = (p: BgNbdParams): number[] => [p.r, p.alpha, p.a, p.b];
const fromVector = (v: readonly number[]): BgNbdParams => ({ r: v[0], alpha: v[1], a: v[2], b: v[3] });

function assertPositive(p: BgNbdParams): void {
  if (!(p.r > 0 && p.alpha > 0 && p.a > 0 && p.b > 0))
    throw new RangeError("BG/NBD parameters must be positive");
}

/**
 * Log-likelihood of grouped data and its gradient in (r, alpha, a, b) (Fader, Hardie & Lee 2005, eq. 6),
 * evaluated as A1 + logsumexp(A2, A3) so large x and T do not overflow.
 */
export function bgNbdLogLikelihoodWithGradient(
  params: BgNbdParams,
  groups: RfmGroups,
): { value: number; gradient: number[] } {
  const { r, alpha, a, b } = params;
  const lnBab = betaln(a, b);
  const psiR = digamma(r);
  const psiAb = digamma(a + b);
  const psiB = digamma(b);
  const lnAlpha = Math.log(alpha);
  // Everything that depends only on the parameters and x, once per distinct x (special functions are the cost).
  const nx = groups.distinctX.length;
  const a1x = new Float64Array(nx);
  const a2x = new Float64Array(nx);
  const a3x = new Float64Array(nx);
  const dgr = new Float64Array(nx);
  const d2ax = new Float64Array(nx);
  const d2bx = new Float64Array(nx);
  const d3ax = new Float64Array(nx);
  const d3bx = new Float64Array(nx);
  for (let k = 0; k < nx; k++) {
    const x = groups.distinctX[k];
    const psiAbx = digamma(a + b + x);
    a1x[k] = gammaln(r + x) - gammaln(r) + r * lnAlpha;
    a2x[k] = betaln(a, b + x) - lnBab;
    dgr[k] = digamma(r + x) - psiR + lnAlpha;
    d2ax[k] = psiAb - psiAbx;
    d2bx[k] = digamma(b + x) - psiAbx - psiB + psiAb;
    if (x > 0) {
      a3x[k] = betaln(a + 1, b + x - 1) - lnBab;
      d3ax[k] = 1 / a + psiAb - psiAbx;
      d3bx[k] = digamma(b + x - 1) - psiAbx - psiB + psiAb;
    }
  }
  let value = 0;
  let gr = 0;
  let gAlpha = 0;
  let ga = 0;
  let gb = 0;
  for (let i = 0; i < groups.size; i++) {
    const k = groups.xIndex[i];
    const x = groups.x[i];
    const n = groups.count[i];
    const lnAT = Math.log(alpha + groups.T[i]);
    const a2 = a2x[k] - (r + x) * lnAT;
    // Derivatives of A2 with respect to r and alpha (those for a and b depend on x only).
    const d2r = -lnAT;
    const d2alpha = -(r + x) / (alpha + groups.T[i]);
    let w2 = 1;
    let w3 = 0;
    let lse = a2;
    let d3r = 0;
    let d3alpha = 0;
    if (x > 0) {
      const lnATx = Math.log(alpha + groups.tx[i]);
      const a3 = a3x[k] - (r + x) * lnATx;
      const m = Math.max(a2, a3);
      const e2 = Math.exp(a2 - m);
      const e3 = Math.exp(a3 - m);
      lse = m + Math.log(e2 + e3);
      w2 = e2 / (e2 + e3);
      w3 = e3 / (e2 + e3);
      d3r = -lnATx;
      d3alpha = -(r + x) / (alpha + groups.tx[i]);
    }
    value += n * (a1x[k] + lse);
    gr += n * (dgr[k] + w2 * d2r + w3 * d3r);
    gAlpha += n * (r / alpha + w2 * d2alpha + w3 * d3alpha);
    ga += n * (w2 * d2ax[k] + w3 * d3ax[k]);
    gb += n * (w2 * d2bx[k] + w3 * d3bx[k]);
  }
  return { value, gradient: [gr, gAlpha, ga, gb] };
}

/** BG/NBD log-likelihood of a set of customers. */
export function bgNbdLogLikelihood(params: BgNbdParams, observations: readonly RfmObservation[]): number {
  assertPositive(params);
  return bgNbdLogLikelihoodWithGradient(params, groupRfmObservations(observations)).value;
}

/**
 * Maximum-likelihood BG/NBD fit: BFGS on log-parameters with the analytic gradient, customers with identical
 * (x, t_x, T) grouped. Starts from r = alpha = a = b = 1 unless told otherwise.
 */
export function fitBgNbd(
  observations: readonly RfmObservation[],
  options: { start?: BgNbdParams } = {},
): BgNbdFit {
  const groups = groupRfmObservations(observations);
  const customers = observations.length;
  if (customers === 0) throw new RangeError("no customers to fit");
  const start = toVector(options.start ?? { r: 1, alpha: 1, a: 1, b: 1 }).map(Math.log);
  const result = minimizeBfgs(
    (logParams) => {
      const natural = logParams.map(Math.exp);
      const { value, gradient } = bgNbdLogLikelihoodWithGradient(fromVector(natural), groups);
      return { value: -value / customers, gradient: gradient.map((g, i) => (-g * natural[i]) / customers) };
    },
    start,
    { gradientTolerance: 1e-10 },
  );
  const estimate = result.x.map(Math.exp);
  const hessian = hessianFromGradient(
    (v) => bgNbdLogLikelihoodWithGradient(fromVector(v), groups).gradient.map((g) => -g),
    estimate,
  );
  const covariance = covarianceFromHessian(hessian);
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

/** E[X(t)]: expected repeat purchases in (0, t] of a customer just acquired (FHL 2005, eq. 7). */
export function bgNbdExpectedPurchases(params: BgNbdParams, t: number): number {
  const { r, alpha, a, b } = params;
  if (t <= 0) return 0;
  const z = t / (alpha + t);
  return ((a + b - 1) / (a - 1)) * (1 - (alpha / (alpha + t)) ** r * hyp2f1(r, b, a + b - 1, z));
}

/** Probability that a customer with history (x, t_x, T) has not dropped out by T. */
export function bgNbdProbabilityAlive(params: BgNbdParams, customer: RfmObservation): number {
  const { r, alpha, a, b } = params;
  const { x, tx, T } = customer;
  if (x === 0) return 1;
  const logOdds = Math.log(a / (b + x - 1)) + (r + x) * (Math.log(alpha + T) - Math.log(alpha + tx));
  return 1 / (1 + Math.exp(logOdds));
}

/**
 * P(Y(t) = 0 | x, t_x, T): the probability of no purchase in (T, T + t]. A customer who has dropped out buys
 * nothing; one still alive (dropout happens only just after a purchase) buys nothing with probability e^{-λt},
 * averaged over λ's posterior given alive, Gamma(r + x, α + T).
 */
export function bgNbdProbabilityNoPurchase(params: BgNbdParams, t: number, customer: RfmObservation): number {
  if (t <= 0) return 1;
  const { r, alpha } = params;
  const { x, T } = customer;
  const alive = bgNbdProbabilityAlive(params, customer);
  return 1 - alive + alive * Math.exp((r + x) * Math.log((alpha + T) / (alpha + T + t)));
}

/** E[Y(t) | x, t_x, T]: expected purchases in (T, T + t] given the customer's history (FHL 2005, eq. 10). */
export function bgNbdConditionalExpectedPurchases(
  params: BgNbdParams,
  t: number,
  customer: RfmObservation,
): number {
  const { r, alpha, a, b } = params;
  const { x, T } = customer;
  if (t <= 0) return 0;
  const z = t / (alpha + T + t);
  const hyp = hyp2f1(r + x, b + x, a + b + x - 1, z);
  const head = 1 - Math.exp((r + x) * Math.log((alpha + T) / (alpha + T + t))) * hyp;
  return ((a + b + x - 1) / (a - 1)) * head * bgNbdProbabilityAlive(params, customer);
}

/** P(X(t) = n): probability that a new customer makes exactly n repeat purchases in (0, t] (FHL 2005, eq. 8). */
export function bgNbdPurchaseCountProbability(params: BgNbdParams, t: number, n: number): number {
  const { r, alpha, a, b } = params;
  if (!(Number.isInteger(n) && n >= 0)) throw new RangeError("n must be a non-negative integer");
  const lnBab = betaln(a, b);
  const lnP = Math.log(alpha / (alpha + t));
  const lnQ = Math.log(t / (alpha + t));
  // log of the NBD probability of j purchases while alive throughout (0, t].
  const lnNb = (j: number): number => gammaln(r + j) - gammaln(r) - gammaln(j + 1) + r * lnP + j * lnQ;
  const aliveThroughout = Math.exp(betaln(a, b + n) - lnBab + lnNb(n));
  if (n === 0) return aliveThroughout;
  return aliveThroughout + Math.exp(betaln(a + 1, b + n - 1) - lnBab) * nbdUpperTail(lnNb, n);
}

// P(N >= n) for the NBD; summed directly when the head is most of the mass, so tiny tails keep their digits.
function nbdUpperTail(lnNb: (j: number) => number, n: number): number {
  let head = 0;
  for (let j = 0; j < n; j++) head += Math.exp(lnNb(j));
  if (head < 0.5) return 1 - head;
  let tail = 0;
  for (let j = n; j < n + 100_000; j++) {
    const term = Math.exp(lnNb(j));
    tail += term;
    if (term < 1e-17 * tail && j > n + 10) break;
  }
  return tail;
}
