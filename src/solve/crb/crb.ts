/**
 * Cramér–Rao verification by Monte Carlo: `trials` independent samples of size n at the true θ,
 * the MLE of each, and the comparison of the empirical covariance of θ̂ with the bound F(θ)⁻¹/n
 * (F the Fisher information of one observation, docs/conventions.md). Optionally also a scalar
 * function g(θ) by the delta method, bound ∇gᵀ(F⁻¹/n)∇g.
 *
 * Trials run in-process or, with workers > 1, on the main thread plus workers − 1 pooled worker
 * threads (./workerPool.ts: kept between calls, startable ahead of time) that take blocks of trials
 * as they become free. The worker entry is ./crbWorker with the extension of this module
 * (crbWorker.js in a compiled build; crbWorker.ts from TypeScript sources, then loaded through the
 * public `tsx/esm/api` register hook). Trial t always uses the stream createRng(seed, t), so
 * results are bitwise identical for every worker count. Every reported number is checked: all trials failing, or a non-finite or non-positive
 * bound, variance or efficiency, is a ConvergenceError naming the quantity.
 *
 * Index conventions: matrices are nested [i][j] in parameter order in the result.
 */
import { ConvergenceError } from '../../core/errors.js';
import { inverse } from '../../core/linalg.js';
import { estimatorStats } from './estimatorStats.js';
import { deltaVariance, paramFunction } from './deltaMethod.js';
import { prepareTrials, samplerLabel, type CrbSetup, type TrialBlock, type TrialFailure } from './runTrials.js';
import { runInWorkers } from './workerPool.js';
import type { LikelihoodModel } from '../optim/fit.js';

export interface CrbOptions {
  /** Observations per trial. */
  n: number;
  trials: number;
  seed: number;
  /** Worker threads (≤ 1: in-process). Default 1. */
  workers?: number;
  /** Two-sided level of the efficiency intervals (default 0.95). */
  confidence?: number;
  /** A function of the parameters for the delta method, e.g. `alpha/beta`. */
  fn?: string;
  /** Called after each finished block of trials. */
  onProgress?: (done: number, total: number) => void;
  /** Trials per block handed to a thread (default: about trials/(8·workers), at most 64). */
  blockSize?: number;
  /**
   * With workers > 1: whether the main thread computes blocks too (default true: workers − 1
   * threads are started); false starts `workers` threads and leaves every block to them.
   */
  mainThread?: boolean;
}

export interface CrbFunctionResult {
  expr: string;
  value: number;
  gradient: number[];
  /** 'symbolic' or 'central-differences'. */
  gradient_method: string;
  /** ∇gᵀ (F⁻¹/n) ∇g. */
  bound: number;
  /** Variance of g(θ̂) over the trials. */
  empirical_var: number;
  /** ∇gᵀ Σ̂ ∇g with Σ̂ the empirical covariance of θ̂ (the delta method applied to the simulation). */
  delta_var: number;
  mean: number;
  bias: number;
  efficiency: number;
  efficiency_ci: [number, number];
}

export interface CrbResult {
  family: string;
  params: string[];
  at: number[];
  n: number;
  trials: number;
  seed: number;
  /** F(θ)⁻¹/n, nested [i][j]. */
  bound: number[][];
  /** Fisher information of one observation at θ, nested [i][j]. */
  fisher: number[][];
  /** Unbiased covariance of θ̂ over successful trials, nested [i][j]. */
  empirical_cov: number[][];
  /** bound_ii / empirical_cov_ii. */
  efficiency: number[];
  efficiency_ci: [number, number][];
  confidence: number;
  mean: number[];
  bias: number[];
  mse: number[];
  failed_trials: number;
  /** 'closed-form' or 'fisher-scoring' MLE. */
  method: string;
  /** 'sufficient-statistics' (exponential family: each trial reduced to the mean of T) or 'data'. */
  likelihood: string;
  /** Mean Fisher-scoring iterations per trial. */
  mean_iterations: number;
  sampler: { method: string; args: number[] };
  workers: number;
  function?: CrbFunctionResult;
  /** Raw estimates (row t = trial t), kept for further analysis; not serialized by the CLI. */
  estimates: Float64Array;
  ok: Uint8Array;
}

