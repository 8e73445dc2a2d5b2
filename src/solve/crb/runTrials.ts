/**
 * The per-trial Monte Carlo kernel shared by the in-process path and the worker threads: trial t
 * draws n observations from its own stream createRng(seed, t) and computes the MLE (the declared
 * closed form, else Fisher scoring — on the mean sufficient statistic for exponential families —
 * from a start about one standard error away from the true θ, drawn from the same stream).
 * Results depend on (seed, t) only, so any split of trials over workers gives identical numbers.
 */
import { createRng, fillSamples, SAMPLERS, VECTOR_SAMPLERS, type Rng } from '../../core/random.js';
import type { DataPoint } from '../../core/types.js';
import { cholesky, inverse } from '../../core/linalg.js';
import type { ParamDomain } from '../../declare/types.js';
import {
  instantiateMle,
  instantiateSuffStats,
  instantiateTransform,
  type PortableMle,
  type PortableSuffStats,
  type PortableTransform,
} from '../../compile/portableCode.js';
import { alignCircular, mle, type Data, type LikelihoodModel } from '../optim/fit.js';
import { drawDiscrete, drawInversion, type DiscreteTable, type InversionTable } from './inversion.js';
import type { PortableModel } from './portableModel.js';

/** How trials draw their observations (serializable). */
export type SamplerSource =
  | { readonly kind: 'builtin'; readonly method: string; readonly args: readonly number[] }
  | { readonly kind: 'transform'; readonly transform: PortableTransform }
  | { readonly kind: 'inversion'; readonly table: InversionTable }
  | { readonly kind: 'discrete'; readonly table: DiscreteTable };

/** Serializable description of a Cramér–Rao experiment (everything but the compiled closures). */
export interface CrbSetup {
  /** Family name (for display only: nothing is keyed by it). */
  readonly family: string;
  readonly paramNames: readonly string[];
  readonly domains: readonly ParamDomain[];
  readonly constants: Readonly<Record<string, number>>;
  /** True parameter θ, in parameter order. */
  readonly theta: readonly number[];
  readonly sampler: SamplerSource;
  /** Fisher information of one observation at θ, row-major dim×dim. */
  readonly fisher: readonly number[];
  /** Re-evaluate F at each Fisher-scoring iterate (false: chord method, for costly F). */
  readonly refreshFisher: boolean;
  /** Declared closed-form MLE (generated code), or null: Fisher scoring. */
  readonly closedForm: PortableMle | null;
  /** Exponential-family reduction used by Fisher scoring (verified against the log-density), or null. */
  readonly suffStats: PortableSuffStats | null;
  /** How a worker thread rebuilds the likelihood model (null when not needed). */
  readonly modelSource: ModelSource | null;
}

/**
 * How a worker rebuilds the likelihood: from shipped generated code ('portable', fast), or by
 * loading the family file through declare → derive → compile ('family', seconds per worker).
 */
export type ModelSource =
  | { readonly kind: 'family'; readonly nameOrPath: string; readonly cwd: string }
  | { readonly kind: 'portable'; readonly model: PortableModel };

export interface TrialBlock {
  /** First trial index of the block. */
  start: number;
  /** Estimates, row t − start = trial t (flat, row-major count×dim). */
  estimates: Float64Array;
  /** 1 when the trial's MLE exists and is finite. */
  ok: Uint8Array;
  /** Fisher-scoring iterations per trial (0 for closed forms). */
  iterations: Int32Array;
  /** 'closed-form' or 'fisher-scoring'. */
  method: string;
  /** The first failed trial of the block, if any. */
  failure: TrialFailure | null;
}

/** A trial whose MLE failed, and why. */
export interface TrialFailure {
  trial: number;
  message: string;
}

/** Display form of a sampler: {method, args}. */
export function samplerLabel(s: SamplerSource): { method: string; args: number[] } {
  switch (s.kind) {
    case 'builtin': return { method: s.method, args: [...s.args] };
    case 'transform': return { method: 'transform', args: [] };
    case 'inversion': return { method: 'inversion (PINV)', args: [] };
    case 'discrete': return { method: 'discrete inversion', args: [] };
  }
}

