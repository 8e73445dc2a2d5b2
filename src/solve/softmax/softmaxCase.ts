/**
 * The `case.json` format of `infogeo softmax natgrad` (docs/softmax.md):
 * { "W": [[...D numbers] × C], "b": [C numbers], "X": [[...D numbers] × N], "y": [N integers in 0..C−1] }.
 * Parsed into a data set and θ = vec_rowmajor([W | b]).
 */
import { UsageError } from '../../core/errors.js';
import type { SoftmaxData } from './softmaxRegression.js';

export interface SoftmaxCase {
  data: SoftmaxData;
  /** θ = vec_rowmajor([W | b]), length C·(D+1). */
  theta: Float64Array;
}

function numberMatrix(v: unknown, what: string, cols?: number): number[][] {
  if (!Array.isArray(v) || v.length === 0) throw new UsageError(`case field "${what}" must be a non-empty array of rows`);
  const width = cols ?? (Array.isArray(v[0]) ? v[0].length : -1);
  v.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== width) throw new UsageError(`case field "${what}[${i}]" must be an array of ${width} numbers`);
    row.forEach((x, j) => {
      if (typeof x !== 'number' || !Number.isFinite(x)) throw new UsageError(`case field "${what}[${i}][${j}]" must be a finite number`);
    });
  });
  return v as number[][];
}

/**
 * Largest magnitude accepted for the logits W x + b and for the products x_j x_k of the Fisher kernels
 * (float64; float32 storage: {@link SOFTMAX_LIMIT_FLOAT32}). Larger inputs would overflow to ±Infinity/NaN.
 */
export const SOFTMAX_LIMIT_FLOAT64 = 1e300;
export const SOFTMAX_LIMIT_FLOAT32 = 1e36;

/**
 * Throws a UsageError naming the first example whose logits |W x_n + b| (bounded by Σ_j |W_cj x_nj| + |b_c|)
 * or Fisher products (1 + Σ_j |x_nj|)² can exceed `limit`, instead of computing ±Infinity/NaN silently.
 */
export function checkSoftmaxRange(c: SoftmaxCase, limit = SOFTMAX_LIMIT_FLOAT64): void {
  const { C, D, N, X } = c.data;
  const Dp = D + 1;
  for (let n = 0; n < N; n++) {
    let l1 = 1;
    for (let j = 0; j < D; j++) l1 += Math.abs(X[n * D + j]);
    if (!(l1 * l1 <= limit)) throw new UsageError(`case field "X[${n}]" is too large: the Fisher products x·xᵀ would overflow (‖x‖₁ = ${l1 - 1}; limit √${limit})`);
    for (let k = 0; k < C; k++) {
      let b = Math.abs(c.theta[k * Dp + D]);
      for (let j = 0; j < D; j++) b += Math.abs(c.theta[k * Dp + j] * X[n * D + j]);
      if (!(b <= limit)) throw new UsageError(`case fields "W", "b", "X[${n}]": the logit of class ${k} can reach ${b} and would overflow (limit ${limit})`);
    }
  }
}

/** Validates a parsed case object; every problem is a UsageError naming the field. */
export function parseSoftmaxCase(obj: unknown): SoftmaxCase {
  if (typeof obj !== 'object' || obj === null) throw new UsageError('case must be a JSON object with fields W, b, X, y');
  const o = obj as Record<string, unknown>;
  const W = numberMatrix(o.W, 'W');
  const C = W.length, D = W[0].length;
  if (C < 2) throw new UsageError(`case field "W" must have at least 2 rows (classes), got ${C}`);
  if (D < 1) throw new UsageError('case field "W" rows must be non-empty');
  const bRaw = o.b ?? new Array(C).fill(0);
  if (!Array.isArray(bRaw) || bRaw.length !== C || bRaw.some((x) => typeof x !== 'number' || !Number.isFinite(x))) {
    throw new UsageError(`case field "b" must be an array of C = ${C} finite numbers`);
  }
  const X = numberMatrix(o.X, 'X', D);
  const N = X.length;
  if (!Array.isArray(o.y) || o.y.length !== N) throw new UsageError(`case field "y" must be an array of N = ${N} labels`);
  const y = o.y as unknown[];
  y.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= C) throw new UsageError(`case field "y[${i}]" must be an integer in 0..${C - 1}`);
  });
  const Dp = D + 1;
  const theta = new Float64Array(C * Dp);
  for (let c = 0; c < C; c++) {
    for (let j = 0; j < D; j++) theta[c * Dp + j] = W[c][j];
    theta[c * Dp + D] = bRaw[c] as number;
  }
  const Xf = new Float64Array(N * D);
  X.forEach((row, n) => row.forEach((x, j) => (Xf[n * D + j] = x)));
  return { data: { C, D, N, X: Xf, y: Int32Array.from(y as number[]) }, theta };
}
