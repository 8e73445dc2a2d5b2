/**
 * Values of a series normaliser's symbols (log Z and K_α = ∂^α log Z, see derive/normalizer.ts) at
 * θ, by summation in log space with a rigorous tail bound:
 *  1. scan s_j = log t_j from the start of the index range to locate the largest term m (the scan
 *     stops once s_j has been decreasing and is 40 below the maximum);
 *  2. one vector series (core/quadrature's ratio-test tail bound on every component) of
 *     [e^{s_j − m}, e^{s_j − m}·D_β(j) …], so no term overflows: log Z = m + log Σ e^{s_j − m} and
 *     ∂^β Z / Z = Σ e^{s_j − m} D_β(j) / Σ e^{s_j − m};
 *  3. K_α = Σ over set partitions π of α of (−1)^{|π|−1} (|π| − 1)! Π_{B ∈ π} ∂^B Z / Z (the
 *     derivatives of log Z from those of Z).
 * A sum that does not converge gives NaN for every symbol and a failure message (where and why).
 */
import { integrateOverVector } from '../core/quadrature.js';
import type { NormalizerDerivation } from '../derive/normalizer.js';
import { momentKey } from '../derive/normalizer.js';
import type { Consts, DataBundle } from './compileExprs.js';
import { compileExprs } from './compileExprs.js';
import { describeQuadFailure } from './expectation.js';
import type { SupportInfo } from './expectation.js';

export interface NormalizerEvaluator {
  /** Symbol names, in the order their values follow θ in {@link augment}'s result. */
  readonly names: readonly string[];
  /** [θ…, values of the symbols…] (memoised for the last θ). */
  augment(theta: ArrayLike<number>): Float64Array;
  /** Generated source of the per-index bundle. */
  readonly source: string;
}

/** Set partitions of {0, …, n−1} as lists of blocks. */
function partitions(n: number): number[][][] {
  if (n === 0) return [[]];
  const out: number[][][] = [];
  for (const p of partitions(n - 1)) {
    // element n−1 joins an existing block or forms its own
    for (let b = 0; b < p.length; b++) out.push(p.map((blk, i) => (i === b ? [...blk, n - 1] : blk)));
    out.push([...p, [n - 1]]);
  }
  return out;
}

const FACT = [1, 1, 2, 6, 24, 120, 720, 5040, 40320];

/** Largest number of terms scanned for the maximum (and summed). */
const MAX_TERMS = 1_000_000;

export function normalizerEvaluator(
  nd: NormalizerDerivation,
  params: readonly string[],
  consts: Consts,
  rtol: number,
  report?: (message: string) => void,
): NormalizerEvaluator {
  const keys = [...nd.moments.keys()];
  const bundle = compileExprs([nd.logTerm, ...keys.map((k) => nd.moments.get(k)!)], { theta: params, x: [nd.spec.index] }, consts) as DataBundle;
  const K = keys.length;
  const keyIndex = new Map(keys.map((k, i) => [k, i]));
  // Per symbol: the partitions of its multi-index, as blocks of moment indices.
  const plans = nd.symbols.map((s) =>
    s.alpha.length === 0
      ? null
      : partitions(s.alpha.length).map((p) => p.map((blk) => keyIndex.get(momentKey(blk.map((i) => s.alpha[i]))) as number)),
  );
  const n = params.length;
  const S = nd.symbols.length;
  const over = nd.spec.over;
  const info: SupportInfo = { support: over, variables: [nd.spec.index], breakpoints: null };
  const buf = new Float64Array(K + 1);
  const M = new Float64Array(K);
  let lastTheta: Float64Array | null = null;
  let last = new Float64Array(n + S);

  const fail = (theta: ArrayLike<number>, why: string, res: Float64Array): Float64Array => {
    res.fill(NaN, n);
    report?.(`normalizer ${nd.spec.name} = Σ_${nd.spec.index} ${nd.spec.term.toString()} at (${params.map((p, i) => `${p}=${Number(theta[i].toPrecision(6))}`).join(', ')}): ${why}`);
    return res;
  };

  const compute = (theta: ArrayLike<number>, res: Float64Array): Float64Array => {
    res.set(Array.from(theta).slice(0, n));
    const sample = bundle.factory(theta);
    const lo = over.kind === 'integers' ? over.lo : 0;
    const hi = over.kind === 'integers' ? over.hi : Infinity;
    // 1. the largest term
    let m = -Infinity;
    let prev = -Infinity;
    let down = 0;
    for (let j = lo, k = 0; j <= hi && k < MAX_TERMS; j++, k++) {
      const s = sample(j, buf)[0];
      if (s === Infinity || s !== s) return fail(theta, `log of the term is ${s} at ${nd.spec.index} = ${j} (the term must be positive and finite)`, res);
      if (s > m) m = s;
      down = s < prev ? down + 1 : 0;
      prev = s;
      if (down >= 2 && s < m - 40) break;
    }
    if (!(m > -Infinity)) return fail(theta, 'every term is 0', res);
    // 2. the scaled sums
    const r = integrateOverVector(
      over,
      (o, j) => {
        const v = sample(j, buf);
        const w = Math.exp(v[0] - m);
        o[0] = w;
        for (let c = 0; c < K; c++) o[1 + c] = w === 0 ? 0 : w * v[1 + c];
      },
      K + 1,
      { rtol },
    );
    if (!r.converged) return fail(theta, describeQuadFailure(info, r.failure, 'the term'), res);
    const z = r.values[0];
    for (let c = 0; c < K; c++) M[c] = r.values[1 + c] / z;
    // 3. log Z and its derivatives
    nd.symbols.forEach((s, i) => {
      const plan = plans[i];
      if (!plan) {
        res[n + i] = m + Math.log(z);
        return;
      }
      let v = 0;
      for (const p of plan) {
        let prod = (p.length % 2 === 1 ? 1 : -1) * FACT[p.length - 1];
        for (const b of p) prod *= M[b];
        v += prod;
      }
      res[n + i] = v;
    });
    return res;
  };

  return {
    names: nd.symbols.map((s) => s.name),
    source: bundle.factorySource,
    augment(theta) {
      if (lastTheta && lastTheta.length === theta.length && lastTheta.every((v, i) => Object.is(v, theta[i]))) return last;
      const res = new Float64Array(n + S);
      compute(theta, res);
      lastTheta = Float64Array.from(theta);
      last = res;
      return res;
    },
  };
}
