/**
 * Symbolic expectations E_θ[f(x; θ)] for the derive stage, by route, tried in this order:
 *  1. 'exponential-family' (only for θ-derivatives of l): with l = Σ_a η_a(θ) T_a(x) − A(θ) + log h(x),
 *     E[∂^α l] = Σ_a ∂^α η_a · E[T_a] − ∂^α A for every multi-index |α| ≥ 1;
 *  2. 'finite-sum' (finite support with at most {@link MAX_FINITE_POINTS} points):
 *     Σ_v exp(l(v)) f(v), with x = v substituted and folded (per-outcome log-pmf when declared);
 *  3. 'moments': f is expanded into Σ (θ-part)·(x-feature), each feature looked up in the moments
 *     table (all must be found);
 *  4. 'quadrature': the deferred node expect(f) (compile integrates it numerically).
 * A route is chosen for a whole batch of expectations (one object), so each object has one route.
 */
import { parse } from '../core/mathjs.js';
import type { FamilySpec } from '../declare/types.js';
import type { Route } from './types.js';
import {
  ZERO,
  add,
  constValue,
  dependsOn,
  fn,
  mul,
  num,
  strip,
  sub,
  substitute,
  sum,
  type Expr,
} from './build.js';
import { differentiate, partial } from './differentiate.js';
import { replaceLogNormalizer } from './normalizer.js';
import { expandTerms, simplify, simplifyTree } from './simplify.js';

/** Largest finite support summed symbolically (e.g. binomial10 has 11 points). */
export const MAX_FINITE_POINTS = 32;

/** Per-family context shared by all derive-stage computations. */
export interface FamilyContext {
  readonly spec: FamilySpec;
  readonly params: readonly string[];
  /** Data variable names. */
  readonly xvars: ReadonlySet<string>;
  /** l(x; θ), stripped of parentheses and folded. */
  readonly l: Expr;
  /** Stripped exponential-family parts, or null. */
  readonly expfam: { eta: Expr[]; A: Expr; ET: Expr[] } | null;
  /** Support points and per-point log-probability, or null when not a small finite support. */
  readonly finite: { value: number; logp: Expr }[] | null;
  /** Moments table keyed by the canonical text of a normalised feature. */
  readonly moments: ReadonlyMap<string, Expr>;
}

export function familyContext(spec: FamilySpec): FamilyContext {
  const params = spec.params.map((p) => p.name);
  const l = replaceLogNormalizer(strip(spec.logDensity), spec);
  const expfam = spec.expfam
    ? { eta: spec.expfam.eta.map((e) => simplify(strip(e))), A: simplify(strip(spec.expfam.A)), ET: spec.expfam.ET.map((e) => simplify(strip(e))) }
    : null;
  let values: number[] | null = null;
  if (spec.support.kind === 'finite') values = [...spec.support.values];
  else if (spec.support.kind === 'integers' && spec.support.hi - spec.support.lo + 1 <= MAX_FINITE_POINTS) {
    values = [];
    for (let v = spec.support.lo; v <= spec.support.hi; v++) values.push(v);
  }
  let finite: FamilyContext['finite'] = null;
  if (values && spec.variables.length === 1 && values.length <= MAX_FINITE_POINTS) {
    const x = spec.variables[0];
    finite = values.map((v) => {
      const c = spec.logDensityCases?.get(v);
      return { value: v, logp: c ? strip(c) : substitute(l, new Map([[x, num(v)]])) };
    });
  }
  const moments = new Map<string, Expr>();
  for (const [k, v] of spec.moments) moments.set(featureKey(strip(parse(k))), strip(v));
  return { spec, params, xvars: new Set(spec.variables), l, expfam, finite, moments };
}

/** Canonical text of an x-feature (normal form of the simplifier), for moments-table lookups. */
export function featureKey(feature: Expr): string {
  return simplifyTree(feature).toString({ parenthesis: 'auto', implicit: 'show' });
}

/** One expectation request: a θ-derivative of l (multi-index of parameter positions) or a general f. */
export type ExpectItem = { readonly deriv: readonly number[] } | { readonly f: Expr };

export interface ExpectBatch {
  readonly values: Expr[];
  readonly route: Route;
}

function itemExpr(ctx: FamilyContext, it: ExpectItem): Expr {
  return 'f' in it ? it.f : partial(ctx.l, it.deriv.map((i) => ctx.params[i]));
}

const derivMemo = new WeakMap<Expr, Map<string, Expr>>();

