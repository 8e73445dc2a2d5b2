/**
 * The Cramér–Rao machinery over the real family pipeline (declare → derive → compile):
 * samplers agree with the declared densities, closed-form MLEs agree with Fisher scoring on the
 * compiled score, and the MLE is efficient at n = 200 (n = 1000 for gamma, see crb.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { loadFamily } from '../../../src/node/loadFamily.js';
import { deriveFamily } from '../../../src/derive/deriveFamily.js';
import { compileFamily } from '../../../src/compile/compileFamily.js';
import { inverse } from '../../../src/core/linalg.js';
import { createRng } from '../../../src/core/random.js';
import { crb } from '../../../src/solve/crb/crb.js';
import { crbSetup } from '../../../src/solve/crb/crbSetup.js';
import { loadFamilyModel } from '../../../src/solve/crb/familyModel.js';
import { instantiatePortable } from '../../../src/solve/crb/portableModel.js';
import { dataObjective, fisherScoring, meanScore, mle } from '../../../src/solve/optim/fit.js';
import { drawFunction, type CrbSetup } from '../../../src/solve/crb/runTrials.js';
import { instantiateMle } from '../../../src/compile/portableCode.js';

const draw = (setup: CrbSetup, model: Parameters<typeof drawFunction>[2], seed: number, stream: number, n: number) =>
  drawFunction(setup.sampler, setup.theta, model)(createRng(seed, stream), n);

function load(name: string) {
  const spec = loadFamily(name);
  return { spec, compiled: compileFamily(deriveFamily(spec)) };
}

/** A point inside each catalogue family's domain. */
const AT: Record<string, number[]> = {
  bernoulli: [0.3], binomial10: [0.35], categorical3: [0.2, 0.5], geometric: [0.4], poisson: [4.5], negbinomial5: [0.45],
  exponential: [1.7], normal: [1, 2], normal_logsigma: [-0.5, 0.3], lognormal: [0.2, 0.6], gamma: [2, 1.5], beta: [2.5, 1.5],
  weibull: [1.8, 2], laplace: [0.5, 1.3], cauchy: [-1, 0.7], student5: [0.5, 1.5], vonmises: [2.5, 3],
  inversegaussian: [1.5, 4], dirichlet3: [2, 3, 4], mvnormal2: [1, -1, 2, 0.6, 1],
};

describe('samplers agree with the declared densities', () => {
  // E[score] = 0 and E[s sᵀ] = F at θ when x is drawn from p(·; θ): a joint check of the sampler's
  // argument conventions, the family file and the compiled score/Fisher.
  for (const name of Object.keys(AT)) {
    it(`${name}: mean score ≈ 0 and mean outer product ≈ Fisher (5 Monte Carlo standard errors)`, () => {
      const { spec, compiled } = load(name);
      const theta = AT[name];
      const setup = crbSetup(spec, compiled, theta);
      const d = compiled.dim;
      const N = 20_000;
      const xs = draw(setup, compiled, 31, 0, N);
      const s = new Float64Array(d);
      const sum = new Float64Array(d);
      const sum2 = new Float64Array(d);
      const outer = new Float64Array(d * d);
      const outer2 = new Float64Array(d * d);
      for (let t = 0; t < N; t++) {
        compiled.score(xs[t] as number, theta, s);
        for (let i = 0; i < d; i++) {
          sum[i] += s[i];
          sum2[i] += s[i] * s[i];
          for (let j = 0; j < d; j++) {
            outer[i * d + j] += s[i] * s[j];
            outer2[i * d + j] += (s[i] * s[j]) ** 2;
          }
        }
      }
      const F = compiled.fisher(theta);
      for (let i = 0; i < d; i++) {
        const m = sum[i] / N;
        const se = Math.sqrt(Math.max(sum2[i] / N - m * m, 0) / N);
        expect(Math.abs(m), `${name} E[s_${i}]`).toBeLessThanOrEqual(5 * se + 1e-12);
        for (let j = 0; j < d; j++) {
          const mo = outer[i * d + j] / N;
          const seo = Math.sqrt(Math.max(outer2[i * d + j] / N - mo * mo, 0) / N);
          expect(Math.abs(mo - F[i * d + j]), `${name} E[s_${i} s_${j}]`).toBeLessThanOrEqual(5 * seo + 1e-10 * Math.abs(F[i * d + j]) + 1e-12);
        }
      }
    });
  }
});

describe('declared closed-form MLEs (mle: blocks) agree with the generic route', () => {
  for (const name of Object.keys(AT)) {
    if (!loadFamily(name).mle || name === 'laplace') continue; // laplace: non-smooth in μ
    it(`${name}: Fisher scoring on the compiled score from θ lands on the declared closed form (relative 1e-8)`, () => {
      const { spec, compiled } = load(name);
      const setup = crbSetup(spec, compiled, AT[name]);
      expect(setup.closedForm).not.toBeNull();
      const data = draw(setup, compiled, 5, 1, 400);
      const cf = mle(compiled, data, { closedForm: instantiateMle(setup.closedForm!), domains: setup.domains });
      expect(cf.method).toBe('closed-form');
      const fs = fisherScoring(compiled, dataObjective(compiled, data), AT[name], { domains: setup.domains });
      expect(fs.converged).toBe(true);
      for (let i = 0; i < compiled.dim; i++) expect(Math.abs(fs.value[i] - cf.value[i]), `${name} θ_${i}`).toBeLessThanOrEqual(1e-8 * Math.max(1, Math.abs(cf.value[i])));
    });
  }
});

