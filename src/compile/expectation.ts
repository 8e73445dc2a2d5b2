/**
 * Numeric expectations E_θ[f_k(x; θ)] over a family's support, for the deferred `expect(f)` nodes
 * of a derivation and for quantities without a closed form (KL, Amari–Chentsov tensor).
 *
 * E[f] = ∫ f e^{l − l₀} dx / ∫ e^{l − l₀} dx (sums for discrete supports), so an unnormalised
 * log-density still gives expectations; l₀ is l at the mode (overflow guard). All f_k and l are
 * compiled into ONE per-sample closure (shared subexpressions) and each node x is evaluated once:
 * the component integrals reuse a memo of the vector values, since integrateOver visits the same
 * nodes for every component. The integration is split at the family's breakpoints (evaluated at θ)
 * and, on real / positive supports, centred and scaled at the mode of l and its half-width
 * (l(mode ± s) = l(mode) − ½), found by a scan plus golden-section search.
 */
import type { MathNode } from 'mathjs';
import { integrateOver, integrateOverVector } from '../core/quadrature.js';
import type { IntegrateOptions, QuadFailure, QuadSupport, VectorQuadResult } from '../core/quadrature.js';
import type { Consts, DataBundle, ExprInputs, ThetaFn } from './compileExprs.js';
import { compileExprs } from './compileExprs.js';

export interface SupportInfo {
  readonly support: QuadSupport;
  /** Data variable names (1 or 2; 3 for a simplex whose last coordinate is 1 − x1 − x2). */
  readonly variables: readonly string[];
  /** Breakpoints as a θ-closure, or null. */
  readonly breakpoints: ThetaFn | null;
}

/** A quadrature (or series) behind an expectation that did not reach its tolerance. */
export interface ExpectationFailure {
  readonly theta: readonly number[];
  /** Index of the failing integrand f_k; −1 when the failing component is the density e^l itself. */
  readonly integrand: number;
  /** Indices of every integrand whose expectation was dropped (NaN). */
  readonly dropped: readonly number[];
  /** What the quadrature found (undefined when it gave no reason). */
  readonly failure: QuadFailure | undefined;
  /** Sentence saying where and why (see {@link describeQuadFailure}). */
  readonly message: string;
}

export interface QuadratureSettings {
  readonly rtol: number;
  /** Told about every expectation that comes back NaN (the closures themselves never throw). */
  readonly onFailure?: (f: ExpectationFailure) => void;
}

const fmtNum = (v: number): string => (Number.isFinite(v) ? Number(v.toPrecision(4)).toString() : String(v));

/** The support as a range, for messages. */
export function describeSupport(info: SupportInfo): string {
  const x = info.variables.join(', ');
  const s = info.support;
  switch (s.kind) {
    case 'real':
      return info.variables.length > 1 ? `(${x}) ∈ ℝ^${info.variables.length}` : `${x} ∈ (−∞, ∞)`;
    case 'positive':
      return info.variables.length > 1 ? `(${x}) ∈ (0, ∞)^${info.variables.length}` : `${x} ∈ (0, ∞)`;
    case 'unit':
      return `${x} ∈ (0, 1)`;
    case 'circle':
      return `${x} ∈ [−π, π)`;
    case 'nonnegint':
      return `${x} = 0, 1, 2, …`;
    case 'simplex':
      return `(${x}) in the simplex`;
    case 'integers':
      return `${x} = ${s.lo}, …, ${s.hi}`;
    case 'finite':
      return `${x} ∈ {${s.values.join(', ')}}`;
  }
}

/**
 * Where and why a quadrature failed, as one sentence ("the integrand is NaN at x = 0.3 …"). Says
 * only what was measured: a breakpoint is suggested only when refinement did not settle, overflow
 * only when a value was infinite.
 */
