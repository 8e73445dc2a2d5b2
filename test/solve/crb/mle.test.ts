/**
 * The one MLE engine (src/solve/optim/fit.ts) against hand-written models (independent of the
 * family pipeline): Fisher scoring lands on the analytic maximisers, the sufficient-statistic
 * objective agrees with the point-by-point one, non-existence of the MLE is detected.
 */
import { describe, expect, it } from 'vitest';
import { createRng, sampleMany } from '../../../src/core/random.js';
import { SPECIAL } from '../../../src/core/special.js';
import { dataObjective, fisherScoring, fit, logLikelihood, meanScore, mle, type LikelihoodModel } from '../../../src/solve/optim/fit.js';
import { gammaModel, normalModel } from './models.js';

const { digamma } = SPECIAL;

/** Hand-written von Mises(mu, kappa) model. */
const vonMisesModel: LikelihoodModel = {
  dim: 2,
  logDensity: (x, t) => t[1] * Math.cos((x as number) - t[0]) - Math.log(2 * Math.PI) - SPECIAL.logbesseli0(t[1]),
  score: (x, t, out = new Float64Array(2)) => {
    out[0] = t[1] * Math.sin((x as number) - t[0]);
    out[1] = Math.cos((x as number) - t[0]) - SPECIAL.besselratio(t[1]);
    return out;
  },
  fisher: (t, out = new Float64Array(4)) => {
    const A = SPECIAL.besselratio(t[1]);
    out.set([t[1] * A, 0, 0, 1 - A / t[1] - A * A]);
    return out;
  },
  checkPoint: (t) => (t[1] > 0 ? null : 'kappa must be > 0'),
};

const scalarDraw = (name: string, args: number[], n: number, seed = 1) => sampleMany(name, createRng(seed, 0), args, n) as Float64Array;

describe('Fisher scoring', () => {
  it('normal: lands on the sample mean and the divide-by-n standard deviation from a far start', () => {
    const x = scalarDraw('normal', [2, 3], 500);
    const m = x.reduce((a, b) => a + b) / x.length;
    const s = Math.sqrt(x.reduce((a, b) => a + (b - m) ** 2, 0) / x.length);
    const fs = fisherScoring(normalModel, dataObjective(normalModel, x), [0, 10], { domains: ['real', 'positive'] });
    expect(fs.converged).toBe(true);
    expect(fs.value[0]).toBeCloseTo(m, 9);
    expect(fs.value[1]).toBeCloseTo(s, 9);
  });

  it('gamma: the result solves log α − ψ(α) = log x̄ − mean(log x) and β = α/x̄', () => {
    for (const [a, b] of [[0.5, 2], [3, 0.7], [40, 5]]) {
      const x = scalarDraw('gamma', [a, b], 300, 4);
      const r = mle(gammaModel, x, { start: [a, b], domains: ['positive', 'positive'] });
      expect(r.converged).toBe(true);
      expect(r.method).toBe('fisher-scoring');
      const m = x.reduce((p, q) => p + q) / x.length;
      const ml = x.reduce((p, q) => p + Math.log(q), 0) / x.length;
      expect(Math.log(r.value[0]) - digamma(r.value[0]) - (Math.log(m) - ml)).toBeCloseTo(0, 11);
      expect(r.value[1] / (r.value[0] / m)).toBeCloseTo(1, 11);
      expect(Math.hypot(...meanScore(gammaModel, x, r.value))).toBeLessThan(1e-9);
    }
  });

  it('von Mises with μ on the circle: μ̂ is the mean direction reduced to [−π, π), A(κ̂) the mean resultant length', () => {
    const x = scalarDraw('vonmises', [3, 4], 250, 6);
    const r = mle(vonMisesModel, x, { start: [3, 4], domains: ['circle', 'positive'] });
    expect(r.converged).toBe(true);
    const c = x.reduce((p, q) => p + Math.cos(q), 0) / x.length;
    const s = x.reduce((p, q) => p + Math.sin(q), 0) / x.length;
    expect(r.value[0]).toBeCloseTo(Math.atan2(s, c), 10);
    expect(r.value[0]).toBeGreaterThanOrEqual(-Math.PI);
    expect(r.value[0]).toBeLessThan(Math.PI);
    expect(SPECIAL.besselratio(r.value[1])).toBeCloseTo(Math.hypot(c, s), 11);
  });

  it('the chord variant (Fisher frozen at the start) and Newton reach the same estimate', () => {
    const x = scalarDraw('gamma', [2, 1], 300, 8);
    const obj = dataObjective(gammaModel, x);
    const a = fisherScoring(gammaModel, obj, [1.5, 0.8]);
    const b = fisherScoring(gammaModel, obj, [1.5, 0.8], { refreshFisher: false, maxIterations: 500 });
    const c = fisherScoring(gammaModel, obj, [1.5, 0.8], { method: 'newton' });
    for (const r of [b, c]) {
      expect(r.converged).toBe(true);
      expect(r.value[0]).toBeCloseTo(a.value[0], 8);
      expect(r.value[1]).toBeCloseTo(a.value[1], 8);
    }
  });

  it('reports failure instead of throwing when the start is outside the domain', () => {
    const r = fisherScoring(gammaModel, dataObjective(gammaModel, new Float64Array([1, 2])), [-1, 1]);
    expect(r.converged).toBe(false);
    expect(r.message).toMatch(/outside the domain/);
  });
});

describe('non-existence of the MLE', () => {
  it('gamma on constant data (5, 5, 5, 5): "no maximum likelihood estimate exists: alpha → +∞", never converged', () => {
    const data = new Float64Array([5, 5, 5, 5]);
    const r = fit(gammaModel, data, { domains: ['positive', 'positive'], paramNames: ['alpha', 'beta'] });
    expect(r.converged).toBe(false);
    expect(r.status).toBe('no-mle');
    expect(r.message).toMatch(/no maximum likelihood estimate exists: (alpha|beta) → \+∞ with the log-likelihood still increasing/);
  });

  it('a location-scale sample with one distinct value in the scale: normal σ → 0', () => {
    const r = fit(normalModel, new Float64Array([1, 1, 1]), { domains: ['real', 'positive'], paramNames: ['mu', 'sigma'], start: [1, 1] });
    expect(r.status).toBe('no-mle');
    expect(r.message).toMatch(/sigma → 0/);
  });

  it('a sample with an MLE converges from the same kind of start (no false alarm)', () => {
    const r = fit(gammaModel, new Float64Array([4, 5, 6, 5.5]), { domains: ['positive', 'positive'], paramNames: ['alpha', 'beta'] });
    expect(r.status).toBe('converged');
    expect(Math.hypot(...meanScore(gammaModel, new Float64Array([4, 5, 6, 5.5]), r.value))).toBeLessThan(1e-8);
  });
});

describe('closed forms', () => {
  it('a declared closed form is used as is, boundary values included (p̂ = 0 is the estimator value)', () => {
    const r = mle(null, new Float64Array([0, 0, 0]), { closedForm: (d) => Float64Array.of((d as Float64Array).reduce((a, b) => a + b) / d.length) });
    expect(r.method).toBe('closed-form');
    expect(r.converged).toBe(true);
    expect(r.value[0]).toBe(0);
  });

  it('logLikelihood sums the log-density', () => {
    const x = Float64Array.of(0.5, 1.5);
    expect(logLikelihood(normalModel, x, [1, 1])).toBeCloseTo(2 * (-0.5 * Math.log(2 * Math.PI) - 0.125), 14);
  });
});
