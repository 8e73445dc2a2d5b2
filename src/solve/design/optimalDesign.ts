/**
 * Locally optimal approximate designs ξ = {(z_s, w_s)}, Σ w_s = 1, for a model at a parameter guess θ,
 * with information matrix M(ξ) = Σ w_s I_{z_s}(θ). Criteria and their sensitivity functions
 * (equivalence theorem of Kiefer–Wolfowitz: ξ is optimal iff d(z, ξ) ≤ bound on the whole region, with
 * equality at the support points):
 *   D: maximise log det M          d(z) = tr(M⁻¹ I_z)          bound p
 *   A: minimise tr M⁻¹             d(z) = tr(M⁻¹ I_z M⁻¹)      bound tr M⁻¹
 *   E: maximise λ_min(M), through Kiefer's φ_64 (see `criterion`), sensitivity tr(M^{-65} I_z) ≤ tr M^{-64}
 * Algorithm: (1) the multiplicative algorithm on a grid of candidates (w_k ← w_k (d_k / bound)^ρ, ρ = 1
 * for D, ½ for A and E), started from uniform weights; (2) refinement off the grid: the support points
 * with weight are merged, then alternately the weights are re-optimised on the support and each
 * support point is moved to the local maximum of d(z) (golden-section search per coordinate, within the
 * region), until the support stops moving. The result carries the equivalence check: max d(z) − bound
 * over a fine grid of the region (refined at its local maxima) and d at every support point.
 */
import { ConvergenceError, UsageError } from '../../core/errors.js';
import { inverse, symmetricEigen } from '../../core/linalg.js';
import type { DataPoint } from '../../core/types.js';
import type { Design } from '../../declare/design.js';

export type DesignCriterion = 'D' | 'A' | 'E';

/** What the optimiser needs from a compiled model. */
export interface DesignModel {
  readonly dim: number;
  readonly covariates: readonly string[];
  pointFisher(z: DataPoint, theta: ArrayLike<number>, out?: Float64Array): Float64Array;
}

export interface DesignRegion {
  /** Lower and upper bound of each covariate. */
  readonly lo: readonly number[];
  readonly hi: readonly number[];
}

export interface OptimalDesignOptions {
  readonly criterion?: DesignCriterion;
  /** Grid points per covariate for the first phase (default 201 for one covariate, 41 for two, 15 for three). */
  readonly grid?: number;
  /** Skip the off-grid refinement (pure grid design). */
  readonly gridOnly?: boolean;
}

export interface EquivalenceCheck {
  /** max over the region of d(z) (fine grid + local refinement). */
  readonly maxSensitivity: number;
  readonly argmax: readonly number[];
  readonly bound: number;
  /** d(z_s) at each support point. */
  readonly atSupport: readonly number[];
  /** max d − bound, relative to the bound (≤ ~1e-8 for an optimal design). */
  readonly gap: number;
}

export interface OptimalDesignResult {
  readonly criterion: DesignCriterion;
  readonly design: Design;
  /** log det M (D), tr M⁻¹ (A) or λ_min (E). */
  readonly value: number;
  readonly check: EquivalenceCheck;
  readonly iterations: number;
}

interface Crit {
  value(M: Float64Array): number;
  /** sensitivity closure at M and its bound. */
  sens(M: Float64Array): { d: (I: Float64Array) => number; bound: number };
  better(a: number, b: number): boolean;
  rho: number;
}

