/**
 * Fréchet (Karcher) mean of points p_1 … p_N with weights w_i (Σ w = 1) under the Fisher–Rao
 * distance: the minimiser of F(x) = ½ Σ w_i d(x, p_i)², found by Riemannian gradient descent
 *   x ← exp_x(τ · Σ w_i log_x(p_i))
 * (−grad F = Σ w_i log_x p_i), with τ = 1 (the classical Karcher iteration) at first and
 * Barzilai–Borwein steps after, halved whenever F does not decrease. Stops when ‖Σ w_i log_x p_i‖_g ≤ tol · (1 + spread), spread = max_i ‖log_x p_i‖_g.
 */
import { ConvergenceError } from '../../core/errors.js';
import type { Metric } from '../../core/types.js';
import { expMap, metricNorm } from './expMap.js';
import { logMap } from './logMap.js';

export interface MeanOptions {
  weights?: readonly number[];
  /** Start point (default: the weighted coordinate mean when inside the domain, else the first point). */
  start?: ArrayLike<number>;
  tol?: number;
  maxIterations?: number;
}

export interface MeanResult {
  mean: Float64Array;
  /** ‖Σ w_i log_x p_i‖_g at the result (the Riemannian gradient norm). */
  gradientNorm: number;
  /** F(x) = ½ Σ w_i d(x, p_i)². */
  variance: number;
  iterations: number;
}

export function frechetMean(metric: Metric, points: readonly ArrayLike<number>[], opts: MeanOptions = {}): MeanResult {
  const n = metric.dim;
  const N = points.length;
  if (N === 0) throw new RangeError('the mean of no points is undefined');
  const raw = opts.weights ?? points.map(() => 1);
  const total = raw.reduce((s, w) => s + w, 0);
  if (raw.length !== N || raw.some((w) => !(w >= 0)) || !(total > 0)) throw new RangeError('weights must be non-negative, one per point, with a positive sum');
  const w = raw.map((v) => v / total);
  let x: Float64Array;
  if (opts.start) x = Float64Array.from(opts.start);
  else {
    x = new Float64Array(n);
    points.forEach((p, i) => {
      for (let k = 0; k < n; k++) x[k] += w[i] * p[k];
    });
    if (metric.checkPoint(x) !== null) x = Float64Array.from(points[0]);
  }
  const tol = opts.tol ?? 1e-12;
  const maxIt = opts.maxIterations ?? 200;
  const tangent = (at: Float64Array) => {
    const g = new Float64Array(n);
    let F = 0;
    let spread = 0;
    for (let i = 0; i < N; i++) {
      const r = logMap(metric, at, points[i]);
      if (!r.converged) throw new ConvergenceError(`Fréchet mean: log map to point ${i + 1} failed: ${r.message ?? 'no convergence'}`);
      const len = metricNorm(metric, at, r.value);
      F += 0.5 * w[i] * len * len;
      spread = Math.max(spread, len);
      for (let k = 0; k < n; k++) g[k] += w[i] * r.value[k];
    }
    return { g, F, spread };
  };
  let cur = tangent(x);
  // Step length: 1 (Karcher's iteration) first, then Barzilai–Borwein τ = ⟨s, s⟩_g / ⟨s, y⟩_g from the
  // last step s = τ·G_k and gradient change y = G_k − G_{k+1} (coordinates of nearby tangent spaces,
  // compared directly: a step-length heuristic only; every step must still decrease F).
  let tau = 1;
  for (let it = 0; it < maxIt; it++) {
    const gn = metricNorm(metric, x, cur.g);
    if (gn <= tol * (1 + cur.spread)) return { mean: x, gradientNorm: gn, variance: cur.F, iterations: it };
    let moved = false;
    for (let h = 0; h < 40; h++, tau /= 2) {
      const step = cur.g.map((v) => tau * v);
      const e = expMap(metric, x, step);
      if (!e.converged) continue;
      const next = tangent(e.value);
      if (next.F <= cur.F) {
        const G = metric.fisher(e.value);
        let ss = 0;
        let sy = 0;
        for (let i = 0; i < n; i++)
          for (let j = 0; j < n; j++) {
            ss += step[i] * G[i * n + j] * step[j];
            sy += step[i] * G[i * n + j] * (cur.g[j] - next.g[j]);
          }
        x = e.value;
        cur = next;
        moved = true;
        tau = sy > 0 ? Math.min(10, Math.max(1e-3, ss / sy)) : 1;
        break;
      }
    }
    if (!moved) {
      // No step decreases F: the iterate is at the attainable floor, acceptable only if the gradient is small.
      if (gn <= 1e-8 * (1 + cur.spread)) return { mean: x, gradientNorm: gn, variance: cur.F, iterations: it };
      throw new ConvergenceError(`Fréchet mean stalled with gradient norm ${gn.toExponential(2)}`);
    }
  }
  throw new ConvergenceError(`Fréchet mean did not converge in ${maxIt} iterations`);
}
