/**
 * Symbolic scalar curvature R for dim ≤ 2 with a closed-form metric (round sphere positive;
 * normal(μ, σ) gives −1). dim 1: R = 0. dim 2: R = 2K with the Gaussian curvature K from the
 * Brioschi formula in coordinates (u, v) = (θ_0, θ_1), E = g_00, F = g_01, G = g_11:
 *   K = (det M1 − det M2) / (EG − F²)²,
 *   M1 = [[−E_vv/2 + F_uv − G_uu/2, E_u/2, F_u − E_v/2], [F_v − G_u/2, E, F], [G_v/2, F, G]],
 *   M2 = [[0, E_v/2, G_u/2], [E_v/2, E, F], [G_u/2, F, G]].
 */
import { compileInterpreted } from '../core/evaluate.js';
import { checkPoint } from '../declare/checkPoint.js';
import type { FamilySpec } from '../declare/types.js';
import { ZERO, add, div, mul, num, pow, size, sub, type Expr } from './build.js';
import { containsExpect } from './differentiate.js';
import { simplify, SIMPLIFY_MAX_NODES } from './simplify.js';

type M2 = readonly (readonly Expr[])[];

function det3(m: Expr[][]): Expr {
  const t = (a: Expr, b: Expr, c: Expr, d: Expr) => sub(mul(a, b), mul(c, d));
  return add(
    sub(mul(m[0][0], t(m[1][1], m[2][2], m[1][2], m[2][1])), mul(m[0][1], t(m[1][0], m[2][2], m[1][2], m[2][0]))),
    mul(m[0][2], t(m[1][0], m[2][1], m[1][1], m[2][0])),
  );
}

/**
 * R(θ), or null when dim > 2 or the metric contains expect(·).
 * @param dg dFisher[k][i][j] = ∂_k g_ij; @param d2g d2Fisher[k][m][i][j].
 */
export function scalarCurvature(
  g: M2,
  dg: readonly M2[] | null,
  d2g: readonly (readonly M2[])[] | null,
  spec?: FamilySpec,
): Expr | null {
  return scalarCurvatureDetailed(g, dg, d2g, spec).R;
}

/** {@link scalarCurvature} and, when R was recognised numerically as a constant, how ({@link identifyConstantDetailed}). */
export function scalarCurvatureDetailed(
  g: M2,
  dg: readonly M2[] | null,
  d2g: readonly (readonly M2[])[] | null,
  spec?: FamilySpec,
): { R: Expr | null; identified: IdentifiedConstant | null } {
  const R = scalarCurvatureTree(g, dg, d2g);
  // constant recognition evaluates R as a tree: only for trees of the size the simplifier handles
  if (!R || !spec || size(R) <= 3 || size(R) > SIMPLIFY_MAX_NODES) return { R, identified: null };
  const id = identifyConstantDetailed(R, spec);
  return id ? { R: id.expr, identified: id } : { R, identified: null };
}

function scalarCurvatureTree(g: M2, dg: readonly M2[] | null, d2g: readonly (readonly M2[])[] | null): Expr | null {
  const n = g.length;
  if (n === 1) return ZERO;
  if (n !== 2 || !dg || !d2g || g.some((r) => r.some(containsExpect))) return null;
  const half = (e: Expr) => div(e, num(2));
  const E = g[0][0], F = g[0][1], G = g[1][1];
  const Eu = dg[0][0][0], Ev = dg[1][0][0], Fu = dg[0][0][1], Fv = dg[1][0][1], Gu = dg[0][1][1], Gv = dg[1][1][1];
  const Evv = d2g[1][1][0][0], Fuv = d2g[0][1][0][1], Guu = d2g[0][0][1][1];
  const M1 = [
    [sub(add(neg2(Evv), Fuv), half(Guu)), half(Eu), sub(Fu, half(Ev))],
    [sub(Fv, half(Gu)), E, F],
    [half(Gv), F, G],
  ];
  const M2m = [
    [ZERO, half(Ev), half(Gu)],
    [half(Ev), E, F],
    [half(Gu), F, G],
  ];
  const K = div(sub(det3(M1), det3(M2m)), pow(sub(mul(E, G), mul(F, F)), num(2)));
  return simplify(mul(num(2), K));
}

/** Number of random domain points at which a constant must be reproduced. */
export const CONSTANT_PROBES = 8;

/**
 * Recognises an expression that is a rational constant p/q (q ≤ 64) on the whole domain when the
 * algebra cannot cancel it (e.g. categorical3: R = 1/2): the value must agree with p/q to 1e-10
 * at {@link CONSTANT_PROBES} deterministic pseudo-random points of the parameter domain.
 * A non-constant rational/analytic expression passing this test is a probability-zero event.
 * Returns null when not recognised.
 */
export function identifyConstant(e: Expr, spec: FamilySpec): Expr | null {
  return identifyConstantDetailed(e, spec)?.expr ?? null;
}

/** A constant recognised numerically: the expression p/q, its value, the points used and the largest |e − p/q| seen. */
export interface IdentifiedConstant {
  readonly expr: Expr;
  readonly value: number;
  readonly points: number;
  readonly maxDeviation: number;
}

/** {@link identifyConstant} with the agreement reached. */
export function identifyConstantDetailed(e: Expr, spec: FamilySpec): IdentifiedConstant | null {
  const names = [...spec.params.map((p) => p.name), ...Object.keys(spec.constants)];
  let f: (v: ArrayLike<number>) => number;
  try {
    f = compileInterpreted(e, names);
  } catch {
    return null;
  }
  const consts = Object.values(spec.constants);
  let seed = 0x9e3779b9;
  const rnd = (): number => {
    seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return (seed >>> 8) / 16777216;
  };
  let target: number | null = null;
  let found = 0;
  const values: number[] = [];
  for (let attempt = 0; attempt < 200 && found < CONSTANT_PROBES; attempt++) {
    const theta = spec.params.map((p) => (p.domain === 'real' ? -2 + 4 * rnd() : p.domain === 'positive' ? 0.2 + 4 * rnd() : 0.02 + 0.6 * rnd()));
    if (checkPoint(spec, theta) !== null) continue;
    const v = f([...theta, ...consts]);
    if (!Number.isFinite(v)) return null;
    values.push(v);
    if (target === null) {
      target = v;
      let best: number | null = null;
      for (let q = 1; q <= 64 && best === null; q++) {
        const p = Math.round(v * q);
        if (Math.abs(p / q - v) <= 1e-10 * Math.max(1, Math.abs(v))) best = p / q;
      }
      if (best === null) return null;
      target = best;
    } else if (Math.abs(v - target) > 1e-10 * Math.max(1, Math.abs(target))) return null;
    found++;
  }
  if (found < CONSTANT_PROBES || target === null) return null;
  const q = [...Array(64).keys()].map((k) => k + 1).find((d) => Number.isInteger(Math.round(target! * d)) && Math.abs(Math.round(target! * d) / d - target!) < 1e-15)!;
  const value = Math.round(target * q) / q;
  return { expr: div(num(Math.round(target * q)), num(q)), value, points: found, maxDeviation: Math.max(...values.map((v) => Math.abs(v - value))) };
}

function neg2(e: Expr): Expr {
  return div(sub(ZERO, e), num(2));
}
