/** A smooth objective: its value and gradient at a point. */
export type Objective = (x: readonly number[]) => { value: number; gradient: number[] };

export interface BfgsOptions {
  /** Stop when every gradient component is at most this in absolute value. */
  gradientTolerance?: number;
  maxIterations?: number;
}

export interface BfgsResult {
  x: number[];
  value: number;
  gradient: number[];
  iterations: number;
  converged: boolean;
}

const dot = (u: readonly number[], v: readonly number[]): number => {
  let s = 0;
  for (let i = 0; i < u.length; i++) s += u[i] * v[i];
  return s;
};

/**
 * Minimises a smooth function with BFGS (dense inverse-Hessian update) and a weak-Wolfe bisection line search
 * (Lewis & Overton 2013). Points where the objective is not finite are treated as too far and bisected back.
 * Meant for the handful of parameters of the CLV and survival models; no library on npm is both maintained
 * and offers a quasi-Newton method with a Wolfe line search.
 */
export function minimizeBfgs(
  objective: Objective,
  x0: readonly number[],
  options: BfgsOptions = {},
): BfgsResult {
  const gtol = options.gradientTolerance ?? 1e-8;
  const maxIterations = options.maxIterations ?? 500;
  const n = x0.length;
  let x = [...x0];
  let { value, gradient } = objective(x);
  if (!Number.isFinite(value)) throw new RangeError("objective is not finite at the starting point");
  // Inverse Hessian approximation, identity until the first step rescales it.
  let h: number[][] = Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)),
  );
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    if (Math.max(...gradient.map(Math.abs)) <= gtol)
      return { x, value, gradient, iterations, converged: true };
    let direction = h.map((row) => -dot(row, gradient));
    let slope = dot(direction, gradient);
    if (!(slope < 0)) {
      // The approximation lost positive definiteness: restart along steepest descent.
      h = h.map((row, i) => row.map((_, j) => (i === j ? 1 : 0)));
      direction = gradient.map((g) => -g);
      slope = dot(direction, gradient);
    }
    const step = wolfeLineSearch(objective, x, value, slope, direction);
    if (step === undefined) {
      return { x, value, gradient, iterations, converged: Math.max(...gradient.map(Math.abs)) <= gtol * 1e3 };
    }
    const s = step.x.map((xi, i) => xi - x[i]);
    const y = step.gradient.map((gi, i) => gi - gradient[i]);
    const sy = dot(s, y);
    if (sy > 1e-300) {
      if (iterations === 0) {
        const scale = sy / dot(y, y);
        h = h.map((row) => row.map((v) => v * scale));
      }
      const hy = h.map((row) => dot(row, y));
      const yhy = dot(y, hy);
      const rho = 1 / sy;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          h[i][j] += (1 + yhy * rho) * rho * s[i] * s[j] - rho * (hy[i] * s[j] + s[i] * hy[j]);
        }
      }
    }
    const improvement = value - step.value;
    x = step.x;
    value = step.value;
    gradient = step.gradient;
    if (
      improvement <= 1e-15 * Math.max(1, Math.abs(value)) &&
      Math.max(...gradient.map(Math.abs)) <= gtol * 1e3
    ) {
      return { x, value, gradient, iterations: iterations + 1, converged: true };
    }
  }
  return { x, value, gradient, iterations, converged: Math.max(...gradient.map(Math.abs)) <= gtol };
}

function wolfeLineSearch(
  objective: Objective,
  x: readonly number[],
  value: number,
  slope: number,
  direction: readonly number[],
): { x: number[]; value: number; gradient: number[] } | undefined {
  const c1 = 1e-4;
  const c2 = 0.9;
  let lo = 0;
  let hi = Number.POSITIVE_INFINITY;
  let t = 1;
  for (let k = 0; k < 60; k++) {
    const candidate = x.map((xi, i) => xi + t * direction[i]);
    const trial = objective(candidate);
    if (!Number.isFinite(trial.value) || trial.value > value + c1 * t * slope) {
      hi = t;
    } else if (dot(trial.gradient, direction) < c2 * slope) {
      lo = t;
    } else {
      return { x: candidate, value: trial.value, gradient: trial.gradient };
    }
    t = hi < Number.POSITIVE_INFINITY ? (lo + hi) / 2 : 2 * lo;
  }
  return undefined;
}