/** n draws from the sampler for one trial (scalar data reuse `buf`). */
export type DrawFn = (rng: Rng, n: number) => Data;

/** The draw function of a sampler source; `model` is needed for the tail of infinite discrete supports. */
export function drawFunction(src: SamplerSource, theta: readonly number[], model: LikelihoodModel | null): DrawFn {
  let buf = new Float64Array(0);
  const scalarBuf = (n: number) => (buf.length === n ? buf : (buf = new Float64Array(n)));
  switch (src.kind) {
    case 'builtin': {
      const vector = VECTOR_SAMPLERS.has(src.method);
      const f = SAMPLERS[src.method];
      if (vector) return (rng, n) => Array.from({ length: n }, () => f(rng, src.args) as DataPoint);
      return (rng, n) => fillSamples(src.method, rng, src.args, scalarBuf(n));
    }
    case 'transform': {
      const t = src.transform;
      const fn = instantiateTransform(t)(theta);
      const m = t.inputs.length;
      const normal = t.inputs.map((name) => name.startsWith('z'));
      const inputs = new Float64Array(m);
      const out = new Float64Array(t.outputs);
      const fill = (rng: Rng) => {
        for (let k = 0; k < m; k++) inputs[k] = normal[k] ? rng.normal() : rng.nextOpen();
      };
      if (t.outputs === 1) {
        return (rng, n) => {
          const x = scalarBuf(n);
          for (let i = 0; i < n; i++) {
            fill(rng);
            x[i] = fn((m === 1 ? inputs[0] : inputs) as DataPoint, out)[0];
          }
          return x;
        };
      }
      return (rng, n) =>
        Array.from({ length: n }, () => {
          fill(rng);
          return Float64Array.from(fn(inputs, out));
        });
    }
    case 'inversion': {
      const table = src.table;
      return (rng, n) => {
        const x = scalarBuf(n);
        for (let i = 0; i < n; i++) x[i] = drawInversion(table, rng);
        return x;
      };
    }
    case 'discrete': {
      const table = src.table;
      const lp = model ? (model.logDensityFactory?.(theta) ?? ((k: number) => model.logDensity(k, theta))) : null;
      const logpmf = lp ? (k: number) => lp(k) : null;
      return (rng, n) => {
        const x = scalarBuf(n);
        for (let i = 0; i < n; i++) x[i] = drawDiscrete(table, rng, logpmf);
        return x;
      };
    }
  }
}

/**
 * The start of Fisher scoring for one trial: θ plus a draw C·z/√n, z ~ N(0, I), C the Cholesky
 * factor of F(θ)⁻¹ (the spread of an independent efficient estimate), halved towards θ until inside
 * the domain (`n` = 1 when `chol` already factors the bound of the whole sample). A trial's
 * estimate so inherits no closeness to θ from its start: the engine has to find the maximum from
 * about one standard error away, as it would from a data-driven start.
 */
export function startPoint(theta: readonly number[], chol: Float64Array | false, n: number, rng: Rng, checkPoint: (t: ArrayLike<number>) => string | null): Float64Array {
  const d = theta.length;
  const start = Float64Array.from(theta);
  if (!chol) return start;
  const z = new Float64Array(d);
  for (let j = 0; j < d; j++) z[j] = rng.normal();
  const sn = Math.sqrt(n);
  const delta = new Float64Array(d);
  for (let i = 0; i < d; i++) for (let j = 0; j <= i; j++) delta[i] += (chol[i * d + j] * z[j]) / sn;
  for (let h = 0; h < 40; h++) {
    for (let i = 0; i < d; i++) start[i] = theta[i] + delta[i];
    if (checkPoint(start) === null) return start;
    for (let i = 0; i < d; i++) delta[i] *= 0.5;
  }
  return Float64Array.from(theta);
}