export function describeQuadFailure(info: SupportInfo, f: QuadFailure | undefined, what = 'the integrand'): string {
  const x = info.variables[0] ?? 'x';
  const range = describeSupport(info);
  if (!f) return `the quadrature over ${range} did not reach its tolerance`;
  const near = (at: number, d: number | undefined): string => {
    if (d === undefined || !(d < Infinity)) return `${x} = ${fmtNum(at)}`;
    // On a finite end the node may round to the end itself: give the distance.
    const end = Math.round(at);
    return Math.abs(at - end) <= 2 * d && d < 1e-3 ? `${x} = ${end} ${at < end || (at === end && end > 0) ? '−' : '+'} ${fmtNum(d)}` : `${x} = ${fmtNum(at)}`;
  };
  switch (f.reason) {
    case 'non-finite': {
      const v = f.value;
      const kind =
        v === Infinity || v === -Infinity
          ? `${v > 0 ? '+' : '−'}Infinity (an overflow, or a pole that is not integrable)`
          : 'NaN (0/0, ∞ − ∞, 0·∞ or log of a negative number in the expression)';
      const beyond =
        f.estimate !== undefined
          ? ` (the nodes beyond it were dropped, and the mass there, ~${fmtNum(f.estimate)}, exceeds the tolerance ${fmtNum(f.tolerance ?? NaN)})`
          : '';
      return `${what} is ${kind} at ${near(f.at, f.distance)}, inside ${range}${beyond}`;
    }
    case 'end-mass':
      return (
        `${what} has an endpoint singularity at ${x} = ${fmtNum(Math.round(f.at))} too strong to integrate in double precision: ` +
        `the mass beyond the closest node (at distance ${fmtNum(f.distance ?? NaN)}) is ~${fmtNum(f.estimate ?? NaN)} against a tolerance of ${fmtNum(f.tolerance ?? NaN)} ` +
        `(a singularity like d^(−1) or stronger is not integrable; the expectation may be infinite)`
      );
    case 'tail':
      return (
        `${what} decays too slowly in the tail of ${range} (still ~${fmtNum(f.estimate ?? NaN)} of mass beyond ${x} = ${fmtNum(f.at)}, ` +
        `tolerance ${fmtNum(f.tolerance ?? NaN)}): a tail like |${x}|^(−1) or heavier is not integrable, so the expectation may be infinite`
      );
    case 'unsettled':
      return (
        `the quadrature over ${range} did not settle at its finest level (last change ~${fmtNum(f.estimate ?? NaN)}, tolerance ${fmtNum(f.tolerance ?? NaN)}): ` +
        `${what} has a kink, jump or very narrow peak (declare \`breakpoints\` for kinks that move with θ) or oscillates`
      );
    case 'series':
      return `the sum over ${range} has not converged after ${f.at} terms (tail bound ~${fmtNum(f.estimate ?? NaN)}, tolerance ${fmtNum(f.tolerance ?? NaN)}): the terms decay too slowly`;
    case 'no-mass':
      return `every sampled value of ${what} over ${range} is 0 (the density underflows everywhere the nodes fall)`;
  }
}

const DEFAULT_SETTINGS: QuadratureSettings = { rtol: 1e-13 };

/** Relative density below which a non-finite integrand value is an overflow artefact: a finite f below 1e15 would contribute < 1e-15 there. */
const NEGLIGIBLE_WEIGHT = 1e-30;

/** Relative error estimate up to which a non-converged quadrature result is still returned (else NaN). */
const UNCONVERGED_RTOL = 1e-8;

/**
 * How data points are passed to quadrature closures: 'unit' (one variable on (0, 1)) as
 * [x, 1 − x], 'simplex' as [x1, x2, 1 − x1 − x2], the complements taken from the quadrature
 * (accurate near the far edge); undefined: a number (one variable) or [x1, x2].
 */
export function complementKind(info: SupportInfo): 'unit' | 'simplex' | undefined {
  if (info.support.kind === 'unit' && info.variables.length === 1) return 'unit';
  if (info.support.kind === 'simplex' && info.variables.length === 2) return 'simplex';
  return undefined;
}

/** Number of quadrature dimensions of a support with the given variables. */
export function quadDim(info: SupportInfo): 1 | 2 {
  return info.support.kind === 'simplex' || info.variables.length >= 2 ? 2 : 1;
}

/**
 * Writes the data point for quadrature arguments (x, y, z) (see core/quadrature's Integrand) into
 * `buf`, or returns x for one plain variable. Missing complements (NaN) are computed directly.
 */
export function pointMaker(info: SupportInfo): (x: number, y: number, z: number, buf: Float64Array) => number | Float64Array {
  const kind = complementKind(info);
  if (kind === 'unit') {
    return (x, y, _z, buf) => {
      buf[0] = x;
      buf[1] = y === y ? y : 1 - x;
      return buf;
    };
  }
  if (kind === 'simplex') {
    return (x, y, z, buf) => {
      buf[0] = x;
      buf[1] = y;
      buf[2] = z === z ? z : 1 - x - y;
      return buf;
    };
  }
  if (quadDim(info) === 1) return (x) => x;
  return (x, y, _z, buf) => {
    buf[0] = x;
    buf[1] = y;
    return buf;
  };
}

const GOLD = (Math.sqrt(5) - 1) / 2;

