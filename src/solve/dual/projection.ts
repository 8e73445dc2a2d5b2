/**
 * e- and m-projections of a point p of an exponential family onto a subfamily M given by fixing
 * parameters and tying parameters together (an affine set θ = c + B φ of the family's parameters):
 *   m-projection  q_m = argmin_{q ∈ M} KL(p ‖ q),   e-projection  q_e = argmin_{q ∈ M} KL(q ‖ p).
 * When M is e-flat (affine in the natural parameters ν), the m-projection satisfies the generalized
 * Pythagorean theorem KL(p ‖ r) = KL(p ‖ q_m) + KL(q_m ‖ r) for every r ∈ M; when M is m-flat (affine
 * in the expectation parameters μ), KL(r ‖ p) = KL(r ‖ q_e) + KL(q_e ‖ p). {@link flatness} says
 * which of the two holds for a subfamily.
 *
 * Both KLs are Bregman divergences of A with closed-form gradients in θ_q:
 *   ∇ KL(p ‖ q) = J_ν(q)ᵀ (μ(q) − μ(p)),   ∇ KL(q ‖ p) = −J_μ(q)ᵀ (ν(p) − ν(q)),
 * minimised by Fisher scoring in φ (metric Bᵀ g B with g = J_νᵀ J_μ) with step halving.
 */
import { ConvergenceError, UsageError } from '../../core/errors.js';
import { solve } from '../../core/linalg.js';
import type { CompiledFamily } from '../../core/types.js';
import type { ExponentialCoordinates } from '../../compile/exponentialCoordinates.js';
import type { DualCoordinates } from './dualCoordinates.js';

/** θ = offset + basis · φ: `basis` is dim × free, row-major. */
export interface Subfamily {
  readonly free: number;
  readonly offset: Float64Array;
  readonly basis: Float64Array;
  /** Human-readable description, e.g. "sigma = 1; a1 = a2". */
  readonly description: string;
}

/**
 * Subfamily from constraints such as `sigma=1` (fix a parameter) and `a1=a2` (tie parameters):
 * each item is `name=number` or `name=name[=name…]`.
 */
export function subfamily(paramNames: readonly string[], constraints: readonly string[]): Subfamily {
  const n = paramNames.length;
  const fixed = new Map<number, number>();
  const parent = paramNames.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  const index = (name: string): number => {
    const i = paramNames.indexOf(name.trim());
    if (i < 0) throw new UsageError(`unknown parameter '${name.trim().slice(0, 40)}' in a subfamily constraint (parameters: ${paramNames.join(', ')})`);
    return i;
  };
  for (const c of constraints) {
    const parts = c.split('=').map((s) => s.trim());
    if (parts.length < 2 || parts.some((s) => s === '')) throw new UsageError(`bad subfamily constraint '${c.slice(0, 60)}': expected name=value or name=name`);
    const last = parts[parts.length - 1];
    if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(last)) {
      const v = Number(last);
      for (const p of parts.slice(0, -1)) fixed.set(index(p), v);
    } else {
      const ids = parts.map(index);
      for (const i of ids.slice(1)) parent[find(i)] = find(ids[0]);
    }
  }
  // Fixing any member of a tied group fixes the group.
  for (const [i, v] of [...fixed]) for (let j = 0; j < n; j++) if (find(j) === find(i)) fixed.set(j, v);
  const roots = [...new Set(paramNames.map((_, i) => find(i)))].filter((r) => !fixed.has(r));
  const free = roots.length;
  if (free === 0) throw new UsageError('the constraints fix every parameter: the subfamily is a single point');
  if (free === n) throw new UsageError('the constraints leave every parameter free: give at least one name=value or name=name');
  const offset = new Float64Array(n);
  const basis = new Float64Array(n * free);
  for (let i = 0; i < n; i++) {
    if (fixed.has(i)) offset[i] = fixed.get(i)!;
    else basis[i * free + roots.indexOf(find(i))] = 1;
  }
  return { free, offset, basis, description: constraints.join('; ') };
}

function embed(s: Subfamily, phi: ArrayLike<number>, out = new Float64Array(s.offset.length)): Float64Array {
  const n = s.offset.length;
  for (let i = 0; i < n; i++) {
    let v = s.offset[i];
    for (let a = 0; a < s.free; a++) v += s.basis[i * s.free + a] * phi[a];
    out[i] = v;
  }
  return out;
}