/**
 * ∂^α e for an x-free e with simplification after every order (keeps derivatives of natural
 * parameters such as Σ⁻¹ entries small); memoised per (tree, sorted multi-index).
 */
export function simplePartial(e: Expr, params: readonly string[], idx: readonly number[]): Expr {
  if (idx.length === 0) return e;
  const sorted = [...idx].sort((a, b) => a - b);
  let m = derivMemo.get(e);
  if (!m) derivMemo.set(e, (m = new Map()));
  const k = sorted.join(',');
  const hit = m.get(k);
  if (hit) return hit;
  const lower = simplePartial(e, params, sorted.slice(0, -1));
  const r = constValue(lower) === 0 ? ZERO : simplify(differentiate(lower, params[sorted[sorted.length - 1]]));
  m.set(k, r);
  return r;
}

/** E[∂^α l] by the exponential-family identity. */
function expfamDerivative(ctx: FamilyContext, idx: readonly number[]): Expr {
  const ef = ctx.expfam!;
  let s = ZERO;
  ef.eta.forEach((eta, a) => {
    const de = simplePartial(eta, ctx.params, idx);
    if (constValue(de) !== 0) s = add(s, mul(de, ef.ET[a]));
  });
  return sub(s, simplePartial(ef.A, ctx.params, idx));
}

/** Σ_v p(v) f(v) over a finite support, or null when f has another data variable. */
export function finiteSum(ctx: FamilyContext, f: Expr): Expr {
  const x = ctx.spec.variables[0];
  const terms: Expr[] = [];
  for (const { value, logp } of ctx.finite!) {
    const fv = substitute(f, new Map([[x, num(value)]]));
    if (constValue(fv) === 0) continue;
    terms.push(mul(fn('exp', logp), fv));
  }
  return sum(terms);
}

/** E[f] by expansion and the moments table, or null when a feature is not in the table. */
export function momentsExpectation(ctx: FamilyContext, f: Expr): Expr | null {
  if (!dependsOn(f, ctx.xvars)) return f;
  const terms = expandTerms(f, (n) => dependsOn(n, ctx.xvars));
  if (!terms) return null;
  const out: Expr[] = [];
  for (const t of terms) {
    if (t.feature === null) {
      out.push(t.coef);
      continue;
    }
    const m = ctx.moments.get(featureKey(t.feature));
    if (!m) return null;
    out.push(mul(t.coef, m));
  }
  return sum(out);
}

export interface ExpectOptions {
  /** Routes not to use (tests compare routes; 'quadrature' cannot be skipped). */
  readonly skip?: readonly Route[];
}

/**
 * Expectations of a batch of items by the first route that handles every item (see module doc).
 * Items that do not depend on x are returned unchanged by every route.
 */
export function expectBatch(ctx: FamilyContext, items: readonly ExpectItem[], opts: ExpectOptions = {}): ExpectBatch {
  const skip = new Set(opts.skip ?? []);
  const exprs = items.map((it) => itemExpr(ctx, it));
  const allDeriv = items.every((it) => 'deriv' in it && it.deriv.length > 0);
  if (ctx.expfam && allDeriv && !skip.has('exponential-family')) {
    return {
      values: items.map((it) => expfamDerivative(ctx, (it as { deriv: readonly number[] }).deriv)),
      route: 'exponential-family',
    };
  }
  if (ctx.finite && !skip.has('finite-sum')) {
    return { values: exprs.map((f) => (dependsOn(f, ctx.xvars) ? finiteSum(ctx, f) : f)), route: 'finite-sum' };
  }
  if (ctx.moments.size > 0 && !skip.has('moments')) {
    const vals: Expr[] = [];
    let ok = true;
    for (const f of exprs) {
      const v = momentsExpectation(ctx, f);
      if (!v) {
        ok = false;
        break;
      }
      vals.push(v);
    }
    if (ok) return { values: vals, route: 'moments' };
  }
  return { values: exprs.map((f) => deferred(ctx, f)), route: 'quadrature' };
}

/** The deferred node expect(f) (f itself when it does not depend on x). */
export function deferred(ctx: FamilyContext, f: Expr): Expr {
  if (!dependsOn(f, ctx.xvars)) return f;
  return fn('expect', f);
}

/** ∂_m of an expression that may contain expect(·) nodes (score identity inside). */
export function differentiateWithExpect(ctx: FamilyContext, e: Expr, m: number): Expr {
  return differentiate(e, ctx.params[m], { logDensity: ctx.l });
}