/** Maximiser of a 1-D function on [a, b] by golden-section search. */
function goldenMax(f: (x: number) => number, a: number, b: number, iters = 60): number {
  let c = b - GOLD * (b - a);
  let d = a + GOLD * (b - a);
  let fc = f(c);
  let fd = f(d);
  for (let i = 0; i < iters && Math.abs(b - a) > 1e-12 * (Math.abs(a) + Math.abs(b) + 1e-300); i++) {
    if (fc >= fd || !(fd === fd)) {
      b = d;
      d = c;
      fd = fc;
      c = b - GOLD * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + GOLD * (b - a);
      fd = f(d);
    }
  }
  return fc >= fd ? c : d;
}

/** Mode and half-width of a 1-D log-density on a real or positive range (candidates include the breakpoints). */
export function modeHint(
  l: (x: number) => number,
  kind: 'real' | 'positive',
  extra: readonly number[] = [],
): { center: number; scale: number; value: number } {
  const grid: number[] = [...extra.filter((b) => Number.isFinite(b) && (kind === 'real' || b > 0))];
  for (let k = -12; k <= 32; k++) {
    const v = Math.pow(10, k / 4);
    grid.push(v);
    if (kind === 'real') grid.push(-v);
  }
  if (kind === 'real') grid.push(0);
  grid.sort((a, b) => a - b);
  let best = -1;
  let bestVal = -Infinity;
  grid.forEach((x, i) => {
    const v = l(x);
    if (v > bestVal) {
      bestVal = v;
      best = i;
    }
  });
  if (best < 0) return { center: kind === 'real' ? 0 : 1, scale: 1, value: 0 };
  const lo = best > 0 ? grid[best - 1] : kind === 'positive' ? 0 : grid[0] * 2;
  const hi = best + 1 < grid.length ? grid[best + 1] : grid[best] * 2;
  let m = goldenMax(l, lo, hi);
  let lm = l(m);
  if (!(lm >= bestVal)) {
    m = grid[best];
    lm = bestVal;
  }
  const width = (dir: 1 | -1): number => {
    let d = Math.max((hi - lo) / 4, Math.abs(m) * 1e-8, 1e-300);
    const target = lm - 0.5;
    const at = (s: number) => {
      const x = m + dir * s;
      return kind === 'positive' && x <= 0 ? -Infinity : l(x);
    };
    let k = 0;
    while (at(d) > target && k++ < 200) d *= 2;
    let a = 0;
    let b = d;
    for (let i = 0; i < 40; i++) {
      const c = 0.5 * (a + b);
      if (at(c) > target) a = c;
      else b = c;
    }
    return 0.5 * (a + b);
  };
  const w = 0.5 * (width(1) + width(-1));
  return { center: m, scale: w > 0 && Number.isFinite(w) ? w : 1, value: lm };
}

/** Expectation machinery of one bundle of integrands. */
export interface ExpectationEngine {
  /** E_θ[f_k], k = 0..K−1, into out. */
  evaluate(theta: ArrayLike<number>, out?: Float64Array): Float64Array;
  /** Generated source of the per-sample integrand bundle. */
  readonly source: string;
}

/**
 * Compiles integrands f_k (trees over θ and the data variables) together with the log-density and
 * returns the θ → E_θ[f] evaluator.
 */
export function expectationEngine(
  integrands: readonly MathNode[],
  logDensity: MathNode,
  params: readonly string[],
  info: SupportInfo,
  consts: Consts,
  settings: QuadratureSettings = DEFAULT_SETTINGS,
): ExpectationEngine {
  const inputs: ExprInputs = { theta: params, x: info.variables, complement: complementKind(info) };
  const bundle = compileExprs([...integrands, logDensity], inputs, consts) as DataBundle;
  const K = integrands.length;
  const evalVec = vectorExpectation(info, bundle, K, settings);
  return {
    source: bundle.factorySource,
    evaluate(theta, out) {
      const r = out ?? new Float64Array(K);
      evalVec(theta, r);
      return r;
    },
  };
}

