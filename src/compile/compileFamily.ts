/**
 * Derivation → CompiledFamily: numeric closures for every geometric object of a family.
 *
 * Routes (reported in `methods`):
 *  - closed-form: the symbolic object is compiled to generated code (./compileExprs.ts);
 *  - quadrature: entries contain deferred `expect(f)` nodes; every f of a bundle is compiled into
 *    one per-sample closure and E_θ[f] is integrated over the support (./expectation.ts), then
 *    the bundle is evaluated with those values;
 *  - finite-difference: ∂g and ∂²g of a quadrature metric of a non-smooth family (dFisher null)
 *    by Richardson-extrapolated central differences (steps 0.03/√g_kk, at most 1/50 of the distance
 *    to the domain boundary; the same for ∂²g when only ∂g is symbolic);
 *  - numeric: assembled from the above (Γ^k_ij = g^{kl}Γ_ij,l by LU when no symbolic second kind;
 *    Riemann/Ricci/scalar curvature from g, ∂g, ∂²g; Γ^(α) from Γ and T).
 * Index conventions: see src/core/types.ts. Closures never throw; checkPoint validates.
 */
import { OperatorNode } from '../core/mathjs.js';
import type { MathNode } from 'mathjs';
import type { CompiledFamily, DataPoint } from '../core/types.js';
import { checkPoint as checkSpecPoint } from '../declare/checkPoint.js';
import { containsExpect as treeContainsExpect } from '../derive/differentiate.js';
import type { Derivation } from '../derive/types.js';
import { isConst } from '../derive/build.js';
import { IRBuilder } from './cse.js';
import { instantiate, makeResolver, compileExprs } from './compileExprs.js';
import type { DataBundle, ThetaFn } from './compileExprs.js';
import { expectationEngine, klQuadrature, logDensitySampler, complementKind, vectorExpectation } from './expectation.js';
import type { ExpectationFailure, QuadratureSettings, SupportInfo } from './expectation.js';
import { printJs } from './printJs.js';
import { UNROLLED_RAISE_MAX_DIM, unrolledRaise, unrolledRaiseSource } from './unrolledRaise.js';
import { normalizerEvaluator } from './normalizer.js';
import {
  christoffelFirstFromDg,
  raiseFirstIndex,
  raiseWorkspace,
  type RaiseWorkspace,
  ricciFromRiemann,
  riemannFromMetric,
  richardsonDerivatives,
  scalarFromRicci,
} from './numericGeometry.js';

/** Finite-difference step in Fisher-length units (h_k = FD_STEP / √g_kk, before Richardson halvings). */
const FD_STEP = 0.03;
/** Steps are at most 1/FD_MARGIN of the distance to the domain boundary. */
const FD_MARGIN = 50;

/** A θ-bundle compiled with quadrature for its `expect` nodes when it has any. */
export interface ThetaObject {
  readonly evaluate: ThetaFn;
  readonly method: 'closed-form' | 'quadrature';
  readonly source: string;
  readonly length: number;
}

export interface CompileOptions {
  /** Relative tolerance of the quadratures (default 1e-13). */
  readonly rtol?: number;
}

/** `[a][b]` for flat entry e of an object with `length` entries over the parameters. */
export function entryName(e: number, length: number, params: readonly string[]): string {
  const n = params.length;
  if (length <= 1 || n <= 1) return length <= 1 ? '' : `[${e}]`;
  const rank = Math.round(Math.log(length) / Math.log(n));
  if (n ** rank !== length) return `[${e}]`;
  const idx: string[] = [];
  for (let r = 0, rest = e; r < rank; r++, rest = Math.floor(rest / n)) idx.unshift(params[rest % n]);
  return idx.map((p) => `[${p}]`).join('');
}

/** `(a=2, b=0.5)` */
export function pointText(theta: ArrayLike<number>, params: readonly string[]): string {
  return `(${params.map((p, i) => `${p}=${Number(theta[i].toPrecision(6))}`).join(', ')})`;
}

/** Shortened text of an integrand for messages. */
function short(f: MathNode, max = 100): string {
  const t = f.toString();
  return t.length > max ? t.slice(0, max - 1) + '…' : t;
}