/**
 * `model` with its Fisher matrix frozen at F(θ) (the chord method of setups with refreshFisher
 * false): every thread, whatever model it rebuilt, then scores with the same matrix.
 */
function frozenFisher(model: LikelihoodModel, F: readonly number[]): LikelihoodModel {
  const ldf = model.logDensityFactory;
  const sf = model.scoreFactory;
  return {
    dim: model.dim,
    ...(model.paramNames ? { paramNames: model.paramNames } : {}),
    logDensity: (x, t) => model.logDensity(x, t),
    score: (x, t, out) => model.score(x, t, out),
    fisher: (_t, out) => {
      const r = out ?? new Float64Array(F.length);
      r.set(F);
      return r;
    },
    checkPoint: (t) => model.checkPoint(t),
    ...(ldf ? { logDensityFactory: (t: ArrayLike<number>) => ldf.call(model, t) } : {}),
    ...(sf ? { scoreFactory: (t: ArrayLike<number>) => sf.call(model, t) } : {}),
  };
}

/**
 * The experiment's closures built once (sampler, closed form, sufficient statistics): the result
 * gives the kernel for a sample size n and seed; run(start, end) computes trials start..end−1.
 */
export function prepareTrials(setup: CrbSetup, model: LikelihoodModel | null): (n: number, seed: number) => (start: number, end: number) => TrialBlock {
  const d = setup.paramNames.length;
  const draw = drawFunction(setup.sampler, setup.theta, model);
  const closedForm = setup.closedForm ? instantiateMle(setup.closedForm) : null;
  const suffStats = setup.suffStats ? instantiateSuffStats(setup.suffStats) : null;
  if (!closedForm && !model) throw new Error('crb: a likelihood model is needed for Fisher scoring');
  const chol = cholesky(inverse(setup.fisher, d), d);
  const like = model && !setup.refreshFisher ? frozenFisher(model, setup.fisher) : model;
  const base = {
    closedForm,
    suffStats,
    domains: setup.domains,
    paramNames: setup.paramNames,
    refreshFisher: setup.refreshFisher,
  };
  const fixedStart = { ...base, start: setup.theta };
  const scored: typeof base & { start: ArrayLike<number> } = { ...base, start: setup.theta }; // start set per trial
  const checkPoint = like ? (th: ArrayLike<number>) => like.checkPoint(th) : () => null;
  return (n, seed) => (start, end) => {
    const count = Math.max(0, end - start);
    const estimates = new Float64Array(count * d);
    const ok = new Uint8Array(count);
    const iterations = new Int32Array(count);
    let method = '';
    let failure: TrialFailure | null = null;
    const rng = createRng(seed, start);
    for (let t = start; t < end; t++) {
      const data = draw(rng.reseed(seed, t), n);
      const r = mle(
        like,
        data,
        closedForm || !like ? fixedStart : ((scored.start = startPoint(setup.theta, chol, n, rng, checkPoint)), scored),
      );
      method ||= r.method;
      alignCircular(setup.domains, r.value, setup.theta);
      const row = t - start;
      let finite = r.converged;
      for (let i = 0; i < d; i++) {
        const v = r.value[i];
        estimates[row * d + i] = v;
        finite &&= Number.isFinite(v);
      }
      ok[row] = finite ? 1 : 0;
      if (!ok[row] && failure === null) failure = { trial: t, message: r.message ?? 'the MLE did not converge' };
      iterations[row] = r.iterations;
    }
    return { start, estimates, ok, iterations, method, failure };
  };
}

/** The prepared kernel of an experiment: run(start, end) computes trials start..end−1. */
export function trialKernel(setup: CrbSetup, model: LikelihoodModel | null, n: number, seed: number): (start: number, end: number) => TrialBlock {
  return prepareTrials(setup, model)(n, seed);
}

/** Runs trials start..end−1 of the experiment with n observations each. */
export function runTrials(setup: CrbSetup, model: LikelihoodModel | null, n: number, seed: number, start: number, end: number): TrialBlock {
  return trialKernel(setup, model, n, seed)(start, end);
}