/** Integration options (dim, breakpoints, centre/scale hints) and l₀ for one θ. */
export function quadOptions(
  info: SupportInfo,
  lAt: (x: number, y: number) => number,
  theta: ArrayLike<number>,
  settings: QuadratureSettings,
): { opts: IntegrateOptions; l0: number } {
  const dim = quadDim(info);
  const bps = info.breakpoints ? Array.from(info.breakpoints(theta)) : [];
  const opts: IntegrateOptions = { rtol: settings.rtol, dim, breakpoints: bps.length ? bps : undefined, complement: complementKind(info) !== undefined };
  const kind = info.support.kind;
  let l0 = NaN;
  if (kind === 'real' || kind === 'positive') {
    if (dim === 1) {
      const h = modeHint((x) => lAt(x, NaN), kind, bps);
      opts.center = h.center;
      opts.scale = h.scale;
      l0 = h.value;
    } else {
      // Coordinate-wise: x1 with x2 at a neutral point, then x2 at the x1 mode, then x1 again.
      const base = kind === 'real' ? 0 : 1;
      const h1 = modeHint((x) => lAt(x, base), kind);
      const h2 = modeHint((y) => lAt(h1.center, y), kind);
      const h1b = modeHint((x) => lAt(x, h2.center), kind);
      opts.center = [h1b.center, h2.center];
      opts.scale = [h1b.scale, h2.scale];
      l0 = h1b.value;
    }
  }
  if (!Number.isFinite(l0)) {
    // Discrete, bounded or circular support: the largest l over a few representative points.
    const probes = probePoints(info);
    l0 = -Infinity;
    for (const [x, y] of probes) {
      const v = lAt(x, y);
      if (v > l0) l0 = v;
    }
    if (!Number.isFinite(l0)) l0 = 0;
  }
  return { opts, l0 };
}

function probePoints(info: SupportInfo): [number, number][] {
  const s = info.support;
  switch (s.kind) {
    case 'unit':
      return [0.1, 0.3, 0.5, 0.7, 0.9].map((x) => [x, NaN]);
    case 'circle':
      return [-3, -2, -1, 0, 1, 2, 3].map((x) => [x, NaN]);
    case 'nonnegint':
      return [0, 1, 2, 5, 10, 30, 100].map((x) => [x, NaN]);
    case 'integers':
      return [s.lo, s.hi, 0, Math.round((s.lo + s.hi) / 2)].filter(Number.isFinite).map((x) => [x, NaN]);
    case 'finite':
      return s.values.map((x) => [x, NaN]);
    case 'simplex':
      return [[1 / 3, 1 / 3], [0.1, 0.1], [0.8, 0.1], [0.1, 0.8]];
    default:
      return [[0, 0]];
  }
}

/**
 * θ → E_θ[f_k] for a compiled bundle whose outputs are f_0..f_{K−1} followed by l (output K): one
 * vector quadrature (integrateOverVector) of [w·f_0, …, w·f_{K−1}, w], w = e^{l − l₀}, so each
 * node is evaluated once; E[f_k] = ∫ w f_k / ∫ w.
 */
export function vectorExpectation(
  info: SupportInfo,
  bundle: DataBundle,
  K: number,
  settings: QuadratureSettings = DEFAULT_SETTINGS,
): (theta: ArrayLike<number>, out: Float64Array) => void {
  const mk = pointMaker(info);
  const buf = new Float64Array(3);
  const tmp = new Float64Array(K + 1);
  return (theta, out) => {
    const sample = bundle.factory(theta);
    const lAt = (x: number, y: number): number => sample(mk(x, y, NaN, buf), tmp)[K];
    const { opts, l0 } = quadOptions(info, lAt, theta, settings);
    const r = integrateOverVector(
      info.support,
      (o, x, y, z) => {
        const v = sample(mk(x, y, z, buf), tmp);
        const w = Math.exp(v[K] - l0);
        if (w === 0) o.fill(0);
        else {
          // Deep in a tail (weight < 1e-30 of the mode) an intermediate such as (1 + e^u)^8 can overflow (u > 89) and make
          // f non-finite (Inf/Inf) although f·w is negligible there: count such a node as carrying no mass.
          // Elsewhere a non-finite value propagates, so a genuinely bad integrand still fails loudly.
          for (let k = 0; k < K; k++) {
            const fk = v[k];
            o[k] = Number.isFinite(fk) || w >= NEGLIGIBLE_WEIGHT ? fk * w : 0;
          }
          o[K] = w;
        }
      },
      K + 1,
      opts,
    );
    const z = r.values[K];
    for (let k = 0; k < K; k++) out[k] = r.values[k] / z;
    if (!r.converged) {
      // Never return a silently wrong expectation: keep an entry only when its own error estimate is
      // small against its value or against the bundle's largest entry (entries that vanish by symmetry).
      let big = 0;
      for (let k = 0; k <= K; k++) big = Math.max(big, Math.abs(r.values[k]));
      for (let k = 0; k < K; k++) {
        const e = r.errors[k];
        if (!(e <= UNCONVERGED_RTOL * Math.abs(r.values[k]) || e <= UNCONVERGED_RTOL * big)) out[k] = NaN;
      }
      if (!(r.errors[K] <= UNCONVERGED_RTOL * Math.abs(z))) out.fill(NaN, 0, K);
    }
    if (settings.onFailure) reportDropped(info, r, out, K, theta, settings.onFailure);
  };
}

