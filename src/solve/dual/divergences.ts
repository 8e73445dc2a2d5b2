/**
 * Divergences between two members p = p_a, q = p_b of a family, and their Taylor expansions.
 *
 * All of them except KL and Jeffreys are functions of one integral, the affinity
 *   ρ_s(a, b) = ∫ p^s q^{1−s},
 * exact for exponential families (log ρ_s = A(θ_s) − s A(a) − (1−s) A(b) with ν(θ_s) = s ν(a) + (1−s) ν(b))
 * and by quadrature/summation otherwise (src/compile/affinity.ts):
 *   Amari α-divergence  D_α(p:q) = 4/(1−α²) (1 − ρ_{(1−α)/2}),   α = −1: KL(p‖q),  α = +1: KL(q‖p);
 *   Rényi of order r    D_r(p‖q) = log ρ_r / (r − 1),             r → 1: KL(p‖q);
 *   Hellinger           H²(p, q) = 1 − ρ_{1/2} = ½ ∫ (√p − √q)²;
 *   Bhattacharyya       D_B(p, q) = −log ρ_{1/2};
 *   Jeffreys            J(p, q)  = KL(p‖q) + KL(q‖p).
 *
 * Expansions about a (d = b − a, every tensor at a): an f-divergence ∫ p f(q/p) with f(1) = 0,
 * f″(1) = 1 has, writing ε = q/p − 1 and using E[ε] = 0,
 *   D = ½ E[ε²] + f‴(1)/6 E[ε³] + O(|d|⁴) = ½ g_ij d^i d^j + ½ Γ_ij,k d^i d^j d^k + c_T T_ijk d^i d^j d^k,
 * with Γ_ij,k the Levi-Civita Christoffel symbols of the first kind, T the Amari–Chentsov tensor and
 * c_T = ¼ + f‴(1)/6. For the α-divergence f‴(1) = (α − 3)/2, so c_T = α/12 (KL(p‖q): −1/12). The
 * others follow: Rényi_r = r·D_{1−2r} + O(|d|⁴), Hellinger = ¼ D_0, Bhattacharyya = ¼ D_0 + O(|d|⁴),
 * Jeffreys = D_{−1} + D_{+1}.
 */
import { ConvergenceError, UsageError } from '../../core/errors.js';
import type { CompiledFamily } from '../../core/types.js';
import type { DualCoordinates } from './dualCoordinates.js';

export type DivergenceKind = 'kl' | 'alpha' | 'renyi' | 'hellinger' | 'bhattacharyya' | 'jeffreys';
export const DIVERGENCE_KINDS: readonly DivergenceKind[] = ['kl', 'alpha', 'renyi', 'hellinger', 'bhattacharyya', 'jeffreys'];

/** What the divergences need: the compiled family, its affinity by quadrature, and (optionally) dual coordinates. */
export interface DivergenceContext {
  readonly family: CompiledFamily;
  /** (s, a, b) ↦ log ∫ p_a^s p_b^{1−s} by quadrature/summation. */
  readonly logAffinityQuadrature: (s: number, a: ArrayLike<number>, b: ArrayLike<number>) => number;
  /** Present for full exponential families: the exact route. */
  readonly dual?: DualCoordinates | null;
}

export interface DivergenceValue {
  readonly kind: DivergenceKind;
  /** α for 'alpha', the order r for 'renyi'. */
  readonly order?: number;
  readonly value: number;
  /** How the value was obtained. */
  readonly route: string;
}

/** log ρ_s(a, b), exact through the dual coordinates when possible, else by quadrature. */
export function logAffinity(ctx: DivergenceContext, s: number, a: ArrayLike<number>, b: ArrayLike<number>): { value: number; route: string } {
  const dc = ctx.dual;
  if (dc) {
    const na = dc.natural(a);
    const nb = dc.natural(b);
    const target = na.map((v, k) => s * v + (1 - s) * nb[k]);
    try {
      const mid = dc.fromNatural(target, s >= 0.5 ? a : b).theta;
      const v = dc.logPartition(mid) - s * dc.logPartition(a) - (1 - s) * dc.logPartition(b);
      if (Number.isFinite(v)) return { value: v, route: 'exponential-family (log-partition at the natural-parameter mixture)' };
    } catch {
      /* the mixture is outside the parametrized family: fall through to quadrature */
    }
  }
  return { value: ctx.logAffinityQuadrature(s, a, b), route: 'quadrature' };
}

function klRoute(f: CompiledFamily): string {
  return f.methods.kl === 'closed-form' ? 'closed-form' : 'quadrature';
}

