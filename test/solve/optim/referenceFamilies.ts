/**
 * Hand-written families (log-density, score, Fisher) for optimizer tests, independent of the
 * derive/compile pipeline.
 */
import trigamma from '@stdlib/math-base-special-trigamma';
import digamma from '@stdlib/math-base-special-digamma';
import gammaln from '@stdlib/math-base-special-gammaln';
import type { LikelihoodModel } from '../../../src/solve/optim/fit.js';

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
const num = (x: unknown) => x as number;

export const normalFamily: LikelihoodModel = {
  dim: 2,
  paramNames: ['mu', 'sigma'],
  logDensity: (x, t) => -Math.log(t[1]) - LOG_SQRT_2PI - (num(x) - t[0]) ** 2 / (2 * t[1] ** 2),
  score: (x, t, out = new Float64Array(2)) => {
    const z = (num(x) - t[0]) / t[1];
    out[0] = z / t[1];
    out[1] = (z * z - 1) / t[1];
    return out;
  },
  fisher: (t, out = new Float64Array(4)) => (out.set([1 / t[1] ** 2, 0, 0, 2 / t[1] ** 2]), out),
  checkPoint: (t) => (t[1] > 0 ? null : 'sigma must be > 0'),
};

/** normal with sigma = exp(s). */
export const normalLogSigmaFamily: LikelihoodModel = {
  dim: 2,
  paramNames: ['mu', 's'],
  logDensity: (x, t) => -t[1] - LOG_SQRT_2PI - (num(x) - t[0]) ** 2 / (2 * Math.exp(2 * t[1])),
  score: (x, t, out = new Float64Array(2)) => {
    const sig = Math.exp(t[1]);
    const z = (num(x) - t[0]) / sig;
    out[0] = z / sig;
    out[1] = z * z - 1;
    return out;
  },
  fisher: (t, out = new Float64Array(4)) => (out.set([Math.exp(-2 * t[1]), 0, 0, 2]), out),
  checkPoint: (t) => (Number.isFinite(t[1]) ? null : 's must be finite'),
};

/** gamma (alpha shape, beta rate). */
export const gammaFamily: LikelihoodModel = {
  dim: 2,
  paramNames: ['alpha', 'beta'],
  logDensity: (x, t) => t[0] * Math.log(t[1]) - gammaln(t[0]) + (t[0] - 1) * Math.log(num(x)) - t[1] * num(x),
  score: (x, t, out = new Float64Array(2)) => {
    out[0] = Math.log(t[1]) - digamma(t[0]) + Math.log(num(x));
    out[1] = t[0] / t[1] - num(x);
    return out;
  },
  fisher: (t, out = new Float64Array(4)) => (out.set([trigamma(t[0]), -1 / t[1], -1 / t[1], t[0] / t[1] ** 2]), out),
  checkPoint: (t) => (t[0] > 0 && t[1] > 0 ? null : 'alpha and beta must be > 0'),
};

export const poissonFamily: LikelihoodModel = {
  dim: 1,
  paramNames: ['lambda'],
  logDensity: (x, t) => num(x) * Math.log(t[0]) - t[0] - gammaln(num(x) + 1),
  score: (x, t, out = new Float64Array(1)) => ((out[0] = num(x) / t[0] - 1), out),
  fisher: (t, out = new Float64Array(1)) => ((out[0] = 1 / t[0]), out),
  checkPoint: (t) => (t[0] > 0 ? null : 'lambda must be > 0'),
};

/** Deterministic pseudo-random numbers (mulberry32) and standard normals (Box–Muller). */
export function rng(seed: number) {
  let a = seed >>> 0;
  const u = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
  return { u, normal };
}
