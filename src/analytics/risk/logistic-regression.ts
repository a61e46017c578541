import { Matrix, solve } from "ml-matrix";

/** A fitted logistic regression on standardised features: P(y = 1 | x) = 1 / (1 + exp(-(b0 + b·z))), z = (x - mean) / scale. */
export interface LogisticModel {
  intercept: number;
  coefficients: number[];
  means: number[];
  scales: number[];
  iterations: number;
  converged: boolean;
}

/**
 * Maximum-likelihood logistic regression with a small ridge penalty (`l2`, on standardised coefficients, not the
 * intercept) by Newton-Raphson. Features are standardised first, so the penalty treats them alike and the
 * coefficients read as "per standard deviation". The ridge keeps separable or collinear data from diverging.
 */
export function fitLogisticRegression(
  features: readonly (readonly number[])[],
  outcomes: readonly boolean[],
  options: { l2?: number; maxIterations?: number } = {},
): LogisticModel {
  const n = features.length;
  if (n === 0 || outcomes.length !== n) throw new RangeError("one outcome per row, and at least one row");
  const p = features[0].length;
  const l2 = options.l2 ?? 1;
  const means = Array.from({ length: p }, (_, j) => features.reduce((s, row) => s + row[j], 0) / n);
  const scales = Array.from({ length: p }, (_, j) => {
    const variance = features.reduce((s, row) => s + (row[j] - means[j]) ** 2, 0) / n;
    return variance > 0 ? Math.sqrt(variance) : 1;
  });
  const z = features.map((row) => row.map((v, j) => (v - means[j]) / scales[j]));
  // beta[0] is the intercept.
  let beta = new Array<number>(p + 1).fill(0);
  const positives = outcomes.filter(Boolean).length;
  beta[0] = Math.log((positives + 0.5) / (n - positives + 0.5));
  let iterations = 0;
  let converged = false;
  for (; iterations < (options.maxIterations ?? 50); iterations++) {
    const gradient = new Array<number>(p + 1).fill(0);
    const hessian = Array.from({ length: p + 1 }, () => new Array<number>(p + 1).fill(0));
    for (let i = 0; i < n; i++) {
      let eta = beta[0];
      for (let j = 0; j < p; j++) eta += beta[j + 1] * z[i][j];
      const mu = 1 / (1 + Math.exp(-eta));
      const w = mu * (1 - mu);
      const residual = (outcomes[i] ? 1 : 0) - mu;
      const row = [1, ...z[i]];
      for (let a = 0; a <= p; a++) {
        gradient[a] += residual * row[a];
        for (let b = 0; b <= a; b++) hessian[a][b] += w * row[a] * row[b];
      }
    }
    for (let a = 1; a <= p; a++) {
      gradient[a] -= l2 * beta[a];
      hessian[a][a] += l2;
    }
    for (let a = 0; a <= p; a++) for (let b = 0; b < a; b++) hessian[b][a] = hessian[a][b];
    const step = solve(new Matrix(hessian), Matrix.columnVector(gradient)).to1DArray();
    beta = beta.map((b, j) => b + step[j]);
    if (Math.max(...step.map(Math.abs)) < 1e-9) {
      converged = true;
      iterations++;
      break;
    }
  }
  return { intercept: beta[0], coefficients: beta.slice(1), means, scales, iterations, converged };
}

/** The model's linear predictor's parts: each feature's contribution (coefficient × standardised value). */
export function logisticContributions(model: LogisticModel, row: readonly number[]): number[] {
  return row.map((v, j) => (model.coefficients[j] * (v - model.means[j])) / model.scales[j]);
}

export function predictLogistic(model: LogisticModel, row: readonly number[]): number {
  const eta = logisticContributions(model, row).reduce((s, c) => s + c, model.intercept);
  return 1 / (1 + Math.exp(-eta));
}
