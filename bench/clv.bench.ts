// Model fit time: BG/NBD on CDNOW (2,357 customers) and on 1,000,000 simulated customers, and Cox (Efron ties) on
// 100,000 simulated subjects, each beside a plain baseline run in the same process.
// Usage: npm run bench -- clv [--customers N] [--cox-rows N] [--repeats N]
//
// Baselines (what "plain" means here):
// - BG/NBD: the same likelihood evaluated customer by customer (no grouping of identical (x, t_x, T), no gradient),
//   minimised by Nelder-Mead on log-parameters to the same optimum. On CDNOW that fit is run; at 1,000,000
//   customers it would take minutes, so the figure is one measured plain pass times the evaluations
//   Nelder-Mead needed on CDNOW (marked "extrapolated").
// - Cox: one evaluation of the Breslow log partial likelihood the textbook way, re-summing the risk set for
//   every event (O(n × events)), against the whole Efron Newton fit (which makes one O(n) pass per iteration).
import { readFileSync } from "node:fs";
import betaln from "@stdlib/math-base-special-betaln";
import gammaln from "@stdlib/math-base-special-gammaln";
import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { type BgNbdParams, fitBgNbd } from "../src/analytics/clv/bg-nbd.model.ts";
import { summarizeTransactions, type Transaction } from "../src/analytics/clv/customer-summary.ts";
import type { RfmObservation } from "../src/analytics/clv/rfm-groups.ts";
import { concordanceIndex, fitCoxProportionalHazards } from "../src/analytics/survival/cox-ph.model.ts";

function flag(args: string[], name: string, fallback: number): number {
  const index = args.indexOf(`--${name}`);
  return index >= 0 && args[index + 1] ? Number(args[index + 1]) : fallback;
}

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function time<T>(fn: () => T): { ms: number; value: T } {
  const started = performance.now();
  const value = fn();
  return { ms: performance.now() - started, value };
}

function timeMedian<T>(repeats: number, fn: () => T): { ms: number; value: T } {
  let value = fn(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const run = time(fn);
    samples.push(run.ms);
    value = run.value;
  }
  return { ms: median(samples), value };
}

function readCdnowSummaries(): RfmObservation[] {
  const text = readFileSync(
    new URL("../test/fixtures/analytics/cdnow/CDNOW_sample.txt", import.meta.url),
    "utf8",
  );
  const transactions: Transaction[] = text
    .split(/\r?\n/)
    .filter((line) => line.trim() !== "")
    .map((line) => {
      const [, id, ymd, , dollars] = line.trim().split(/\s+/);
      const date = new Date(
        Date.UTC(Number(ymd.slice(0, 4)), Number(ymd.slice(4, 6)) - 1, Number(ymd.slice(6, 8))),
      );
      return { customerId: id, date, amount: Number(dollars) };
    });
  return summarizeTransactions(transactions, {
    timeUnit: "week",
    calibrationEnd: new Date(Date.UTC(1997, 8, 30)),
  });
}

/** BG/NBD log-likelihood the plain way: one term per customer, value only (FHL 2005, eq. 6). */
function plainBgNbdLogLikelihood(p: BgNbdParams, customers: readonly RfmObservation[]): number {
  const { r, alpha, a, b } = p;
  const lnBab = betaln(a, b);
  const lnGammaR = gammaln(r);
  let total = 0;
  for (const { x, tx, T } of customers) {
    const a1 = gammaln(r + x) - lnGammaR + r * Math.log(alpha);
    const a2 = betaln(a, b + x) - lnBab - (r + x) * Math.log(alpha + T);
    if (x === 0) {
      total += a1 + a2;
      continue;
    }
    const a3 = betaln(a + 1, b + x - 1) - lnBab - (r + x) * Math.log(alpha + tx);
    const m = Math.max(a2, a3);
    total += a1 + m + Math.log(Math.exp(a2 - m) + Math.exp(a3 - m));
  }
  return total;
}