function flatten(x: unknown): MathNode[] {
  return Array.isArray(x) ? x.flatMap(flatten) : [x as MathNode];
}

function containsExpect(trees: readonly MathNode[]): boolean {
  return trees.some((t) => treeContainsExpect(t));
}

/**
 * Compiles θ-expressions; when they contain `expect(f)` nodes, the f's are collected (shared between
 * entries), compiled with the log-density into one integrand bundle, and integrated per call.
 */
export function compileThetaObject(
  trees: readonly MathNode[],
  d: Derivation,
  info: SupportInfo,
  settings: QuadratureSettings,
  name = 'object',
  report?: (message: string) => void,
): ThetaObject {
  const spec = d.family;
  const consts = spec.constants;
  if (!containsExpect(trees)) {
    const b = compileExprs(trees, { theta: d.params }, consts);
    return { evaluate: b.evaluate, method: 'closed-form', source: b.source, length: trees.length };
  }
  // Collect the integrands: structural sharing through one IR builder keyed by node id.
  const fBuilder = new IRBuilder(makeResolver({ theta: d.params, x: spec.variables }, consts));
  const fIds = new Map<number, number>();
  const integrands: MathNode[] = [];
  const onExpect = (f: MathNode): number => {
    const id = fBuilder.add(f);
    let k = fIds.get(id);
    if (k === undefined) {
      k = integrands.length;
      fIds.set(id, k);
      integrands.push(f);
    }
    return k;
  };
  const b = new IRBuilder(makeResolver({ theta: d.params }, consts), onExpect);
  const ir = b.finish(trees.map((t) => b.add(t)));
  const outerSource = printJs(ir, { output: 'vector', params: ['theta', 'ev', 'out'] });
  const outer = instantiate<(theta: ArrayLike<number>, ev: Float64Array, out?: Float64Array) => Float64Array>(outerSource);
  let pending: ExpectationFailure | null = null;
  const engine = expectationEngine(integrands, d.logDensity, d.params, info, consts, {
    ...settings,
    onFailure: (f) => {
      pending = f;
    },
  });
  const ev = new Float64Array(integrands.length);
  return {
    method: 'quadrature',
    length: trees.length,
    source: `// expectations E[f_k] by quadrature; integrand bundle:\n${engine.source}\n// object from the expectations (ev[k] = E[f_k]):\n${outerSource}`,
    evaluate: (theta, out) => {
      pending = null;
      const res = outer(theta, engine.evaluate(theta, ev), out);
      const f = pending as ExpectationFailure | null;
      if (f && report) {
        let e = res.findIndex((v) => !Number.isFinite(v));
        if (e < 0) e = 0;
        const k = f.integrand < 0 ? f.dropped[0] : f.integrand;
        report(
          `${name}${entryName(e, trees.length, d.params.slice(0, d.dim))} at ${pointText(theta, d.params.slice(0, d.dim))} needs E[f] with f = ${short(integrands[k])}; ` + f.message,
        );
      }
      return res;
    },
  };
}

