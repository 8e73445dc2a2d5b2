/**
 * Rebuilding the portable generated code of src/compile/compileStatistics.ts (closed-form MLE,
 * transform sampler, sufficient statistics) into closures. Imports only the function table, so a
 * worker thread can use it without loading mathjs or the family pipeline.
 */
import type { DataPoint } from '../core/types.js';
import { FUNCTION_TABLE } from './functionTable.js';

/** Observations: a Float64Array of scalars or an array of points. */
export type Sample = Float64Array | readonly DataPoint[];
type ThetaFn = (theta: ArrayLike<number>, out?: Float64Array) => Float64Array;
type DataFn = (x: DataPoint, theta: ArrayLike<number>, out?: Float64Array) => Float64Array;
type SampleFn = (x: DataPoint, out?: Float64Array) => Float64Array;

function instantiate<T>(source: string): T {
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  return new Function('F', source)(FUNCTION_TABLE) as T;
}

/** Generated code of a declared closed-form MLE. */
export interface PortableMle {
  readonly stats: readonly { readonly kind: 'mean' | 'var' | 'cov' | 'median'; readonly source: string }[];
  /** ThetaFn source over the statistics vector (θ slot = statistics). */
  readonly outer: string;
  readonly dim: number;
}

/** Generated code of a transform sampler. */
export interface PortableTransform {
  /** Random inputs in draw order: names starting with u are U(0, 1) (open), with z N(0, 1). */
  readonly inputs: readonly string[];
  /** Number of data variables (outputs). */
  readonly outputs: number;
  /** Factory source: θ ↦ ((inputs, out) ↦ out). */
  readonly factory: string;
}

/** Generated code of the exponential-family reduction. */
export interface PortableSuffStats {
  readonly dim: number;
  /** Number of sufficient statistics. */
  readonly k: number;
  /** DataFn source: x ↦ [T_1(x), …, T_k(x), log h(x)] (θ unused). */
  readonly T: string;
  /** ThetaFn source: θ ↦ [A, η_1..η_k, ∂_iA (i < dim), ∂_iη_a (row i, column a)]. */
  readonly natural: string;
  /**
   * DataFn source: x ↦ [a_1(x), …, a_k(x)] with a_a = g_a when T_a = log(g_a) (logOf[a]), else T_a:
   * the mean of such a statistic is taken as the log of the product of g_a (see meanT).
   */
  readonly acc?: string;
  readonly logOf?: readonly boolean[];
}