describe('Fisher-scoring families converge in every trial', () => {
  for (const name of ['beta', 'weibull', 'cauchy', 'student5', 'vonmises', 'dirichlet3']) {
    it(`${name}: 20 trials at n = 200, all converged, mean score at θ̂ ≈ 0`, async () => {
      const { spec, compiled } = load(name);
      const setup = crbSetup(spec, compiled, AT[name]);
      const r = await crb(setup, compiled, { n: 200, trials: 20, seed: 9 });
      expect(r.method).toBe('fisher-scoring');
      expect(r.failed_trials).toBe(0);
      const d = compiled.dim;
      const data = draw(setup, compiled, 9, 0, 200);
      const u = meanScore(compiled, data, r.estimates.subarray(0, d));
      for (const ui of u) expect(Math.abs(ui)).toBeLessThan(1e-8);
    });
  }
});

describe('crb over the pipeline', () => {
  it('vonmises near μ = π: estimates are compared modulo 2π (efficiency of μ̂ within its CI of 1)', async () => {
    const { spec, compiled } = load('vonmises');
    const setup = crbSetup(spec, compiled, [3, 2]);
    const r = await crb(setup, compiled, { n: 200, trials: 200, seed: 1 });
    expect(r.failed_trials).toBe(0);
    expect(r.efficiency_ci[0][0]).toBeLessThanOrEqual(1);
    expect(r.efficiency_ci[0][1]).toBeGreaterThanOrEqual(1);
    for (let t = 0; t < 200; t++) expect(Math.abs(r.estimates[2 * t] - 3)).toBeLessThan(Math.PI);
  });

  it('loadFamilyModel (the worker fallback) rebuilds the same compiled score and Fisher from the family file', () => {
    const { spec, compiled } = load('gamma');
    const rebuilt = loadFamilyModel({ kind: 'family', nameOrPath: spec.file, cwd: '/' });
    expect(Array.from(rebuilt.score(0.7, AT.gamma))).toEqual(Array.from(compiled.score(0.7, AT.gamma)));
    expect(Array.from(rebuilt.fisher(AT.gamma))).toEqual(Array.from(compiled.fisher(AT.gamma)));
  });

  it('Fisher-scoring families ship portable generated code that reproduces the compiled closures', () => {
    for (const name of ['gamma', 'beta', 'weibull', 'cauchy', 'student5', 'vonmises', 'dirichlet3']) {
      const { spec, compiled } = load(name);
      const setup = crbSetup(spec, compiled, AT[name]);
      const src = setup.modelSource;
      expect(src, name).not.toBeNull();
      if (src?.kind !== 'portable') {
        // allowed (e.g. a quadrature Fisher), but then the method must say so
        expect(compiled.methods.fisher, name).not.toBe('closed-form');
        continue;
      }
      const m = instantiatePortable(src.model);
      const xs = draw(setup, compiled, 2, 2, 5);
      for (const x of Array.from(xs as ArrayLike<number>)) {
        expect(m.logDensity(x, AT[name]), name).toBe(compiled.logDensity(x, AT[name]));
        expect(Array.from(m.score(x, AT[name])), name).toEqual(Array.from(compiled.score(x, AT[name])));
      }
    }
  });

  it('worker threads (portable model) give bitwise the same gamma estimates as in-process', async () => {
    const { spec, compiled } = load('gamma');
    const setup = crbSetup(spec, compiled, AT.gamma);
    expect(setup.modelSource?.kind).toBe('portable');
    const one = await crb(setup, compiled, { n: 100, trials: 24, seed: 4 });
    const two = await crb(setup, compiled, { n: 100, trials: 24, seed: 4, workers: 2 });
    expect(Array.from(two.estimates)).toEqual(Array.from(one.estimates));
  });

  it('bound is exactly inverse(compiled Fisher)/n', async () => {
    for (const name of ['normal', 'gamma', 'poisson', 'bernoulli', 'mvnormal2']) {
      const { spec, compiled } = load(name);
      const setup = crbSetup(spec, compiled, AT[name]);
      const d = compiled.dim;
      const inv = inverse(compiled.fisher(AT[name]), d);
      const r = await crb(setup, compiled, { n: 200, trials: 3, seed: 1 });
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) expect(r.bound[i][j], name).toBe(inv[i * d + j] / 200);
    }
  });

  for (const [name, n] of [['normal', 200], ['poisson', 200], ['bernoulli', 200], ['gamma', 1000]] as const) {
    it(`${name}: the MLE's efficiency at n = ${n} is within its 95% CI of 1`, async () => {
      const { spec, compiled } = load(name);
      const setup = crbSetup(spec, compiled, AT[name]);
      const r = await crb(setup, compiled, { n, trials: 300, seed: 2026 });
      expect(r.failed_trials).toBe(0);
      for (let i = 0; i < compiled.dim; i++) {
        expect(r.efficiency_ci[i][0], `${name} θ_${i}`).toBeLessThanOrEqual(1);
        expect(r.efficiency_ci[i][1], `${name} θ_${i}`).toBeGreaterThanOrEqual(1);
      }
    });
  }
});
