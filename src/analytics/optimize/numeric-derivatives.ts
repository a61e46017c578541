import { inverse, Matrix } from "ml-matrix";

/** Central-difference gradient, with steps relative to each coordinate. */
export function finiteDifferenceGradient(
  f: (x: readonly number[]) => number,
  x: readonly number[],
): number[] {
  return x.map((xi, i) => {
    const h = 1e-6 * Math.max(1, Math.abs(xi));
    const up = [...x];
    const down = [...x];
    up[i] = xi + h;
    down[i] = xi - h;
    return (f(up) - f(down)) / (2 * h);
  });
}

/** Hessian by central differences of an analytic gradient, symmetrised. */
export function hessianFromGradient(
  gradient: (x: readonly number[]) => number[],
  x: readonly number[],
): number[][] {
  const n = x.length;
  const columns = x.map((xi, j) => {
    const h = 1e-5 * Math.max(1, Math.abs(xi));
    const up = [...x];
    const down = [...x];
    up[j] = xi + h;
    down[j] = xi - h;
    const gu = gradient(up);
    const gd = gradient(down);
    return gu.map((g, i) => (g - gd[i]) / (2 * h));
  });
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => (columns[j][i] + columns[i][j]) / 2),
  );
}

/** Hessian by second-order central differences of the function value alone. */
export function hessianFromValue(f: (x: readonly number[]) => number, x: readonly number[]): number[][] {
  const n = x.length;
  const h = x.map((xi) => 1e-4 * Math.max(1, Math.abs(xi)));
  const at = (di: number, si: number, dj: number, sj: number): number => {
    const p = [...x];
    p[di] += si * h[di];
    p[dj] += sj * h[dj];
    return f(p);
  };
  const f0 = f(x);
  const hess = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    hess[i][i] = (at(i, 1, i, 1) - 2 * f0 + at(i, -1, i, -1)) / (4 * h[i] * h[i]);
    for (let j = 0; j < i; j++) {
      const v = (at(i, 1, j, 1) - at(i, 1, j, -1) - at(i, -1, j, 1) + at(i, -1, j, -1)) / (4 * h[i] * h[j]);
      hess[i][j] = v;
      hess[j][i] = v;
    }
  }
  return hess;
}

/** Covariance of maximum-likelihood estimates: the inverse of the Hessian of the negative log-likelihood. */
export function covarianceFromHessian(hessian: readonly (readonly number[])[]): number[][] {
  return inverse(new Matrix(hessian.map((row) => [...row]))).to2DArray();
}

/** Standard errors: square roots of the covariance diagonal (NaN where the Hessian is not positive definite). */
export function standardErrorsFromCovariance(covariance: readonly (readonly number[])[]): number[] {
  return covariance.map((row, i) => (row[i] > 0 ? Math.sqrt(row[i]) : Number.NaN));
}
