/**
 * Small data sets for the softmax demo: Fisher's iris (bundled in ./irisData.ts,
 * 150 × 4, three classes) and seeded synthetic Gaussian blobs. Features are standardised
 * (zero mean, unit variance per column) so that plain gradient descent is well scaled.
 */
import { IRIS_CLASSES, IRIS_TEXT } from './irisData.js';
import { createRng } from './rng.js';
import type { SoftmaxData } from './softmaxRegression.js';

export interface NamedData extends SoftmaxData {
  readonly name: string;
  readonly classNames: readonly string[];
}

/** In place: each column of the N×D matrix to zero mean and unit (population) variance. */
export function standardize(X: Float64Array, N: number, D: number): void {
  for (let j = 0; j < D; j++) {
    let m = 0;
    for (let n = 0; n < N; n++) m += X[n * D + j];
    m /= N;
    let v = 0;
    for (let n = 0; n < N; n++) v += (X[n * D + j] - m) ** 2;
    const s = Math.sqrt(v / N) || 1;
    for (let n = 0; n < N; n++) X[n * D + j] = (X[n * D + j] - m) / s;
  }
}

/** Iris: 150 flowers, D = 4 measurements (standardised), C = 3 species. */
export function irisData(): NamedData {
  const values = IRIS_TEXT.split(/[\s|]+/).filter((t) => t !== '').map(Number);
  const D = 4, N = values.length / D;
  const X = Float64Array.from(values);
  standardize(X, N, D);
  const y = Int32Array.from({ length: N }, (_, n) => Math.floor(n / 50));
  return { name: 'iris', C: 3, D, N, X, y, classNames: [...IRIS_CLASSES] };
}

/**
 * C Gaussian blobs in D dimensions: class means drawn from N(0, spread² I), points from
 * N(mean_c, I); N points with balanced labels (n mod C), then standardised. Deterministic per seed.
 */
export function syntheticData(C = 5, D = 20, N = 500, seed = 1, spread = 0.5): NamedData {
  const rng = createRng(seed);
  const means = Float64Array.from({ length: C * D }, () => spread * rng.normal());
  const X = new Float64Array(N * D);
  const y = new Int32Array(N);
  for (let n = 0; n < N; n++) {
    const c = n % C;
    y[n] = c;
    for (let j = 0; j < D; j++) X[n * D + j] = means[c * D + j] + rng.normal();
  }
  standardize(X, N, D);
  return { name: `synthetic(C=${C},D=${D},N=${N},seed=${seed})`, C, D, N, X, y, classNames: Array.from({ length: C }, (_, c) => `class${c}`) };
}
