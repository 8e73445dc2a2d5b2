/**
 * Dual (Legendre) coordinates of a full exponential family p(x; θ) = h(x) exp(⟨ν(θ), T(x)⟩ − A(θ)):
 *   natural coordinates      ν = ν(θ)                 (e-affine: the α = +1 connection is flat),
 *   expectation coordinates  μ = E_θ[T] = ∇_ν A       (m-affine: the α = −1 connection is flat),
 *   Legendre dual            A*(μ) = ⟨ν, μ⟩ − A       (the negative entropy up to E[log h]),
 *   Bregman divergence       B_A(ν_q, ν_p) = A(q) − A(p) − ⟨μ_p, ν_q − ν_p⟩ = KL(p ‖ q).
 * The forward maps are the family file's closed forms (src/compile/exponentialCoordinates.ts); the
 * inverse maps ν ↦ θ and μ ↦ θ are found by damped Newton on those closed forms with their symbolic
 * Jacobians, and every inverse reports the residual it reached. e-geodesics are straight lines in ν,
 * m-geodesics straight lines in μ, mapped back to θ by the inverse maps (warm-started along the path).
 */
import { ConvergenceError, UnsupportedError } from '../../core/errors.js';
import { solve } from '../../core/linalg.js';
import type { CompiledFamily } from '../../core/types.js';
import type { ExponentialCoordinates } from '../../compile/exponentialCoordinates.js';

export interface InverseResult {
  /** θ with ν(θ) (or μ(θ)) equal to the target. */
  theta: Float64Array;
  /** max_a |f_a(θ) − target_a| / max(1, |target_a|) reached. */
  residual: number;
  iterations: number;
}

export interface DualCoordinates {
  readonly dim: number;
  natural(theta: ArrayLike<number>): Float64Array;
  expectation(theta: ArrayLike<number>): Float64Array;
  logPartition(theta: ArrayLike<number>): number;
  /** A*(μ(θ)) = ⟨ν(θ), μ(θ)⟩ − A(θ). */
  legendreDual(theta: ArrayLike<number>): number;
  /** θ with ν(θ) = target (Newton from `start`, or from a default interior point). */
  fromNatural(target: ArrayLike<number>, start?: ArrayLike<number>): InverseResult;
  /** θ with μ(θ) = target. */
  fromExpectation(target: ArrayLike<number>, start?: ArrayLike<number>): InverseResult;
  /** B_A(ν(q), ν(p)) = A(q) − A(p) − ⟨μ(p), ν(q) − ν(p)⟩, which equals KL(p ‖ q). */
  bregman(p: ArrayLike<number>, q: ArrayLike<number>): number;
}

/** Relative residual at which an inverse map is accepted. */
export const INVERSE_TOL = 1e-13;
const MAX_ITER = 100;

function residualNorm(f: Float64Array, target: ArrayLike<number>): number {
  let r = 0;
  for (let a = 0; a < f.length; a++) r = Math.max(r, Math.abs(f[a] - target[a]) / Math.max(1, Math.abs(target[a])));
  return r;
}

/** Interior points to start Newton from when no start is given: by domain, a few scales. */
function defaultStarts(family: CompiledFamily): Float64Array[] {
  const n = family.dim;
  const starts: Float64Array[] = [];
  for (const s of [1, 0.5, 1 / (n + 1), 0.1, 2, 10]) {
    const t = new Float64Array(n).fill(s);
    if (family.checkPoint(t) === null) starts.push(t);
  }
  return starts;
}

/**
 * Newton's method for f(θ) = target with Jacobian J (rows a, columns i), step-halving so that θ
 * stays in the domain and the residual decreases.
 */
function newtonInverse(
  family: CompiledFamily,
  f: (t: ArrayLike<number>, out?: Float64Array) => Float64Array,
  jac: (t: ArrayLike<number>, out?: Float64Array) => Float64Array,
  target: ArrayLike<number>,
  start: ArrayLike<number>,
): InverseResult {
  const n = family.dim;
  let theta = Float64Array.from(start);
  let fv = f(theta);
  let res = residualNorm(fv, target);
  const trial = new Float64Array(n);
  const rhs = new Float64Array(n);
  for (let it = 0; it < MAX_ITER; it++) {
    if (res <= INVERSE_TOL) return { theta, residual: res, iterations: it };
    for (let a = 0; a < n; a++) rhs[a] = target[a] - fv[a];
    const step = solve(jac(theta), rhs, n);
    if (!step.every(Number.isFinite)) break;
    let lambda = 1;
    let accepted = false;
    for (let h = 0; h < 60; h++, lambda /= 2) {
      for (let i = 0; i < n; i++) trial[i] = theta[i] + lambda * step[i];
      if (family.checkPoint(trial) !== null) continue;
      const ft = f(trial);
      const rt = residualNorm(ft, target);
      if (rt < res || (rt <= INVERSE_TOL && rt <= res)) {
        theta = Float64Array.from(trial);
        fv = ft;
        res = rt;
        accepted = true;
        break;
      }
    }
    if (!accepted) return { theta, residual: res, iterations: it };
  }
  return { theta, residual: res, iterations: MAX_ITER };
}

