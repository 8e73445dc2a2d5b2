/**
 * One natural-gradient evaluation of softmax regression in any Fisher mode (the CLI's
 * `softmax natgrad`). Conventions: docs/softmax.md (θ = vec_rowmajor([W | b])).
 */
import type { CurvatureApprox, FisherMode } from './curvatureApprox.js';
import { DiagFisher } from './diagFisher.js';
import { empiricalFisher, sampledFisher } from './empiricalFisher.js';
import { ExactFisher } from './exactFisher.js';
import { softmaxKfac } from './kfacFisher.js';
import type { SoftmaxRegression } from './softmaxRegression.js';
import type { TrainableModel } from './train.js';

export interface NaturalGradientOptions {
  /** CG relative-residual tolerance for mode 'exact' (default 1e-12). */
  cgTol?: number;
  /** CG iteration cap for mode 'exact' (default 10·dim). */
  cgMaxIter?: number;
  /** Labels drawn per example for mode 'sampled' (default 64). */
  samples?: number;
  /** Seed for mode 'sampled' (default 0). */
  seed?: number;
}

export interface NaturalGradientResult {
  mode: FisherMode;
  damping: number;
  loss: number;
  /** ∇θ loss, flattened θ order. */
  grad: Float64Array;
  /** The damped natural gradient of the mode, flattened θ order. */
  natgrad: Float64Array;
  /** CG statistics (mode 'exact' only). */
  cg?: { iterations: number; residual: number; converged: boolean; tol: number };
}

/** The curvature object of a mode at the model's current θ. */
export function fisherFor(model: SoftmaxRegression, mode: FisherMode, options: NaturalGradientOptions = {}): CurvatureApprox {
  switch (mode) {
    case 'exact': return new ExactFisher(model, { tol: options.cgTol ?? 1e-12, maxIter: options.cgMaxIter });
    case 'diag': return new DiagFisher({ dim: model.dim, diagFisher: (out) => model.diagFisher(out) });
    case 'kfac': return softmaxKfac(model);
    case 'empirical': return empiricalFisher(model);
    case 'sampled': return sampledFisher(model, options.samples ?? 64, options.seed ?? 0);
  }
}

/** Loss, gradient and natural gradient at θ. Never throws on numerics: a failed solve gives NaNs (and cg.converged = false). */
export function naturalGradient(
  model: SoftmaxRegression, theta: ArrayLike<number>, mode: FisherMode, damping: number, options: NaturalGradientOptions = {},
): NaturalGradientResult {
  const grad = new Float64Array(model.dim);
  const loss = model.lossAndGrad(theta, grad);
  const F = fisherFor(model, mode, options);
  const natgrad = F.multiplyInverse(grad, damping);
  const res: NaturalGradientResult = { mode, damping, loss, grad, natgrad };
  if (F instanceof ExactFisher && F.lastSolve) {
    const s = F.lastSolve;
    res.cg = { iterations: s.iterations, residual: s.residual, converged: s.converged, tol: options.cgTol ?? 1e-12 };
  }
  return res;
}

/** Adapts a softmax-regression model to the training loop of train.ts. */
export function trainableSoftmax(model: SoftmaxRegression, options: NaturalGradientOptions = {}): TrainableModel {
  return {
    dim: model.dim,
    lossAndGrad: (theta, grad) => model.lossAndGrad(theta, grad),
    accuracy: () => model.accuracy(),
    curvature: (mode) => fisherFor(model, mode, options),
  };
}