const nest = (m: ArrayLike<number>, d: number) => Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => m[i * d + j]));

/** F(θ)⁻¹/n for the setup (row-major). */
export function crbBound(setup: CrbSetup, n: number): Float64Array {
  const d = setup.paramNames.length;
  const inv = inverse(setup.fisher, d);
  for (let i = 0; i < inv.length; i++) inv[i] /= n;
  return inv;
}

/**
 * The experiment's closures per (setup, model), built once: later calls with the same setup object
 * (other n or seed, --plot's sample sizes, benchmarks) reuse the compiled and JIT-warm closures.
 * Setups are immutable (readonly), so the object identifies its contents.
 */
const prepared = new WeakMap<CrbSetup, { model: LikelihoodModel | null; prepare: ReturnType<typeof prepareTrials> }>();
function preparedFor(setup: CrbSetup, model: LikelihoodModel | null): ReturnType<typeof prepareTrials> {
  let p = prepared.get(setup);
  if (!p || p.model !== model) {
    p = { model, prepare: prepareTrials(setup, model) };
    prepared.set(setup, p);
  }
  return p.prepare;
}

/**
 * Runs the experiment and summarizes it. `model` must be given for families without a
 * closed-form MLE (Fisher scoring uses its score, Fisher and log-density).
 */