/** Nelder-Mead (standard coefficients) on an unconstrained vector; stops when the simplex values agree. */
function nelderMead(
  f: (v: number[]) => number,
  start: number[],
  options: { tolerance: number; maxEvaluations: number },
): { x: number[]; value: number; evaluations: number } {
  const n = start.length;
  let evaluations = 0;
  const evaluate = (v: number[]) => {
    evaluations++;
    const value = f(v);
    return Number.isFinite(value) ? value : Number.POSITIVE_INFINITY;
  };
  let simplex = [start, ...start.map((_, i) => start.map((s, j) => (i === j ? s + 0.5 : s)))].map((x) => ({
    x,
    value: evaluate(x),
  }));
  while (evaluations < options.maxEvaluations) {
    simplex.sort((p, q) => p.value - q.value);
    const best = simplex[0];
    const worst = simplex[n];
    if (Math.abs(worst.value - best.value) <= options.tolerance * (Math.abs(best.value) + 1e-12)) break;
    const centroid = start.map((_, j) => simplex.slice(0, n).reduce((s, p) => s + p.x[j], 0) / n);
    const along = (t: number) => centroid.map((c, j) => c + t * (worst.x[j] - c));
    const reflected = { x: along(-1), value: 0 };
    reflected.value = evaluate(reflected.x);
    if (reflected.value < best.value) {
      const expanded = { x: along(-2), value: 0 };
      expanded.value = evaluate(expanded.x);
      simplex[n] = expanded.value < reflected.value ? expanded : reflected;
    } else if (reflected.value < simplex[n - 1].value) {
      simplex[n] = reflected;
    } else {
      const contracted = { x: along(reflected.value < worst.value ? -0.5 : 0.5), value: 0 };
      contracted.value = evaluate(contracted.x);
      if (contracted.value < Math.min(worst.value, reflected.value)) simplex[n] = contracted;
      else {
        simplex = simplex.map((p, i) =>
          i === 0 ? p : { x: p.x.map((v, j) => best.x[j] + 0.5 * (v - best.x[j])), value: 0 },
        );
        for (let i = 1; i <= n; i++) simplex[i].value = evaluate(simplex[i].x);
      }
    }
  }
  simplex.sort((p, q) => p.value - q.value);
  return { x: simplex[0].x, value: simplex[0].value, evaluations };
}

type Rng = ReturnType<typeof xoroshiro128plus>;

function normal(rng: Rng): number {
  const u = 1 - uniformFloat64(rng);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniformFloat64(rng));
}

/** Gamma(shape, 1) by Marsaglia and Tsang, with the shape < 1 boost. */
function gammaVariate(rng: Rng, shape: number): number {
  if (shape < 1) return gammaVariate(rng, shape + 1) * (1 - uniformFloat64(rng)) ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const z = normal(rng);
    const v = (1 + c * z) ** 3;
    if (v <= 0) continue;
    const u = 1 - uniformFloat64(rng);
    if (Math.log(u) < 0.5 * z * z + d - d * v + d * Math.log(v)) return d * v;
  }
}

/**
 * Customers from the BG/NBD process at the given parameters, CDNOW-like: first purchases spread over the first
 * 12 weeks of a 39-week period, purchase times kept to whole days (so t_x and T are multiples of 1/7 week).
 */
function simulateBgNbd(params: BgNbdParams, customers: number, seed: number): RfmObservation[] {
  const rng = xoroshiro128plus(seed);
  const out: RfmObservation[] = new Array(customers);
  for (let i = 0; i < customers; i++) {
    const lambda = gammaVariate(rng, params.r) / params.alpha;
    const ga = gammaVariate(rng, params.a);
    const dropout = ga / (ga + gammaVariate(rng, params.b));
    const T = (273 - Math.floor(uniformFloat64(rng) * 84)) / 7;
    let t = 0;
    let x = 0;
    let tx = 0;
    for (;;) {
      t += -Math.log(1 - uniformFloat64(rng)) / lambda;
      if (t > T) break;
      x++;
      tx = Math.floor(t * 7) / 7;
      if (uniformFloat64(rng) < dropout) break; // BG/NBD: after each repeat purchase, inactive with probability p
    }
    out[i] = { x, tx, T };
  }
  return out;
}

function benchBgNbd(label: string, customers: RfmObservation[], repeats: number, nmEvaluations?: number) {
  const fit = timeMedian(repeats, () => fitBgNbd(customers));
  const pass = timeMedian(Math.max(3, Math.min(repeats, 10)), () =>
    plainBgNbdLogLikelihood(fit.value.params, customers),
  );
  let baseline: Record<string, unknown>;
  if (nmEvaluations === undefined) {
    const nm = time(() =>
      nelderMead(
        (v) =>
          -plainBgNbdLogLikelihood(
            { r: Math.exp(v[0]), alpha: Math.exp(v[1]), a: Math.exp(v[2]), b: Math.exp(v[3]) },
            customers,
          ),
        [0, 0, 0, 0],
        { tolerance: 1e-10, maxEvaluations: 5000 },
      ),
    );
    baseline = {
      method: "Nelder-Mead on the plain per-customer likelihood (no grouping, no gradient), run",
      ms: round(nm.ms),
      evaluations: nm.value.evaluations,
      logLikelihood: round(-nm.value.value, 4),
      params: nm.value.x.map((v) => round(Math.exp(v), 4)),
      plainPassMs: round(pass.ms, 3),
    };
    return {
      label,
      result: {
        customers: customers.length,
        groups: fit.value.groups,
        fitMs: round(fit.ms, 2),
        iterations: fit.value.iterations,
        logLikelihood: round(fit.value.logLikelihood, 4),
        params: fit.value.params,
        baseline,
        speedup: round(nm.ms / fit.ms, 1),
      },
      nmEvaluations: nm.value.evaluations,
    };
  }
  const extrapolated = pass.ms * nmEvaluations;
  baseline = {
    method: `plain per-customer pass (measured) × ${nmEvaluations} evaluations (what Nelder-Mead needed on CDNOW): extrapolated`,
    plainPassMs: round(pass.ms, 1),
    ms: round(extrapolated),
  };
  return {
    label,
    result: {
      customers: customers.length,
      groups: fit.value.groups,
      fitMs: round(fit.ms, 1),
      fitInPlainPasses: round(fit.ms / pass.ms, 2),
      iterations: fit.value.iterations,
      logLikelihood: round(fit.value.logLikelihood, 2),
      params: fit.value.params,
      baseline,
      speedup: round(extrapolated / fit.ms, 1),
    },
    nmEvaluations,
  };
}