/** φ of a point of the subfamily (least squares on the basis, exact for points of M). */
function coordinates(s: Subfamily, theta: ArrayLike<number>): Float64Array {
  const phi = new Float64Array(s.free);
  const count = new Float64Array(s.free);
  const n = s.offset.length;
  for (let i = 0; i < n; i++)
    for (let a = 0; a < s.free; a++)
      if (s.basis[i * s.free + a] !== 0) {
        phi[a] += theta[i];
        count[a]++;
      }
  for (let a = 0; a < s.free; a++) phi[a] /= count[a];
  return phi;
}

export type ProjectionKind = 'm' | 'e';

export interface ProjectionResult {
  kind: ProjectionKind;
  /** The projection q, in the family's parameters. */
  point: Float64Array;
  /** The divergence minimised: KL(p ‖ q) for 'm', KL(q ‖ p) for 'e'. */
  divergence: number;
  /** ‖∇_φ‖ in the subfamily's Fisher metric at q. */
  gradientNorm: number;
  iterations: number;
}

/** The m- or e-projection of p onto a subfamily. */
export function project(
  family: CompiledFamily,
  ec: ExponentialCoordinates,
  dc: DualCoordinates,
  sub: Subfamily,
  p: ArrayLike<number>,
  kind: ProjectionKind,
  start?: ArrayLike<number>,
): ProjectionResult {
  const n = family.dim;
  const k = sub.free;
  const objective = (q: ArrayLike<number>) => (kind === 'm' ? dc.bregman(p, q) : dc.bregman(q, p));
  const np = ec.natural(p);
  const mp = ec.expectation(p);
  const gradTheta = (q: ArrayLike<number>): Float64Array => {
    const out = new Float64Array(n);
    if (kind === 'm') {
      const J = ec.naturalJacobian(q);
      const mq = ec.expectation(q);
      for (let i = 0; i < n; i++) for (let a = 0; a < n; a++) out[i] += J[a * n + i] * (mq[a] - mp[a]);
    } else {
      const J = ec.expectationJacobian(q);
      const nq = ec.natural(q);
      for (let i = 0; i < n; i++) for (let a = 0; a < n; a++) out[i] -= J[a * n + i] * (np[a] - nq[a]);
    }
    return out;
  };
  let phi = coordinates(sub, start ?? embed(sub, coordinates(sub, p)));
  let q = embed(sub, phi);
  if (family.checkPoint(q) !== null) {
    // The coordinate projection of p can leave the domain: start at the first interior candidate.
    for (const s of [1, 0.5, 0.1, 2]) {
      const t = embed(sub, new Float64Array(k).fill(s));
      if (family.checkPoint(t) === null) {
        phi = new Float64Array(k).fill(s);
        q = t;
        break;
      }
    }
  }
  if (family.checkPoint(q) !== null) throw new ConvergenceError(`no start point inside the domain of ${family.name} on the subfamily ${sub.description}`);
  let f = objective(q);
  for (let it = 0; it < 200; it++) {
    const gt = gradTheta(q);
    const g = family.fisher(q);
    const grad = new Float64Array(k);
    const H = new Float64Array(k * k);
    for (let a = 0; a < k; a++) {
      for (let i = 0; i < n; i++) grad[a] += sub.basis[i * k + a] * gt[i];
      for (let b = 0; b < k; b++) {
        let s = 0;
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) s += sub.basis[i * k + a] * g[i * n + j] * sub.basis[j * k + b];
        H[a * k + b] = s;
      }
    }
    const step = solve(H, grad, k);
    let gn = 0;
    for (let a = 0; a < k; a++) gn += grad[a] * step[a];
    gn = Math.sqrt(Math.max(0, gn));
    if (gn <= 1e-13 * (1 + Math.sqrt(Math.abs(f)))) return { kind, point: q, divergence: f, gradientNorm: gn, iterations: it };
    let lambda = 1;
    let moved = false;
    for (let h = 0; h < 60; h++, lambda /= 2) {
      const phiT = phi.map((v, a) => v - lambda * step[a]);
      const qT = embed(sub, phiT);
      if (family.checkPoint(qT) !== null) continue;
      const fT = objective(qT);
      if (fT <= f) {
        phi = phiT;
        q = qT;
        f = fT;
        moved = true;
        break;
      }
    }
    if (!moved) {
      if (gn <= 1e-8 * (1 + Math.sqrt(Math.abs(f)))) return { kind, point: q, divergence: f, gradientNorm: gn, iterations: it };
      throw new ConvergenceError(`${kind}-projection onto ${sub.description} stalled (gradient norm ${gn.toExponential(2)})`);
    }
  }
  throw new ConvergenceError(`${kind}-projection onto ${sub.description} did not converge in 200 iterations`);
}

