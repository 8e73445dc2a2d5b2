/**
 * Confidence regions for a parameter estimated from n i.i.d. observations, built from the geometry:
 *   Wald ellipsoid     { θ : n (θ − θ̂)ᵀ g(θ̂) (θ − θ̂) ≤ c },
 *   geodesic ball      { θ : n d(θ̂, θ)² ≤ c }         (d the Fisher–Rao distance),
 *   likelihood ratio   { θ : 2 (ℓ(θ̂) − ℓ(θ)) ≤ c }     (ℓ the log-likelihood of the data),
 * with c = χ²_p(level), p the number of parameters: all three have asymptotic coverage `level`.
 * For 2-parameter families the boundaries are traced as closed curves: the Wald ellipse in closed
 * form, the ball as exp_θ̂(r u(φ)) with ‖u‖_g = 1 and r = √(c/n), and the likelihood-ratio boundary
 * by bracketing and bisection along the same directions (rays from θ̂; the region is star-shaped about
 * θ̂ for the families here — a ray that reaches the domain boundary first is reported as open).
 */
import { ConvergenceError } from '../../core/errors.js';
import { symmetricEigen } from '../../core/linalg.js';
import type { Metric } from '../../core/types.js';
import { chiSquareQuantile } from '../crb/chiSquareQuantile.js';
import { expMap } from '../geodesic/expMap.js';
import { distance } from '../geodesic/distance.js';

export type RegionKind = 'wald' | 'geodesic' | 'likelihood';

/** The threshold c = χ²_p(level). */
export function regionThreshold(p: number, level: number): number {
  if (!(level > 0 && level < 1)) throw new RangeError('the confidence level must be in (0, 1)');
  return chiSquareQuantile(level, p);
}

/** Unit-metric directions u_k = g^{-1/2} (cos φ_k, sin φ_k) at θ̂ (2 parameters). */
function unitDirections(metric: Metric, at: ArrayLike<number>, count: number): Float64Array[] {
  if (metric.dim !== 2) throw new RangeError('region boundaries are traced for 2-parameter families only');
  const { values, vectors } = symmetricEigen(metric.fisher(at), 2);
  if (!(values[0] > 0 && values[1] > 0)) throw new ConvergenceError('the Fisher metric is not positive definite at the estimate');
  const out: Float64Array[] = [];
  for (let k = 0; k < count; k++) {
    const phi = (2 * Math.PI * k) / count;
    const a = Math.cos(phi) / Math.sqrt(values[0]);
    const b = Math.sin(phi) / Math.sqrt(values[1]);
    // columns of `vectors` are eigenvectors (row-major: vectors[i*2 + j] = component i of vector j)
    out.push(Float64Array.of(vectors[0] * a + vectors[1] * b, vectors[2] * a + vectors[3] * b));
  }
  return out;
}

export interface RegionBoundary {
  kind: RegionKind;
  /** Boundary points (closed curve, first point not repeated). */
  points: Float64Array[];
  /** Directions in which the region reaches the domain boundary (open there), as indices into points. */
  open: number[];
}

export function waldBoundary(metric: Metric, thetaHat: ArrayLike<number>, n: number, c: number, count = 96): RegionBoundary {
  const r = Math.sqrt(c / n);
  const points = unitDirections(metric, thetaHat, count).map((u) => Float64Array.of(thetaHat[0] + r * u[0], thetaHat[1] + r * u[1]));
  return { kind: 'wald', points, open: [] };
}

export function geodesicBallBoundary(metric: Metric, thetaHat: ArrayLike<number>, n: number, c: number, count = 96): RegionBoundary {
  const r = Math.sqrt(c / n);
  const points: Float64Array[] = [];
  const open: number[] = [];
  unitDirections(metric, thetaHat, count).forEach((u, k) => {
    const e = expMap(metric, thetaHat, [r * u[0], r * u[1]]);
    if (!e.converged) open.push(k);
    points.push(e.value);
  });
  return { kind: 'geodesic', points, open };
}

/**
 * Likelihood-ratio boundary: along each ray θ̂ + s u_k, the s > 0 where 2(ℓ(θ̂) − ℓ) = c
 * (bracketed by doubling from the Wald radius, then bisection to 1e-12 relative).
 */
export function likelihoodRatioBoundary(metric: Metric, logLik: (theta: Float64Array) => number, thetaHat: ArrayLike<number>, n: number, c: number, count = 96): RegionBoundary {
  const l0 = logLik(Float64Array.from(thetaHat));
  const points: Float64Array[] = [];
  const open: number[] = [];
  const r0 = Math.sqrt(c / n);
  unitDirections(metric, thetaHat, count).forEach((u, k) => {
    const at = (s: number) => Float64Array.of(thetaHat[0] + s * u[0], thetaHat[1] + s * u[1]);
    const excess = (s: number): number => {
      const t = at(s);
      if (metric.checkPoint(t) !== null) return Infinity;
      return 2 * (l0 - logLik(t)) - c;
    };
    let lo = 0;
    let hi = r0;
    let fhi = excess(hi);
    for (let i = 0; i < 60 && fhi < 0; i++) {
      lo = hi;
      hi *= 2;
      fhi = excess(hi);
    }
    if (fhi < 0) {
      open.push(k);
      points.push(at(lo));
      return;
    }
    for (let i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
      const mid = 0.5 * (lo + hi);
      if (excess(mid) < 0) lo = mid;
      else hi = mid;
    }
    // a ray that met the domain boundary (excess = ∞) before the level is open there
    if (metric.checkPoint(at(hi * (1 + 1e-9))) !== null && excess(hi * (1 - 1e-9)) < 0) open.push(k);
    points.push(at(0.5 * (lo + hi)));
  });
  return { kind: 'likelihood', points, open };
}

/** Membership tests of the three regions (for coverage studies). */
export function regionContains(
  kind: RegionKind,
  metric: Metric,
  thetaHat: ArrayLike<number>,
  theta: ArrayLike<number>,
  n: number,
  c: number,
  logLik?: (theta: Float64Array) => number,
): boolean {
  const p = metric.dim;
  if (kind === 'wald') {
    const g = metric.fisher(thetaHat);
    let q = 0;
    for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) q += (theta[i] - thetaHat[i]) * g[i * p + j] * (theta[j] - thetaHat[j]);
    return n * q <= c;
  }
  if (kind === 'geodesic') {
    const d = distance(metric, thetaHat, theta);
    if (!d.converged) throw new ConvergenceError(`Fisher–Rao distance did not converge: ${d.message ?? ''}`);
    return n * d.value * d.value <= c;
  }
  if (!logLik) throw new RangeError('the likelihood-ratio region needs the log-likelihood');
  return 2 * (logLik(Float64Array.from(thetaHat)) - logLik(Float64Array.from(theta))) <= c;
}