/** The dual-coordinate machinery of a compiled full exponential family. */
export function dualCoordinates(family: CompiledFamily, ec: ExponentialCoordinates | string): DualCoordinates {
  if (typeof ec === 'string') throw new UnsupportedError(ec);
  const n = ec.dim;
  const natural = (t: ArrayLike<number>) => ec.natural(t);
  const expectation = (t: ArrayLike<number>) => ec.expectation(t);
  const logPartition = (t: ArrayLike<number>) => ec.logPartition(t)[0];
  const invert = (
    f: (t: ArrayLike<number>, out?: Float64Array) => Float64Array,
    jac: (t: ArrayLike<number>, out?: Float64Array) => Float64Array,
    what: string,
  ) => (target: ArrayLike<number>, start?: ArrayLike<number>): InverseResult => {
    let best: InverseResult | null = null;
    for (const s of start ? [start, ...defaultStarts(family)] : defaultStarts(family)) {
      const r = newtonInverse(family, f, jac, target, s);
      if (!best || r.residual < best.residual) best = r;
      if (r.residual <= INVERSE_TOL) return r;
    }
    if (best && best.residual <= 1e-9) return best;
    throw new ConvergenceError(
      `${family.name}: no parameter point found with ${what} = [${Array.from(target).join(', ')}] ` +
        `(best relative residual ${best ? best.residual.toExponential(2) : 'none'}); the point may lie outside the family`,
    );
  };
  const dot = (u: ArrayLike<number>, v: ArrayLike<number>) => {
    let s = 0;
    for (let a = 0; a < n; a++) s += u[a] * v[a];
    return s;
  };
  return {
    dim: n,
    natural,
    expectation,
    logPartition,
    legendreDual: (t) => dot(natural(t), expectation(t)) - logPartition(t),
    fromNatural: invert(ec.natural, ec.naturalJacobian, 'natural parameters'),
    fromExpectation: invert(ec.expectation, ec.expectationJacobian, 'expectation parameters'),
    bregman: (p, q) => {
      const np = natural(p);
      const nq = natural(q);
      const mp = expectation(p);
      let s = logPartition(q) - logPartition(p);
      for (let a = 0; a < n; a++) s -= mp[a] * (nq[a] - np[a]);
      return s;
    },
  };
}

export type DualGeodesicKind = 'e' | 'm';

/**
 * Points of the e-geodesic (straight in ν) or m-geodesic (straight in μ) from a to b at the times
 * `ts` (t = 0 at a, 1 at b; values outside [0, 1] extrapolate while they stay in the family).
 */
export function dualGeodesic(dc: DualCoordinates, kind: DualGeodesicKind, a: ArrayLike<number>, b: ArrayLike<number>, ts: readonly number[]): InverseResult[] {
  const map = kind === 'e' ? dc.natural : dc.expectation;
  const inv = kind === 'e' ? dc.fromNatural : dc.fromExpectation;
  const ca = map(a);
  const cb = map(b);
  const n = dc.dim;
  const order = ts.map((t, i) => [Math.abs(t), i] as const).sort((x, y) => x[0] - y[0]);
  const out: InverseResult[] = new Array(ts.length);
  let prev: ArrayLike<number> = a;
  for (const [, i] of order) {
    const t = ts[i];
    const c = new Float64Array(n);
    for (let k = 0; k < n; k++) c[k] = (1 - t) * ca[k] + t * cb[k];
    const r = t === 0 ? { theta: Float64Array.from(a), residual: 0, iterations: 0 } : t === 1 ? { theta: Float64Array.from(b), residual: 0, iterations: 0 } : inv(c, prev);
    out[i] = r;
    prev = r.theta;
  }
  return out;
}

/** θ'(0) of the e- or m-geodesic from a to b: J^{-1}(c_b − c_a) with J the Jacobian of ν or μ at a. */
export function dualGeodesicVelocity(ec: ExponentialCoordinates, kind: DualGeodesicKind, a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  const f = kind === 'e' ? ec.natural : ec.expectation;
  const j = kind === 'e' ? ec.naturalJacobian : ec.expectationJacobian;
  const ca = f(a);
  const cb = f(b);
  const d = new Float64Array(ec.dim);
  for (let k = 0; k < ec.dim; k++) d[k] = cb[k] - ca[k];
  return solve(j(a), d, ec.dim);
}
