/**
 * Hand-written likelihood models for the crb/mle tests (independent of the declare→derive→compile
 * pipeline, so they can check it).
 */
import { SPECIAL } from '../../../src/core/special.js';
import type { LikelihoodModel } from '../../../src/solve/optim/fit.js';

const { digamma, trigamma, lgamma } = SPECIAL;

/** Hand-written normal(mu, sigma) model (independent of the compile stage). */
export const normalModel: LikelihoodModel = {
  dim: 2,
  logDensity: (x, t) => -Math.log(t[1]) - 0.5 * Math.log(2 * Math.PI) - ((x as number) - t[0]) ** 2 / (2 * t[1] ** 2),
  score: (x, t, out = new Float64Array(2)) => {
    const z = ((x as number) - t[0]) / t[1];
    out[0] = z / t[1];
    out[1] = (z * z - 1) / t[1];
    return out;
  },
  fisher: (t, out = new Float64Array(4)) => {
    out.set([1 / t[1] ** 2, 0, 0, 2 / t[1] ** 2]);
    return out;
  },
  checkPoint: (t) => (t[1] > 0 ? null : 'sigma must be > 0'),
};

/** Hand-written gamma(alpha, rate beta) model. */
export const gammaModel: LikelihoodModel = {
  dim: 2,
  logDensity: (x, t) => t[0] * Math.log(t[1]) - lgamma(t[0]) + (t[0] - 1) * Math.log(x as number) - t[1] * (x as number),
  score: (x, t, out = new Float64Array(2)) => {
    out[0] = Math.log(t[1]) - digamma(t[0]) + Math.log(x as number);
    out[1] = t[0] / t[1] - (x as number);
    return out;
  },
  fisher: (t, out = new Float64Array(4)) => {
    out.set([trigamma(t[0]), -1 / t[1], -1 / t[1], t[0] / t[1] ** 2]);
    return out;
  },
  checkPoint: (t) => (t[0] > 0 && t[1] > 0 ? null : 'alpha, beta must be > 0'),
};