/** Builds every member of CompiledFamily from a derivation. */
export function compileFamily(d: Derivation, options: CompileOptions = {}): CompiledFamily {
  const spec = d.family;
  const n = d.dim;
  const n2 = n * n;
  const n3 = n2 * n;
  const consts = spec.constants;
  let lastFailure: string | null = null;
  let normalizerFailed = false;
  const report = (message: string): void => {
    // A failed normaliser series makes every later expectation at that θ fail too: keep its message.
    if (!normalizerFailed) lastFailure = message;
  };
  const settings: QuadratureSettings = { rtol: options.rtol ?? 1e-13 };
  const vars = spec.variables;
  const breakpoints = spec.breakpoints.length ? compileExprs(spec.breakpoints, { theta: d.params }, consts) : null;
  const info: SupportInfo = { support: spec.support, variables: vars, breakpoints: breakpoints ? breakpoints.evaluate : null };
  const source: Record<string, string> = {};
  const methods: Record<string, string> = {};
  if (breakpoints) source.breakpoints = breakpoints.source;

  // A series normaliser: its symbols (log Z, ∂^α log Z) become extra inputs after θ, computed per θ.
  const norm = d.normalizer
    ? normalizerEvaluator(d.normalizer, d.params, consts, settings.rtol, (message) => {
        lastFailure = message;
        normalizerFailed = true;
      })
    : null;
  const P = norm ? [...d.params, ...norm.names] : d.params;
  const aug = norm
    ? (theta: ArrayLike<number>): ArrayLike<number> => {
        const a = norm.augment(theta);
        normalizerFailed = Number.isNaN(a[d.dim]);
        return a;
      }
    : (theta: ArrayLike<number>) => theta;
  const dc: Derivation = norm ? { ...d, params: P } : d;
  if (norm) {
    source.normalizer = norm.source;
    methods.normalizer = 'series (log space, ratio-test tail bound)';
  }

  // log-density and score (per sample).
  const ld = compileExprs([d.logDensity], { theta: P, x: vars }, consts) as DataBundle;
  source.logDensity = ld.source;
  const ldOut = new Float64Array(1);
  const logDensity = (x: DataPoint, theta: ArrayLike<number>): number => ld.evaluate(x, aug(theta), ldOut)[0];
  const lSampleP = logDensitySampler(d.logDensity, P, info, consts);
  const lSample = norm ? (theta: ArrayLike<number>) => lSampleP(aug(theta)) : lSampleP;
  const sc = compileExprs(d.score, { theta: P, x: vars }, consts) as DataBundle;
  source.score = sc.source;
  methods.score = 'closed-form';

  /** Compiles one symbolic θ-object and records its generated source and route under `name`. */
  const compiled = (name: string, entries: unknown): ThetaFn => {
    const o = compileThetaObject(flatten(entries), dc, info, settings, name, report);
    source[name] = o.source;
    methods[name] = o.method;
    return norm ? (theta, out) => o.evaluate(aug(theta), out) : o.evaluate;
  };

  // Fisher metric.
  const fisher = compiled('fisher', d.fisher);

  const check = (theta: ArrayLike<number>): string | null => checkSpecPoint(spec, theta);

  // Metric derivatives: symbolic, or finite differences of the (quadrature) metric.
  const g0 = new Float64Array(n2);
  const fdSteps = (theta: ArrayLike<number>): Float64Array => {
    fisher(theta, g0);
    const h = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      let s = FD_STEP / Math.sqrt(Math.abs(g0[k * n + k]));
      if (!Number.isFinite(s) || s === 0) s = 1e-3 * Math.max(1, Math.abs(theta[k]));
      h[k] = s;
    }
    // Keep a magnified stencil (±M h_k, ±M h_k ± M h_l) inside the domain and constraints, so the
    // steps are small against the distance to any boundary where the metric blows up.
    for (let tries = 0; tries < 60; tries++) {
      let ok = true;
      const q = Float64Array.from(theta);
      for (let k = 0; k < n && ok; k++)
        for (const sk of [-1, 1]) {
          for (let l = 0; l < n && ok; l++)
            for (const sl of [-1, 1]) {
              q.set(theta);
              q[k] += sk * FD_MARGIN * h[k];
              if (l !== k) q[l] += sl * FD_MARGIN * h[l];
              if (check(q) !== null) ok = false;
            }
        }
      if (ok) break;
      for (let k = 0; k < n; k++) h[k] /= 2;
    }
    return h;
  };

  /**
   * A quadrature object whose integrals can fail where the metric's do not (higher-order integrands
   * overflow in their intermediates nearer a singular end or far in a heavy tail than the mass
   * needs): where it returns NaN, `fallback` (finite differences of the metric) gives the values,
   * and the route says so.
   */
  const orFallback = (name: string, primary: ThetaFn, fallback: (theta: ArrayLike<number>) => Float64Array, how: string): ThetaFn => {
    if (methods[name] !== 'quadrature') return primary;
    methods[name] = `quadrature (${how} where it fails)`;
    return (theta, out) => {
      const r = primary(theta, out);
      if (r.every((v) => Number.isFinite(v))) return r;
      const f = fallback(theta);
      if (f.every((v) => Number.isFinite(v))) r.set(f);
      return r;
    };
  };
  const fdDg = (theta: ArrayLike<number>): Float64Array => richardsonDerivatives(fisher, theta, n2, fdSteps(theta), false).first;

  let dFisher: ThetaFn;
  let d2Fisher: ThetaFn;
  if (d.dFisher) {
    dFisher = orFallback('dFisher', compiled('dFisher', d.dFisher), fdDg, 'finite differences of the metric');
    if (d.d2Fisher) {
      const direct = compiled('d2Fisher', d.d2Fisher);
      if (methods.d2Fisher === 'quadrature') {
        // Fourth-order integrands can overflow in their intermediates closer to a singular end than
        // the mass needs (e.g. (1 − x^a)^8 below ~1e-40): where that quadrature fails, ∂²g comes from
        // Richardson differences of the ∂g quadrature instead, and the route says so.
        methods.d2Fisher = 'quadrature (finite differences of dFisher where it fails)';
        d2Fisher = (theta, out) => {
          const r = direct(theta, out);
          if (r.every((v) => Number.isFinite(v))) return r;
          const fd = richardsonDerivatives(dFisher, theta, n3, fdSteps(theta), false).first;
          if (fd.every((v) => Number.isFinite(v))) r.set(fd);
          return r;
        };
      } else d2Fisher = direct;
    } else {
      methods.d2Fisher = 'finite-difference';
      d2Fisher = (theta, out) => {
        const r = richardsonDerivatives(dFisher, theta, n3, fdSteps(theta), false).first;
        const res = out ?? new Float64Array(n2 * n2);
        // r[m][k][i][j] = ∂_m ∂_k g_ij, symmetric in (m, k).
        res.set(r);
        return res;
      };
    }
  } else {
    methods.dFisher = 'finite-difference';
    methods.d2Fisher = 'finite-difference';
    let cacheKey: Float64Array | null = null;
    let cache: { first: Float64Array; second: Float64Array | null } | null = null;
    const derivs = (theta: ArrayLike<number>, second: boolean) => {
      const same = cacheKey !== null && cacheKey.every((v, i) => Object.is(v, theta[i]));
      if (same && cache && (!second || cache.second)) return cache;
      cache = richardsonDerivatives(fisher, theta, n2, fdSteps(theta), second);
      cacheKey = Float64Array.from(theta);
      return cache;
    };
    dFisher = (theta, out) => {
      const res = out ?? new Float64Array(n3);
      res.set(derivs(theta, false).first);
      return res;
    };
    d2Fisher = (theta, out) => {
      const res = out ?? new Float64Array(n2 * n2);
      res.set(derivs(theta, true).second as Float64Array);
      return res;
    };
  }
  const derivMethod = methods.dFisher;

  // Christoffel symbols, first and second kind.
  let christoffelFirst: ThetaFn;
  if (d.christoffelFirst) {
    const dgBuf = new Float64Array(n3);
    christoffelFirst = orFallback(
      'christoffelFirst',
      compiled('christoffelFirst', d.christoffelFirst),
      (theta) => christoffelFirstFromDg(dFisher(theta, dgBuf), n),
      'from finite differences of the metric',
    );
  } else {
    methods.christoffelFirst = derivMethod;
    const dg = new Float64Array(n3);
    christoffelFirst = (theta, out) => christoffelFirstFromDg(dFisher(theta, dg), n, out);
  }
  // Raising the first index: generated LDLᵀ code for n ≤ 8 (./unrolledRaise.ts), one LU otherwise.
  const unrolled = n <= UNROLLED_RAISE_MAX_DIM ? unrolledRaise(n) : null;
  const raiseScratch = new Float64Array(n2 + n3);
  const raise = (g: Float64Array, first: Float64Array, out: Float64Array | undefined, ws: RaiseWorkspace): Float64Array => {
    if (!unrolled) return raiseFirstIndex(g, first, n, out, ws);
    raiseScratch.set(g);
    raiseScratch.set(first, n2);
    return unrolled(raiseScratch, out ?? new Float64Array(n3));
  };
  let christoffel: ThetaFn;
  if (d.christoffel) {
    const cfBuf = new Float64Array(n3);
    const gBuf = new Float64Array(n2);
    const cws = raiseWorkspace(n);
    christoffel = orFallback(
      'christoffel',
      compiled('christoffel', d.christoffel),
      (theta) => raiseFirstIndex(fisher(theta, gBuf), christoffelFirst(theta, cfBuf), n, undefined, cws),
      'from finite differences of the metric',
    );
  } else if (unrolled && d.christoffelFirst && methods.fisher === 'closed-form' && !containsExpect(flatten(d.christoffelFirst))) {
    // g and Γ_ij,l in one generated bundle (one CSE pass over both), then the unrolled solve.
    const firstTrees = flatten(d.christoffelFirst);
    const bundle = compileThetaObject([...flatten(d.fisher), ...firstTrees], dc, info, settings);
    const zero = firstTrees.map((e) => isConst(e, 0));
    const solve = unrolledRaise(n, zero);
    source.christoffel = `${bundle.source}\n// raise: ${n}×${n} LDLᵀ, unrolled, zero entries of Γ_ij,k skipped\n${unrolledRaiseSource(n, zero)}`;
    methods.christoffel = 'closed-form + unrolled LDLᵀ';
    const s = new Float64Array(n2 + n3);
    christoffel = (theta, out) => solve(bundle.evaluate(aug(theta), s) as Float64Array, out ?? new Float64Array(n3));
  } else {
    methods.christoffel = methods.christoffelFirst === 'closed-form' ? `closed-form + ${unrolled ? 'unrolled LDLᵀ' : 'LU'}` : methods.christoffelFirst;
    const ws = raiseWorkspace(n);
    const g = new Float64Array(n2);
    const first = new Float64Array(n3);
    christoffel = (theta, out) => raise(fisher(theta, g), christoffelFirst(theta, first), out, ws);
  }

  // Amari–Chentsov tensor.
  let amariChentsov: ThetaFn;
  if (d.amariChentsov) {
    amariChentsov = compiled('amariChentsov', d.amariChentsov);
  } else {
    methods.amariChentsov = 'quadrature';
    // Integrands s_i s_j s_k (i ≤ j ≤ k) and l in one bundle over the score trees.
    const idx: [number, number, number][] = [];
    for (let i = 0; i < n; i++) for (let j = i; j < n; j++) for (let k = j; k < n; k++) idx.push([i, j, k]);
    const prod = (a: MathNode, b: MathNode): MathNode => new OperatorNode('*', 'multiply', [a, b]);
    const trees = idx.map(([i, j, k]) => prod(prod(d.score[i], d.score[j]), d.score[k]));
    const bundle = compileExprs([...trees, d.logDensity], { theta: P, x: vars, complement: complementKind(info) }, consts) as DataBundle;
    source.amariChentsov = bundle.factorySource;
    const ev = vectorExpectation(info, bundle, idx.length, {
      ...settings,
      onFailure: (f) => {
        const [i, j, k] = idx[f.integrand < 0 ? f.dropped[0] : f.integrand];
        report(`amariChentsov[${d.params[i]}][${d.params[j]}][${d.params[k]}] at ${pointText(f.theta, d.params)} needs E[s_i s_j s_k]; ${f.message}`);
      },
    });
    const vals = new Float64Array(idx.length);
    amariChentsov = (theta, out) => {
      const res = out ?? new Float64Array(n3);
      ev(aug(theta), vals);
      idx.forEach(([i, j, k], m) => {
        const v = vals[m];
        for (const [a, b, c] of [[i, j, k], [i, k, j], [j, i, k], [j, k, i], [k, i, j], [k, j, i]]) res[(a * n + b) * n + c] = v;
      });
      return res;
    };
  }

  // α-connection: Γ^(α)k_ij = g^{kl}(Γ_ij,l − (α/2) T_ijl).
  const aws = raiseWorkspace(n);
  const ag = new Float64Array(n2);
  const aFirst = new Float64Array(n3);
  const aT = new Float64Array(n3);
  const alphaChristoffel = (alpha: number, theta: ArrayLike<number>, out?: Float64Array): Float64Array => {
    christoffelFirst(theta, aFirst);
    if (alpha !== 0) {
      amariChentsov(theta, aT);
      for (let i = 0; i < n3; i++) aFirst[i] -= 0.5 * alpha * aT[i];
    }
    return raise(fisher(theta, ag), aFirst, out, aws);
  };
  methods.alphaChristoffel = 'numeric';

  // Curvature from g, ∂g, ∂²g.
  const cg = new Float64Array(n2);
  const cdg = new Float64Array(n3);
  const cd2g = new Float64Array(n2 * n2);
  const riemann = (theta: ArrayLike<number>, out?: Float64Array): Float64Array =>
    riemannFromMetric(fisher(theta, cg), dFisher(theta, cdg), d2Fisher(theta, cd2g), n, out);
  const rbuf = new Float64Array(n2 * n2);
  let ricci = (theta: ArrayLike<number>, out?: Float64Array): Float64Array => ricciFromRiemann(riemann(theta, rbuf), n, out);
  const ricBuf = new Float64Array(n2);
  let scalarCurvature = (theta: ArrayLike<number>): number => scalarFromRicci(fisher(theta, cg), ricci(theta, ricBuf), n);
  methods.riemann = methods.d2Fisher === 'finite-difference' ? 'finite-difference' : 'numeric';
  methods.curvature = methods.riemann;
  if (d.scalarCurvature && !containsExpect([d.scalarCurvature])) {
    const o = compileExprs([d.scalarCurvature], { theta: P }, consts);
    source.scalarCurvature = o.source;
    const buf = new Float64Array(1);
    scalarCurvature = (theta) => o.evaluate(aug(theta), buf)[0];
    methods.curvature = 'closed-form';
    if (n === 2) {
      // Every surface is Einstein: R_ij = (R/2) g_ij. From the closed-form R this avoids the cancellation of
      // the numeric Riemann contraction where g is nearly degenerate or badly scaled (issue 10).
      const rg = new Float64Array(4);
      ricci = (theta, out = new Float64Array(4)) => {
        const half = scalarCurvature(theta) / 2;
        fisher(theta, rg);
        for (let i = 0; i < 4; i++) out[i] = half * rg[i];
        return out;
      };
    }
  }

  // KL divergence.
  let kl: (from: ArrayLike<number>, to: ArrayLike<number>) => number;
  if (d.kl && !containsExpect([d.kl.expr])) {
    const b = new IRBuilder(makeResolver({ theta: d.params, to: d.kl.toSymbols }, consts));
    const ir = b.finish([b.add(d.kl.expr)]);
    const src = printJs(ir, { output: 'scalar', params: ['theta', 'to'] });
    source.kl = src;
    kl = instantiate(src);
    methods.kl = 'closed-form';
  } else {
    kl = (from, to) =>
      klQuadrature(info, lSample, from, to, {
        ...settings,
        onFailure: (f) => report(`kl from ${pointText(from, d.params)} to ${pointText(to, d.params)}: ${f.message}`),
      });
    methods.kl = 'quadrature';
  }

  return {
    name: spec.name,
    dim: n,
    paramNames: d.params,
    variables: vars,
    methods: Object.freeze(methods),
    source: Object.freeze(source),
    logDensity,
    score: norm ? (x, theta, out) => sc.evaluate(x, aug(theta), out) : sc.evaluate,
    logDensityFactory: (theta: ArrayLike<number>) => {
      const f = ld.factory(aug(theta));
      const o = new Float64Array(1);
      return (x: DataPoint) => f(x, o)[0];
    },
    scoreFactory: norm ? (theta: ArrayLike<number>) => sc.factory(aug(theta)) : sc.factory,
    fisher,
    dFisher,
    christoffelFirst,
    christoffel,
    amariChentsov,
    alphaChristoffel,
    riemann,
    ricci,
    scalarCurvature,
    kl,
    checkPoint: check,
    lastFailure: () => lastFailure,
  };
}