function criterion(kind: DesignCriterion, p: number): Crit {
  const tr = (a: Float64Array, b: Float64Array) => {
    let s = 0;
    for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) s += a[i * p + j] * b[j * p + i];
    return s;
  };
  if (kind === 'D')
    return {
      value: (M) => {
        const e = symmetricEigen(M, p).values;
        let s = 0;
        for (const v of e) s += Math.log(v);
        return e[0] > 0 ? s : -Infinity;
      },
      sens: (M) => {
        const Mi = inverse(M, p);
        return { d: (I) => tr(Mi, I), bound: p };
      },
      better: (a, b) => a > b,
      rho: 1,
    };
  if (kind === 'A')
    return {
      value: (M) => {
        const e = symmetricEigen(M, p).values;
        return e[0] > 0 ? e.reduce((s, v) => s + 1 / v, 0) : Infinity;
      },
      sens: (M) => {
        const Mi = inverse(M, p);
        const Mi2 = new Float64Array(p * p);
        for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) for (let k = 0; k < p; k++) Mi2[i * p + j] += Mi[i * p + k] * Mi[k * p + j];
        let t = 0;
        for (let i = 0; i < p; i++) t += Mi[i * p + i];
        return { d: (I) => tr(Mi2, I), bound: t };
      },
      better: (a, b) => a < b,
      rho: 0.5,
    };
  // E: λ_min is not differentiable where the smallest eigenvalue is multiple (e.g. M ∝ I), so the
  // design maximises Kiefer's φ_q(M) = (tr M^{-q} / p)^{-1/q} with q = 64, which tends to λ_min; its
  // sensitivity tr(M^{-q-1} I_z) ≤ tr M^{-q} is evaluated in the scaled form Λ ↦ (λ_min/Λ)^{q}.
  const q = 64;
  return {
    value: (M) => symmetricEigen(M, p).values[0],
    sens: (M) => {
      const { values, vectors } = symmetricEigen(M, p);
      const l0 = values[0];
      const W = new Float64Array(p * p);
      let bound = 0;
      for (let k = 0; k < p; k++) {
        const r = l0 / values[k];
        bound += r ** q;
        const c = r ** (q + 1) / l0;
        for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) W[i * p + j] += c * vectors[i * p + k] * vectors[j * p + k];
      }
      return { d: (I) => tr(W, I), bound };
    },
    better: (a, b) => a > b,
    rho: 0.5,
  };
}

function gridPoints(region: DesignRegion, perAxis: number): number[][] {
  const m = region.lo.length;
  const axes = region.lo.map((lo, j) => Array.from({ length: perAxis }, (_, i) => lo + ((region.hi[j] - lo) * i) / (perAxis - 1)));
  const out: number[][] = [];
  const total = perAxis ** m;
  for (let k = 0; k < total; k++) {
    let r = k;
    const z = new Array<number>(m);
    for (let j = m - 1; j >= 0; j--) {
      z[j] = axes[j][r % perAxis];
      r = Math.floor(r / perAxis);
    }
    out.push(z);
  }
  return out;
}

const zArg = (z: readonly number[]): DataPoint => (z.length === 1 ? z[0] : Float64Array.from(z));

function info(model: DesignModel, theta: ArrayLike<number>, pts: readonly (readonly number[])[], w: ArrayLike<number>): Float64Array {
  const p = model.dim;
  const M = new Float64Array(p * p);
  const buf = new Float64Array(p * p);
  pts.forEach((z, k) => {
    if (w[k] === 0) return;
    model.pointFisher(zArg(z), theta, buf);
    for (let i = 0; i < p * p; i++) M[i] += w[k] * buf[i];
  });
  return M;
}

/** Multiplicative weight updates on fixed points; returns the weights. */
function multiplicative(crit: Crit, Is: readonly Float64Array[], w0: Float64Array, maxIter: number, tol: number): { w: Float64Array; iterations: number } {
  const K = Is.length;
  const p = Math.round(Math.sqrt(Is[0].length));
  const w = Float64Array.from(w0);
  const M = new Float64Array(p * p);
  let it = 0;
  for (; it < maxIter; it++) {
    M.fill(0);
    for (let k = 0; k < K; k++) if (w[k] > 0) for (let i = 0; i < p * p; i++) M[i] += w[k] * Is[k][i];
    const { d, bound } = crit.sens(M);
    let maxd = 0;
    let s = 0;
    const dk = new Float64Array(K);
    for (let k = 0; k < K; k++) {
      dk[k] = Math.max(0, d(Is[k]));
      maxd = Math.max(maxd, dk[k]);
    }
    if (!Number.isFinite(maxd) || !(bound > 0)) throw new ConvergenceError('the information matrix is singular: the design cannot estimate every parameter (more distinct points needed)');
    if (maxd <= bound * (1 + tol)) break;
    for (let k = 0; k < K; k++) {
      w[k] *= (dk[k] / bound) ** crit.rho;
      s += w[k];
    }
    for (let k = 0; k < K; k++) w[k] /= s;
  }
  return { w, iterations: it };
}