/** One divergence D(p_a ‖ p_b). `order` is α for 'alpha' (default 0) and r for 'renyi' (default ½). */
export function divergence(ctx: DivergenceContext, kind: DivergenceKind, a: ArrayLike<number>, b: ArrayLike<number>, order?: number): DivergenceValue {
  const f = ctx.family;
  const check = (v: DivergenceValue): DivergenceValue => {
    if (!Number.isFinite(v.value)) throw new ConvergenceError(`${kind} divergence of ${f.name} is not finite between these points (route: ${v.route})`);
    return v;
  };
  switch (kind) {
    case 'kl':
      return check({ kind, value: f.kl(a, b), route: klRoute(f) });
    case 'jeffreys':
      return check({ kind, value: f.kl(a, b) + f.kl(b, a), route: klRoute(f) });
    case 'alpha': {
      const al = order ?? 0;
      if (!Number.isFinite(al)) throw new UsageError('the α of an α-divergence must be a finite number');
      if (al === -1) return check({ kind, order: al, value: f.kl(a, b), route: klRoute(f) });
      if (al === 1) return check({ kind, order: al, value: f.kl(b, a), route: klRoute(f) });
      const r = logAffinity(ctx, (1 - al) / 2, a, b);
      // 1 − ρ = −expm1(log ρ): accurate for nearby points.
      return check({ kind, order: al, value: (4 / (1 - al * al)) * -Math.expm1(r.value), route: r.route });
    }
    case 'renyi': {
      const o = order ?? 0.5;
      if (!(o > 0) || !Number.isFinite(o)) throw new UsageError('the order of a Rényi divergence must be a positive finite number');
      if (o === 1) return check({ kind, order: o, value: f.kl(a, b), route: klRoute(f) });
      const r = logAffinity(ctx, o, a, b);
      return check({ kind, order: o, value: r.value / (o - 1), route: r.route });
    }
    case 'hellinger': {
      const r = logAffinity(ctx, 0.5, a, b);
      return check({ kind, value: -Math.expm1(r.value), route: r.route });
    }
    case 'bhattacharyya': {
      const r = logAffinity(ctx, 0.5, a, b);
      return check({ kind, value: -r.value, route: r.route });
    }
    default:
      throw new UsageError(`unknown divergence '${String(kind)}' (known: ${DIVERGENCE_KINDS.join(', ')})`);
  }
}

/** Coefficients (c_g, c_Γ, c_T) of D ≈ c_g g dd + c_Γ Γ_ij,k ddd + c_T T ddd for a divergence. */
export function expansionCoefficients(kind: DivergenceKind, order?: number): { g: number; gamma: number; T: number } {
  const alphaDiv = (al: number) => ({ g: 0.5, gamma: 0.5, T: al / 12 });
  const scaled = (c: number, x: { g: number; gamma: number; T: number }) => ({ g: c * x.g, gamma: c * x.gamma, T: c * x.T });
  switch (kind) {
    case 'kl':
      return alphaDiv(-1);
    case 'alpha':
      return alphaDiv(order ?? 0);
    case 'renyi': {
      const r = order ?? 0.5;
      return scaled(r, alphaDiv(1 - 2 * r));
    }
    case 'hellinger':
    case 'bhattacharyya':
      return scaled(0.25, alphaDiv(0));
    case 'jeffreys':
      return { g: 1, gamma: 1, T: 0 };
    default:
      throw new UsageError(`unknown divergence '${String(kind)}'`);
  }
}

export interface Expansion {
  /** c_g g_ij d^i d^j (the second-order term). */
  readonly second: number;
  /** c_Γ Γ_ij,k d^i d^j d^k + c_T T_ijk d^i d^j d^k (the third-order term). */
  readonly third: number;
  readonly coefficients: { g: number; gamma: number; T: number };
}

/** The second- and third-order Taylor terms of a divergence D(p_a ‖ p_{a+d}) at a, with d = b − a. */
export function divergenceExpansion(family: CompiledFamily, kind: DivergenceKind, a: ArrayLike<number>, b: ArrayLike<number>, order?: number): Expansion {
  const n = family.dim;
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = b[i] - a[i];
  const c = expansionCoefficients(kind, order);
  const g = family.fisher(a);
  const gam = family.christoffelFirst(a);
  const T = c.T !== 0 ? family.amariChentsov(a) : null;
  let q = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) q += g[i * n + j] * d[i] * d[j];
  let cg = 0;
  let ct = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++)
      for (let k = 0; k < n; k++) {
        const w = d[i] * d[j] * d[k];
        cg += gam[(i * n + j) * n + k] * w;
        if (T) ct += T[(i * n + j) * n + k] * w;
      }
  return { second: c.g * q, third: c.gamma * cg + c.T * ct, coefficients: c };
}