export async function crb(setup: CrbSetup, model: LikelihoodModel | null, options: CrbOptions): Promise<CrbResult> {
  const { n, trials, seed } = options;
  const d = setup.paramNames.length;
  const confidence = options.confidence ?? 0.95;
  const workers = Math.max(1, Math.min(options.workers ?? 1, trials));
  // With threads, the results live in shared memory: every thread writes its trials in place.
  const alloc = (bytes: number) => (workers > 1 ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
  const est = new Float64Array(alloc(trials * d * 8));
  const okShared = new Uint8Array(alloc(trials));
  const its = new Int32Array(alloc(trials * 4));
  let method = '';
  // the earliest failed trial over all blocks and threads (each reports its own first)
  let failure: TrialFailure | null = null;
  const note = (m: string, f: TrialFailure | null) => {
    method ||= m;
    if (f && (failure === null || f.trial < failure.trial)) failure = f;
  };
  let done = 0;
  const store = (b: TrialBlock) => {
    est.set(b.estimates, b.start * d);
    okShared.set(b.ok, b.start);
    its.set(b.iterations, b.start);
    note(b.method, b.failure);
    if (workers <= 1) {
      done += b.ok.length;
      options.onProgress?.(done, trials);
    }
  };
  // small blocks: threads claim them from a shared counter and write results in place, so a block
  // costs one atomic add; small blocks keep the threads' finishing times within a block of each other
  const blockSize = options.blockSize ?? Math.max(1, Math.min(workers > 1 ? 16 : 64, Math.ceil(trials / (workers * 8))));
  const kernel = preparedFor(setup, model)(n, seed);
  if (workers <= 1) {
    for (let s = 0; s < trials; s += blockSize) store(kernel(s, Math.min(trials, s + blockSize)));
  } else {
    const main = options.mainThread ?? true;
    await runInWorkers(setup, n, seed, trials, blockSize, main ? workers - 1 : workers, main ? kernel : null, {
      estimates: est,
      ok: okShared,
      iterations: its,
      store,
      note,
      onProgress: options.onProgress,
    });
  }
  const estimates = workers > 1 ? new Float64Array(est) : est;
  const ok = workers > 1 ? new Uint8Array(okShared) : okShared;
  let iterations = 0;
  for (let t = 0; t < trials; t++) iterations += its[t];
  const bound = crbBound(setup, n);
  const stats = estimatorStats(estimates, ok, d, bound, setup.theta, confidence);
  checkReported(setup, n, trials, stats, bound, failure);
  const result: CrbResult = {
    family: setup.family,
    params: [...setup.paramNames],
    at: [...setup.theta],
    n,
    trials,
    seed,
    bound: nest(bound, d),
    fisher: nest(setup.fisher, d),
    empirical_cov: stats.cov,
    efficiency: stats.efficiency,
    efficiency_ci: stats.efficiencyCi,
    confidence,
    mean: stats.mean,
    bias: stats.bias,
    mse: stats.mse,
    failed_trials: trials - stats.count,
    method,
    likelihood: setup.closedForm ? 'closed-form' : setup.suffStats ? 'sufficient-statistics' : 'data',
    mean_iterations: iterations / trials,
    sampler: samplerLabel(setup.sampler),
    workers,
    estimates,
    ok,
  };
  if (options.fn) result.function = functionSummary(options.fn, setup, estimates, ok, bound, stats.cov, confidence);
  return result;
}

function functionSummary(
  text: string,
  setup: CrbSetup,
  estimates: Float64Array,
  ok: Uint8Array,
  bound: Float64Array,
  cov: number[][],
  confidence: number,
): CrbFunctionResult {
  const d = setup.paramNames.length;
  const g = paramFunction(text, setup.paramNames, setup.constants);
  const value = g.value(setup.theta);
  const grad = g.gradient(setup.theta);
  const gv = new Float64Array(ok.length);
  for (let t = 0; t < ok.length; t++) gv[t] = ok[t] ? g.value(estimates.subarray(t * d, t * d + d)) : NaN;
  const okG = Uint8Array.from(ok, (o, t) => (o && Number.isFinite(gv[t]) ? 1 : 0));
  const gBound = deltaVariance(grad, bound, d);
  const s = estimatorStats(gv, okG, 1, [gBound], [value], confidence);
  return {
    expr: text,
    value,
    gradient: Array.from(grad),
    gradient_method: g.gradientMethod,
    bound: gBound,
    empirical_var: s.cov[0][0],
    delta_var: deltaVariance(grad, cov.flat(), d),
    mean: s.mean[0],
    bias: s.bias[0],
    efficiency: s.efficiency[0],
    efficiency_ci: s.efficiencyCi[0],
  };
}

/**
 * Errors instead of meaningless output: every trial failed, too few succeeded for a covariance, or
 * a bound / variance / efficiency that is not finite and positive (overflow at extreme θ).
 */
function checkReported(
  setup: CrbSetup,
  n: number,
  trials: number,
  stats: ReturnType<typeof estimatorStats>,
  bound: Float64Array,
  failure: TrialFailure | null,
): void {
  const d = setup.paramNames.length;
  const at = setup.paramNames.map((p, i) => `${p}=${setup.theta[i]}`).join(', ');
  if (stats.count < 2) {
    throw new ConvergenceError(
      `crb ${setup.family} at ${at}: ${trials - stats.count} of ${trials} trials failed, too few estimates for a variance` + (failure ? `; first failure: trial ${failure.trial}: ${failure.message}` : ''),
    );
  }
  setup.paramNames.forEach((p, i) => {
    const b = bound[i * d + i];
    const v = stats.cov[i][i];
    const e = stats.efficiency[i];
    const [lo, hi] = stats.efficiencyCi[i];
    const where = `crb ${setup.family} at ${at}, n=${n}`;
    if (!(b > 0) || !Number.isFinite(b)) throw new ConvergenceError(`${where}: the Cramér–Rao bound of ${p} is ${b} (not a finite positive number)`);
    if (!Number.isFinite(stats.mean[i])) throw new ConvergenceError(`${where}: the mean of the estimates of ${p} is ${stats.mean[i]} (overflow)`);
    if (!(v > 0) || !Number.isFinite(v)) {
      throw new ConvergenceError(`${where}: the empirical variance of the estimates of ${p} is ${v}; the efficiency bound/variance is not defined (estimates constant, overflowing or underflowing at this point)`);
    }
    if (!(e > 0) || !Number.isFinite(e) || !(lo > 0) || !Number.isFinite(hi)) {
      throw new ConvergenceError(`${where}: the efficiency of ${p} is ${e} [${lo}, ${hi}], not a finite positive number (bound ${b}, variance ${v})`);
    }
  });
}

export type { CrbSetup } from './runTrials.js';
export { prestartCrbWorkers, closeCrbPool } from './workerPool.js';
