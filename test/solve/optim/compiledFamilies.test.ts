/**
 * Optimizers on families compiled by the real pipeline: MLE against closed forms and the
 * reparameterization invariance of the Fisher flow (normal vs normal_logsigma).
 */
import { describe, expect, it } from 'vitest';
import { loadFamily } from '../../../src/node/loadFamily.js';
import { deriveFamily } from '../../../src/derive/deriveFamily.js';
import { compileFamily } from '../../../src/compile/compileFamily.js';
import type { CompiledFamily } from '../../../src/core/types.js';
import { fit } from '../../../src/solve/optim/fit.js';
import { fisherFlow } from '../../../src/solve/optim/fisherFlow.js';
import { rng } from './referenceFamilies.js';

const family = (name: string): CompiledFamily => compileFamily(deriveFamily(loadFamily(name)));
const r = rng(5);
const xs = Array.from({ length: 120 }, () => 2 + 0.7 * r.normal());
const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);

describe('optimizers on compiled families', () => {
  const normal = family('normal');
  const logsigma = family('normal_logsigma');

  it('fit(normal) and fit(normal_logsigma) give the closed-form MLE', () => {
    const a = fit(normal, xs, { domains: ['real', 'positive'] });
    const b = fit(logsigma, xs, { domains: ['real', 'real'] });
    expect(Math.abs(a.value[0] - mean)).toBeLessThan(1e-9);
    expect(Math.abs(a.value[1] - sd)).toBeLessThan(1e-9);
    expect(Math.abs(Math.exp(b.value[1]) - sd)).toBeLessThan(1e-9);
  });

  it('Fisher flow of the mean NLL traces the same distributions in both parameterizations', () => {
    const grad = (c: CompiledFamily) => (t: Float64Array) => {
      const g = new Float64Array(2);
      for (const x of xs) {
        const s = c.score(x, t);
        g[0] -= s[0] / xs.length;
        g[1] -= s[1] / xs.length;
      }
      return g;
    };
    const fa = fisherFlow((t) => normal.fisher(t), grad(normal), [0, 3], 2, { samples: 5 });
    const fb = fisherFlow((t) => logsigma.fisher(t), grad(logsigma), [0, Math.log(3)], 2, { samples: 5 });
    for (let s = 0; s < 5; s++) {
      expect(Math.abs(fa.path!.theta[s][0] - fb.path!.theta[s][0])).toBeLessThan(1e-7);
      expect(Math.abs(fa.path!.theta[s][1] - Math.exp(fb.path!.theta[s][1]))).toBeLessThan(1e-7);
    }
  });

  it('fit(gamma) by natgrad and newton agree; fit(poisson) is the sample mean', () => {
    const g = family('gamma');
    const ys = xs.map((x) => Math.abs(x) + 0.1);
    const a = fit(g, ys, { method: 'natgrad', domains: ['positive', 'positive'] });
    const b = fit(g, ys, { method: 'newton', domains: ['positive', 'positive'] });
    expect(a.converged && b.converged).toBe(true);
    expect(Math.abs(a.value[0] / b.value[0] - 1)).toBeLessThan(1e-8);
    // the rate MLE satisfies β = α / x̄ exactly
    const ybar = ys.reduce((s, y) => s + y, 0) / ys.length;
    expect(Math.abs(a.value[1] - a.value[0] / ybar)).toBeLessThan(1e-8 * a.value[1]);
    const counts = [0, 2, 1, 4, 3, 0, 1, 2];
    expect(fit(family('poisson'), counts, { domains: ['positive'] }).value[0]).toBeCloseTo(13 / 8, 10);
  });
});