/** Golden-section maximisation of f on [a, b]. */
function goldenMax(f: (x: number) => number, a: number, b: number, tol: number): number {
  const r = (Math.sqrt(5) - 1) / 2;
  let x1 = b - r * (b - a);
  let x2 = a + r * (b - a);
  let f1 = f(x1);
  let f2 = f(x2);
  while (b - a > tol * (1 + Math.abs(a) + Math.abs(b))) {
    if (f1 < f2) {
      a = x1;
      x1 = x2;
      f1 = f2;
      x2 = a + r * (b - a);
      f2 = f(x2);
    } else {
      b = x2;
      x2 = x1;
      f2 = f1;
      x1 = b - r * (b - a);
      f1 = f(x1);
    }
  }
  const x = 0.5 * (a + b);
  // keep an end point when it is the maximiser (support points on the boundary)
  let best = x;
  let fb = f(x);
  for (const e of [a, b]) {
    const fe = f(e);
    if (fe > fb) {
      fb = fe;
      best = e;
    }
  }
  return best;
}

/** The sensitivity function I_z ↦ d(z, ξ) of a design and criterion (for plots), with the weights normalised. */
export function sensitivityFunction(model: DesignModel, theta: ArrayLike<number>, design: Design, kind: DesignCriterion): (I: Float64Array) => number {
  const m = design.covariates.length;
  const pts = Array.from({ length: design.size }, (_, k) => Array.from(design.points.subarray(k * m, (k + 1) * m)));
  const total = design.weights.reduce((s, v) => s + v, 0);
  return criterion(kind, model.dim).sens(info(model, theta, pts, design.weights.map((v) => v / total))).d;
}

/** Equivalence-theorem check of a design on a region. */
export function equivalenceCheck(model: DesignModel, theta: ArrayLike<number>, design: Design, region: DesignRegion, kind: DesignCriterion, perAxis?: number): EquivalenceCheck {
  const p = model.dim;
  const m = region.lo.length;
  const pts = Array.from({ length: design.size }, (_, k) => Array.from(design.points.subarray(k * m, (k + 1) * m)));
  const total = design.weights.reduce((s, v) => s + v, 0);
  const M = info(model, theta, pts, design.weights.map((v) => v / total));
  const crit = criterion(kind, p);
  const { d, bound } = crit.sens(M);
  const buf = new Float64Array(p * p);
  const dAt = (z: readonly number[]) => d(model.pointFisher(zArg(z), theta, buf));
  const grid = gridPoints(region, perAxis ?? (m === 1 ? 2001 : m === 2 ? 201 : 31));
  let best = -Infinity;
  let arg = grid[0];
  const values = grid.map((z) => dAt(z));
  values.forEach((v, k) => {
    if (v > best) {
      best = v;
      arg = grid[k];
    }
  });
  // refine every grid-local maximum coordinate-wise
  const h = region.lo.map((lo, j) => (region.hi[j] - lo) / ((perAxis ?? (m === 1 ? 2001 : m === 2 ? 201 : 31)) - 1));
  const candidates = [arg, ...pts];
  for (const z0 of candidates) {
    const z = [...z0];
    for (let j = 0; j < m; j++) {
      const f = (x: number) => dAt(z.map((v, i) => (i === j ? x : v)));
      z[j] = goldenMax(f, Math.max(region.lo[j], z[j] - h[j]), Math.min(region.hi[j], z[j] + h[j]), 1e-12);
    }
    const v = dAt(z);
    if (v > best) {
      best = v;
      arg = z;
    }
  }
  return { maxSensitivity: best, argmax: arg, bound, atSupport: pts.map(dAt), gap: (best - bound) / Math.abs(bound) };
}