function reportDropped(
  info: SupportInfo,
  r: VectorQuadResult,
  out: Float64Array,
  K: number,
  theta: ArrayLike<number>,
  sink: (f: ExpectationFailure) => void,
): void {
  const dropped: number[] = [];
  for (let k = 0; k < K; k++) if (!Number.isFinite(out[k])) dropped.push(k);
  if (dropped.length === 0) return;
  const c = r.failure?.component;
  const integrand = c === K ? -1 : c !== undefined && c < K ? c : dropped[0];
  const what = integrand < 0 ? 'the density e^l' : 'the integrand';
  sink({ theta: Array.from(theta), integrand, dropped, failure: r.failure, message: describeQuadFailure(info, r.failure, what) });
}

/** log ∫ e^{l} (the log-normaliser) at θ, for KL with unnormalised densities. */
export function logNormaliser(
  info: SupportInfo,
  lSample: (theta: ArrayLike<number>) => (x: number | Float64Array) => number,
  theta: ArrayLike<number>,
  settings: QuadratureSettings = DEFAULT_SETTINGS,
  /** Set to whether the quadrature/summation reached its tolerance. */
  status?: { converged: boolean },
): number {
  const l = lSample(theta);
  const mk = pointMaker(info);
  const buf = new Float64Array(3);
  const lAt = (x: number, y: number, z = NaN) => l(mk(x, y, z, buf));
  const { opts, l0 } = quadOptions(info, lAt, theta, settings);
  const r = integrateOver(info.support, (x, y, zc) => Math.exp(lAt(x, y, zc) - l0), opts);
  if (status) status.converged = r.converged;
  return l0 + Math.log(r.value);
}


/**
 * KL(p_from ‖ p_to) = E_from[l_from − l_to] − log Z_from + log Z_to by quadrature (Z = ∫ e^l, 1 for
 * normalised families), split at the breakpoints of both points.
 */
export function klQuadrature(
  info: SupportInfo,
  lSample: (theta: ArrayLike<number>) => (x: number | Float64Array) => number,
  from: ArrayLike<number>,
  to: ArrayLike<number>,
  settings: QuadratureSettings = DEFAULT_SETTINGS,
): number {
  const lf = lSample(from);
  const lt = lSample(to);
  const mk = pointMaker(info);
  const buf = new Float64Array(3);
  const lfAt = (x: number, y: number, z = NaN) => lf(mk(x, y, z, buf));
  const { opts, l0 } = quadOptions(info, lfAt, from, settings);
  const bpTo = info.breakpoints ? Array.from(info.breakpoints(to)) : [];
  if (bpTo.length) opts.breakpoints = [...(opts.breakpoints ?? []), ...bpTo];
  // One vector quadrature of [w, w·(l_from − l_to)], w = e^{l_from − l₀}.
  const r = integrateOverVector(
    info.support,
    (o, x, y, zc) => {
      const a = lf(mk(x, y, zc, buf));
      const w = Math.exp(a - l0);
      o[0] = w;
      o[1] = w === 0 ? 0 : (a - lt(mk(x, y, zc, buf))) * w;
    },
    2,
    opts,
  );
  const z = r.values[0];
  const e = r.values[1];
  const kl = e / z - (l0 + Math.log(z)) + logNormaliser(info, lSample, to, settings);
  if (!Number.isFinite(kl) && settings.onFailure) {
    const c = r.failure?.component;
    const what = c === 0 ? 'the density e^l of the from-point' : 'the integrand p_from·(l_from − l_to)';
    settings.onFailure({ theta: Array.from(from), integrand: c === 1 ? 0 : -1, dropped: [0], failure: r.failure, message: describeQuadFailure(info, r.failure, what) });
  }
  return kl;
}

/**
 * θ ↦ (x ↦ l(x; θ)) for quadrature over `info` (data points as {@link pointMaker} builds them:
 * [x, 1 − x] on the unit interval, arrays for two variables, numbers otherwise).
 */
export function logDensitySampler(
  logDensity: MathNode,
  params: readonly string[],
  info: SupportInfo,
  consts: Consts,
): (theta: ArrayLike<number>) => (x: number | Float64Array) => number {
  const b = compileExprs([logDensity], { theta: params, x: info.variables, complement: complementKind(info) }, consts) as DataBundle;
  return (theta) => {
    const s = b.factory(theta);
    const o = new Float64Array(1);
    return (x) => s(x, o)[0];
  };
}