/** The closed-form estimator θ̂(sample) of a {@link PortableMle}. Never throws (NaN on trouble). */
export function instantiateMle(p: PortableMle): (data: Sample) => Float64Array {
  const feats = p.stats.map((s) => ({ kind: s.kind, fn: instantiate<DataFn>(s.source) }));
  const outer = instantiate<ThetaFn>(p.outer);
  return (data) => {
    const n = data.length;
    const s = new Float64Array(feats.length);
    const buf = new Float64Array(2);
    for (let k = 0; k < feats.length; k++) {
      const { kind, fn } = feats[k];
      const prev = s.subarray(0, k);
      if (kind === 'median') {
        const v = new Float64Array(n);
        for (let i = 0; i < n; i++) v[i] = fn(data[i] as DataPoint, prev, buf)[0];
        v.sort();
        s[k] = n === 0 ? NaN : n % 2 ? v[(n - 1) / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
        continue;
      }
      let m0 = 0;
      let m1 = 0;
      for (let i = 0; i < n; i++) {
        fn(data[i] as DataPoint, prev, buf);
        m0 += buf[0];
        m1 += buf[1];
      }
      m0 /= n;
      m1 /= n;
      if (kind === 'mean') {
        s[k] = m0;
        continue;
      }
      // two-pass (co)variance about the means, divisor n
      let c = 0;
      for (let i = 0; i < n; i++) {
        fn(data[i] as DataPoint, prev, buf);
        c += (buf[0] - m0) * ((kind === 'var' ? buf[0] : buf[1]) - (kind === 'var' ? m0 : m1));
      }
      s[k] = c / n;
    }
    return outer(s, new Float64Array(p.dim));
  };
}

/** θ ↦ the per-draw map (input vector or number) ↦ outputs of a {@link PortableTransform}. */
export function instantiateTransform(p: PortableTransform): (theta: ArrayLike<number>) => SampleFn {
  return instantiate<(theta: ArrayLike<number>) => SampleFn>(p.factory);
}

/** Closures of a {@link PortableSuffStats}. */
export interface SuffStats {
  readonly dim: number;
  readonly k: number;
  /** out[a] = mean over the sample of T_a (length k). */
  meanT(data: Sample, out?: Float64Array): Float64Array;
  /** Mean log-likelihood minus the θ-free mean log h: η(θ)·T̄ − A(θ). */
  value(theta: ArrayLike<number>, meanT: ArrayLike<number>): number;
  /** Mean score Σ_a ∂_iη_a T̄_a − ∂_iA. */
  gradient(theta: ArrayLike<number>, meanT: ArrayLike<number>, out?: Float64Array): Float64Array;
  /** l(x; θ) − [η·T(x) − A + log h(x)] for one point (0 up to rounding when the block is right). */
  identityGap(x: DataPoint, theta: ArrayLike<number>, logDensity: number): number;
}

export function instantiateSuffStats(p: PortableSuffStats): SuffStats {
  const { dim, k } = p;
  const tFn = instantiate<DataFn>(p.T);
  const nat = instantiate<ThetaFn>(p.natural);
  const tb = new Float64Array(k + 1);
  const nb = new Float64Array(1 + k + dim + dim * k);
  const empty = new Float64Array(0);
  const fastMean = p.acc && p.logOf ? productMean(instantiate<DataFn>(p.acc), p.logOf) : null;
  return {
    dim,
    k,
    meanT(data, out = new Float64Array(k)) {
      if (fastMean) return fastMean(data, out);
      out.fill(0);
      const n = data.length;
      if (k === 1) {
        let s = 0;
        for (let i = 0; i < n; i++) s += tFn(data[i] as DataPoint, empty, tb)[0];
        out[0] = s / n;
        return out;
      }
      if (k === 2) {
        let s0 = 0;
        let s1 = 0;
        for (let i = 0; i < n; i++) {
          tFn(data[i] as DataPoint, empty, tb);
          s0 += tb[0];
          s1 += tb[1];
        }
        out[0] = s0 / n;
        out[1] = s1 / n;
        return out;
      }
      for (let i = 0; i < n; i++) {
        tFn(data[i] as DataPoint, empty, tb);
        for (let a = 0; a < k; a++) out[a] += tb[a];
      }
      for (let a = 0; a < k; a++) out[a] /= n;
      return out;
    },
    value(theta, t) {
      nat(theta, nb);
      let s = -nb[0];
      for (let a = 0; a < k; a++) s += nb[1 + a] * t[a];
      return s;
    },
    gradient(theta, t, out = new Float64Array(dim)) {
      nat(theta, nb);
      for (let i = 0; i < dim; i++) {
        let s = -nb[1 + k + i];
        const row = 1 + k + dim + i * k;
        for (let a = 0; a < k; a++) s += nb[row + a] * t[a];
        out[i] = s;
      }
      return out;
    },
    identityGap(x, theta, l) {
      nat(theta, nb);
      tFn(x, empty, tb);
      let s = -nb[0] + tb[k];
      for (let a = 0; a < k; a++) s += nb[1 + a] * tb[a];
      return l - s;
    },
  };
}


/**
 * The mean-of-T loop for statistics some of which are logarithms: Σ log g(x_i) is accumulated as
 * log Π g(x_i) + e·log 2, the running product kept in [2⁻⁴⁰⁰, 2⁴⁰⁰] by exact power-of-two
 * rescaling (e counts them), so one logarithm per sample replaces one per point. Values of g outside
 * (2⁻⁴⁰⁰, 2⁴⁰⁰) — zero, negative, NaN, huge — go through log one by one (same NaN/−∞ as before).
 * Rounding: the product carries ≤ n·2⁻⁵³ relative error, i.e. ≤ n·1.1e-16 absolute on the sum of
 * logs, the same order as summing n rounded logarithms. The loop is generated for the k statistics
 * (straight-line code, no per-point array traffic).
 */
function productMean(acc: DataFn, logOf: readonly boolean[]): (data: Sample, out: Float64Array) => Float64Array {
  const k = logOf.length;
  const HI = String(2 ** 400); // exact: JS prints the shortest round-tripping decimal
  const LO = String(2 ** -400);
  // two independent accumulators (points i and i + 1) halve the dependency chains of the products
  // and sums; they are combined at the end (p₀·p₁ stays within [2⁻⁸⁰⁰, 2⁸⁰⁰])
  const lines: string[] = ['"use strict";', `const buf = new Float64Array(${k}), empty = new Float64Array(0);`, 'return function meanT(data, out) {', 'const n = data.length;'];
  for (const j of [0, 1]) for (let a = 0; a < k; a++) lines.push(logOf[a] ? `let s${a}_${j} = 0, p${a}_${j} = 1, e${a}_${j} = 0;` : `let s${a}_${j} = 0;`);
  const point = (index: string, j: number) => {
    lines.push(`acc(data[${index}], empty, buf);`);
    for (let a = 0; a < k; a++) {
      const [sv, pv, ev] = [`s${a}_${j}`, `p${a}_${j}`, `e${a}_${j}`];
      if (!logOf[a]) {
        lines.push(`${sv} += buf[${a}];`);
        continue;
      }
      lines.push(
        `{ const v = buf[${a}];`,
        `if (v > ${LO} && v < ${HI}) {`,
        `${pv} *= v;`,
        `if (${pv} > ${HI}) { ${pv} *= ${LO}; ${ev} += 400; }`,
        `else if (${pv} < ${LO}) { ${pv} *= ${HI}; ${ev} -= 400; }`,
        `} else ${sv} += Math.log(v); }`,
      );
    }
  };
  lines.push('let i = 0;', 'for (; i + 1 < n; i += 2) {');
  point('i', 0);
  point('i + 1', 1);
  lines.push('}', 'if (i < n) {');
  point('i', 0);
  lines.push('}');
  for (let a = 0; a < k; a++) {
    lines.push(
      logOf[a]
        ? `out[${a}] = (s${a}_0 + s${a}_1 + (Math.log(p${a}_0 * p${a}_1) + (e${a}_0 + e${a}_1) * Math.LN2)) / n;`
        : `out[${a}] = (s${a}_0 + s${a}_1) / n;`,
    );
  }
  lines.push('return out;', '};');
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  return new Function('acc', lines.join('\n'))(acc) as (data: Sample, out: Float64Array) => Float64Array;
}