/** Breslow log partial likelihood the textbook way: the risk set re-summed for every event. */
function naiveBreslowLogPartialLikelihood(time: Float64Array, event: Uint8Array, eta: Float64Array): number {
  const n = time.length;
  const w = new Float64Array(n);
  for (let j = 0; j < n; j++) w[j] = Math.exp(eta[j]);
  let value = 0;
  for (let i = 0; i < n; i++) {
    if (!event[i]) continue;
    let riskSet = 0;
    const ti = time[i];
    for (let j = 0; j < n; j++) if (time[j] >= ti) riskSet += w[j];
    value += eta[i] - Math.log(riskSet);
  }
  return value;
}

function benchCox(rows: number, seed: number) {
  const rng = xoroshiro128plus(seed);
  const beta = [0.5, -0.3, 0.05];
  const time: number[] = [];
  const event: boolean[] = [];
  const covariates: number[][] = [];
  for (let i = 0; i < rows; i++) {
    const x = [normal(rng), uniformFloat64(rng) < 0.5 ? 1 : 0, 10 * uniformFloat64(rng)];
    const hazard = 0.002 * Math.exp(x[0] * beta[0] + x[1] * beta[1] + x[2] * beta[2]);
    const eventDay = Math.ceil(-Math.log(1 - uniformFloat64(rng)) / hazard);
    const censorDay = Math.min(365, Math.ceil(uniformFloat64(rng) * 730));
    time.push(Math.min(eventDay, censorDay));
    event.push(eventDay <= censorDay);
    covariates.push(x);
  }
  const data = { time, event, covariates };
  const efron = time_(() => fitCoxProportionalHazards(data));
  const breslow = time_(() => fitCoxProportionalHazards(data, { ties: "breslow" }));
  const eta = covariates.map((x) => x.reduce((s, v, j) => s + v * efron.value.coefficients[j], 0));
  const concordance = time_(() => concordanceIndex(time, eta, event));
  const naive = time_(() =>
    naiveBreslowLogPartialLikelihood(
      Float64Array.from(time),
      Uint8Array.from(event, Number),
      Float64Array.from(eta),
    ),
  );
  const events = event.filter(Boolean).length;
  return {
    rows,
    events,
    distinctTimes: new Set(time).size,
    trueCoefficients: beta,
    coefficients: efron.value.coefficients.map((b) => round(b, 4)),
    efronFitMs: round(efron.ms),
    efronIterations: efron.value.iterations,
    breslowFitMs: round(breslow.ms),
    concordanceMs: round(concordance.ms),
    fitWithoutConcordanceMs: round(efron.ms - concordance.ms),
    baseline: {
      method:
        "one naive Breslow log partial likelihood evaluation, risk set re-summed per event: O(n × events)",
      ms: round(naive.ms),
    },
    ratioNaiveOneEvaluationToWholeFit: round(naive.ms / efron.ms, 2),
    note: "fitCoxProportionalHazards includes Harrell's C (O(n log n), Fenwick tree of risk ranks); concordanceMs is that part",
  };
}

const time_ = time;

export async function run(args: string[]): Promise<Record<string, unknown>> {
  const simulated = flag(args, "customers", 1_000_000);
  const coxRows = flag(args, "cox-rows", 100_000);
  const repeats = flag(args, "repeats", 20);
  const cdnowParams: BgNbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };

  const cdnow = benchBgNbd("cdnow", readCdnowSummaries(), repeats);
  console.error(`CDNOW: fit ${cdnow.result.fitMs} ms`);
  const sim = time(() => simulateBgNbd(cdnowParams, simulated, 42));
  console.error(`simulated ${simulated} customers in ${round(sim.ms)} ms`);
  const large = benchBgNbd("simulated", sim.value, 3, cdnow.nmEvaluations);
  console.error(`simulated: fit ${large.result.fitMs} ms`);
  const cox = benchCox(coxRows, 7);
  console.error(`Cox: fit ${cox.efronFitMs} ms`);
  return {
    bgNbd: {
      cdnow: cdnow.result,
      simulated: { ...large.result, simulatedAt: cdnowParams, simulationMs: round(sim.ms) },
      targets: { cdnowMs: 20, millionCustomersMs: 5000 },
    },
    cox,
  };
}