/**
 * Whether a subfamily is e-flat (its image in the natural parameters ν is an affine subspace) and/or
 * m-flat (its image in the expectation parameters μ is), tested numerically at `at`: every second
 * derivative ∂_a∂_b c(θ(φ)) must lie in the span of the first derivatives ∂_a c (zero normal
 * curvature), to 1e-5 in units of the coordinate scales. Parametrization-independent: fixing μ = 0
 * in the normal family gives ν = (0, −1/(2σ²)), a straight ray, though not affine in σ.
 */
export function flatness(family: CompiledFamily, ec: ExponentialCoordinates, sub: Subfamily, at: ArrayLike<number>): { eFlat: boolean; mFlat: boolean } {
  const phi0 = coordinates(sub, at);
  const k = sub.free;
  const L = Array.from(phi0, (v) => Math.max(Math.abs(v), 1e-2));
  const h = L.map((l) => 1e-3 * l);
  const test = (f: (t: ArrayLike<number>) => Float64Array): boolean => {
    const at = (shifts: readonly [number, number][]): Float64Array | null => {
      const phi = Float64Array.from(phi0);
      for (const [a, s] of shifts) phi[a] += s * h[a];
      const t = embed(sub, phi);
      return family.checkPoint(t) === null ? f(t) : null;
    };
    const c = at([]);
    if (!c) return false;
    const m = c.length;
    // First derivatives (columns of J, scaled by L_a) by central differences.
    const J: Float64Array[] = [];
    for (let a = 0; a < k; a++) {
      const p = at([[a, 1]]);
      const q = at([[a, -1]]);
      if (!p || !q) return false;
      J.push(p.map((v, i) => ((v - q[i]) / (2 * h[a])) * L[a]));
    }
    const jNorm = Math.max(...J.map((col) => Math.hypot(...col)));
    for (let a = 0; a < k; a++)
      for (let b = a; b < k; b++) {
        const pp = at([[a, 1], [b, 1]]);
        const pm = at([[a, 1], [b, -1]]);
        const mp = at([[a, -1], [b, 1]]);
        const mm = at([[a, -1], [b, -1]]);
        if (!pp || !pm || !mp || !mm) return false;
        // Scaled second derivative L_a L_b ∂_a∂_b c (for a = b the four points are ±2h, 0, 0).
        const H = a === b ? pp.map((v, i) => ((v + mm[i] - 2 * c[i]) / (4 * h[a] * h[a])) * L[a] * L[a]) : pp.map((v, i) => ((v - pm[i] - mp[i] + mm[i]) / (4 * h[a] * h[b])) * L[a] * L[b]);
        // Residual of H after least-squares projection onto span(J): normal equations (k small).
        const G = new Float64Array(k * k);
        const r = new Float64Array(k);
        for (let u = 0; u < k; u++) {
          for (let v = 0; v < k; v++) for (let i = 0; i < m; i++) G[u * k + v] += J[u][i] * J[v][i];
          for (let i = 0; i < m; i++) r[u] += J[u][i] * H[i];
        }
        const coef = solve(G, r, k);
        let res = 0;
        for (let i = 0; i < m; i++) {
          let proj = 0;
          for (let u = 0; u < k; u++) proj += coef[u] * J[u][i];
          res += (H[i] - proj) ** 2;
        }
        if (!(Math.sqrt(res) <= 1e-5 * jNorm)) return false;
      }
    return true;
  };
  return { eFlat: test((t) => ec.natural(t)), mFlat: test((t) => ec.expectation(t)) };
}
