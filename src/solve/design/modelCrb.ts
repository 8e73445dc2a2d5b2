/**
 * Cramér–Rao check for a model with covariates at a design: each trial draws y_k ~ family(ψ(θ, z_k))
 * at every design point (w_k observations at z_k, integer counts), fits θ by maximum likelihood
 * (the generic Fisher-scoring engine of src/solve/optim/fit.ts, started about one standard error
 * from the true θ), and the
 * empirical covariance of the estimates is compared with the design's bound I(θ)⁻¹ through the
 * efficiency intervals of src/solve/crb/estimatorStats.ts.
 */
import { ConvergenceError, UsageError } from '../../core/errors.js';
import { cholesky, inverse } from '../../core/linalg.js';
import { createRng } from '../../core/random.js';
import type { DataPoint } from '../../core/types.js';
import type { Design } from '../../declare/design.js';
import type { CompiledModel } from '../../compile/compileModel.js';
import { designPoint } from '../../compile/compileModel.js';
import type { FamilySpec } from '../../declare/types.js';
import { samplerSource } from '../crb/crbSetup.js';
import { drawFunction, startPoint } from '../crb/runTrials.js';
import { estimatorStats, type EstimatorStats } from '../crb/estimatorStats.js';
import { fit, type LikelihoodModel } from '../optim/fit.js';

export interface ModelCrbResult {
  readonly bound: Float64Array;
  readonly stats: EstimatorStats;
  readonly trials: number;
  readonly failed: number;
  readonly firstFailure: string | null;
}

/** The model as a likelihood over observations x = [covariates…, y…] (for the fitting engine). */
export function modelLikelihood(model: CompiledModel, design: Design): LikelihoodModel {
  const m = design.covariates.length;
  const split = (x: DataPoint): [DataPoint, DataPoint] => {
    const a = x as ArrayLike<number>;
    const z = m === 1 ? a[0] : Float64Array.from({ length: m }, (_, j) => a[j]);
    const rest = a.length - m;
    const y = rest === 1 ? a[m] : Float64Array.from({ length: rest }, (_, j) => a[m + j]);
    return [z, y];
  };
  const total = design.weights.reduce((s, w) => s + w, 0);
  return {
    dim: model.dim,
    paramNames: model.paramNames,
    logDensity: (x, theta) => {
      const [z, y] = split(x);
      return model.logLikelihood(y, z, theta);
    },
    score: (x, theta, out) => {
      const [z, y] = split(x);
      return model.score(y, z, theta, out);
    },
    // mean per-observation information of the design: the engine scales it by the number of observations
    fisher: (theta, out) => {
      const I = model.designFisher(design, theta, out);
      for (let i = 0; i < I.length; i++) I[i] /= total;
      return I;
    },
    checkPoint: (theta) => model.checkPoint(theta) ?? model.checkDesign(design, theta),
  };
}

export function modelCrb(model: CompiledModel, baseSpec: FamilySpec, design: Design, theta: ArrayLike<number>, trials: number, seed: number, confidence = 0.95): ModelCrbResult {
  const p = model.dim;
  if (design.weights.some((w) => !Number.isInteger(w))) throw new UsageError('a Monte-Carlo design needs integer weights (numbers of observations)');
  const I = model.designFisher(design, theta);
  const bound = inverse(I, p);
  if (!bound.every(Number.isFinite)) throw new ConvergenceError('the design information matrix is singular: no Cramér–Rao bound');
  const m = design.covariates.length;
  // one sampler per design point at ψ(θ, z_k)
  const draws = Array.from({ length: design.size }, (_, k) => {
    const psi = Array.from(model.link(designPoint(design, k), theta));
    return drawFunction(samplerSource(baseSpec, model.base, psi), psi, model.base);
  });
  const like = modelLikelihood(model, design);
  const rng = createRng(seed);
  // each fit starts about one standard error from θ (a draw from N(θ, I⁻¹)), not at θ itself
  const chol = cholesky(bound, p);
  const est = new Float64Array(trials * p);
  const ok = new Uint8Array(trials);
  let failed = 0;
  let firstFailure: string | null = null;
  for (let t = 0; t < trials; t++) {
    const data: DataPoint[] = [];
    for (let k = 0; k < design.size; k++) {
      const w = design.weights[k];
      if (w === 0) continue;
      const ys = draws[k](rng, w);
      for (let r = 0; r < w; r++) {
        const y = (ys as ArrayLike<DataPoint>)[r];
        const yv = typeof y === 'number' ? [y] : Array.from(y as ArrayLike<number>);
        data.push(Float64Array.from([...design.points.subarray(k * m, (k + 1) * m), ...yv]));
      }
    }
    const r = fit(like, data, { start: startPoint(Array.from(theta), chol, 1, rng, (t) => like.checkPoint(t)), paramNames: model.paramNames });
    if (r.converged && r.value.every(Number.isFinite)) {
      est.set(r.value, t * p);
      ok[t] = 1;
    } else {
      failed++;
      firstFailure ??= r.message ?? r.status;
    }
  }
  if (trials - failed < 10) throw new ConvergenceError(`${failed} of ${trials} trials failed to fit: ${firstFailure ?? ''}`);
  return { bound, stats: estimatorStats(est, ok, p, bound, theta, confidence), trials, failed, firstFailure };
}