export function optimalDesign(model: DesignModel, theta: ArrayLike<number>, region: DesignRegion, opts: OptimalDesignOptions = {}): OptimalDesignResult {
  const kind = opts.criterion ?? 'D';
  const p = model.dim;
  const m = region.lo.length;
  if (m !== model.covariates.length) throw new UsageError(`the design region needs bounds for ${model.covariates.length} covariate(s)`);
  if (region.lo.some((lo, j) => !(lo < region.hi[j]) || !Number.isFinite(lo) || !Number.isFinite(region.hi[j]))) throw new UsageError('every covariate range must be a finite interval lo < hi');
  const crit = criterion(kind, p);
  const per = opts.grid ?? (m === 1 ? 201 : m === 2 ? 41 : 15);
  const grid = gridPoints(region, per);
  const Is = grid.map((z) => model.pointFisher(zArg(z), theta, new Float64Array(p * p)));
  if (Is.some((I) => !I.every(Number.isFinite))) throw new ConvergenceError('the Fisher information is not finite somewhere in the design region (check the parameter guess and the region)');
  const first = multiplicative(crit, Is, new Float64Array(grid.length).fill(1 / grid.length), 20000, 1e-4);
  let iterations = first.iterations;
  // Support: grid points with weight, merged with their neighbours (weighted centre).
  const h = region.lo.map((lo, j) => (region.hi[j] - lo) / (per - 1));
  const maxW = Math.max(...first.w);
  let support: number[][] = [];
  let weights: number[] = [];
  grid.forEach((z, k) => {
    const wk = first.w[k];
    if (wk < 1e-3 * maxW) return;
    const near = support.findIndex((s) => s.every((v, j) => Math.abs(v - z[j]) <= 2.01 * h[j]));
    if (near >= 0) {
      const W = weights[near] + wk;
      support[near] = support[near].map((v, j) => (v * weights[near] + z[j] * wk) / W);
      weights[near] = W;
    } else {
      support.push([...z]);
      weights.push(wk);
    }
  });
  if (!opts.gridOnly) {
    for (let round = 0; round < 200; round++) {
      const Isup = support.map((z) => model.pointFisher(zArg(z), theta, new Float64Array(p * p)));
      const wsum = weights.reduce((s, v) => s + v, 0);
      const r = multiplicative(crit, Isup, Float64Array.from(weights, (v) => v / wsum), 100000, 1e-12);
      iterations += r.iterations;
      weights = Array.from(r.w);
      const M = info(model, theta, support, weights);
      const { d } = crit.sens(M);
      const buf = new Float64Array(p * p);
      let moved = 0;
      support = support.map((z0) => {
        const z = [...z0];
        for (let j = 0; j < m; j++) {
          const f = (x: number) => d(model.pointFisher(zArg(z.map((v, i) => (i === j ? x : v))), theta, buf));
          const nz = goldenMax(f, Math.max(region.lo[j], z[j] - 2 * h[j]), Math.min(region.hi[j], z[j] + 2 * h[j]), 1e-13);
          moved = Math.max(moved, Math.abs(nz - z[j]) / (region.hi[j] - region.lo[j]));
          z[j] = nz;
        }
        return z;
      });
      // drop vanishing weights, merge coincident points
      const keep = weights.map((w) => w > 1e-9);
      support = support.filter((_, k) => keep[k]);
      weights = weights.filter((_, k) => keep[k]);
      if (support.length === 0) throw new ConvergenceError('design refinement lost every support point');
      if (moved < 1e-12) break;
    }
  }
  const total = weights.reduce((s, v) => s + v, 0);
  const order = support.map((_, k) => k).sort((a, b) => support[a][0] - support[b][0]);
  const pts = new Float64Array(order.length * m);
  order.forEach((k, i) => pts.set(support[k], i * m));
  const design: Design = { covariates: model.covariates, size: order.length, points: pts, weights: Float64Array.from(order, (k) => weights[k] / total) };
  const M = info(model, theta, order.map((k) => support[k]), design.weights);
  return { criterion: kind, design, value: crit.value(M), check: equivalenceCheck(model, theta, design, region, kind), iterations };
}
