/**
 * crb on user family files written as a new user would (test/fixtures/sampling), with nothing
 * chosen by the family's name: the regression of issue 9 (a file named `exponential` with a SCALE
 * parameter got the catalogue's rate formula 1/x̄), a family with neither sampler nor closed form
 * (generic inversion sampler + generic MLE), and worker threads giving bitwise identical estimates
 * for every worker count.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadFamily } from '../../../src/node/loadFamily.js';
import { deriveFamily } from '../../../src/derive/deriveFamily.js';
import { compileFamily } from '../../../src/compile/compileFamily.js';
import { crb } from '../../../src/solve/crb/crb.js';
import { crbSetup } from '../../../src/solve/crb/crbSetup.js';

const FIX = join(__dirname, '../../fixtures/sampling');
const load = (file: string) => {
  const spec = loadFamily(file);
  return { spec, compiled: compileFamily(deriveFamily(spec)) };
};

describe('crb on user files', () => {
  it('a file named exponential with a scale λ: generic MLE (x̄), bias ≈ 0, efficiency CI contains 1', async () => {
    const { spec, compiled } = load(join(FIX, 'exponential.yaml'));
    const setup = crbSetup(spec, compiled, [2]);
    expect(setup.closedForm).toBeNull();
    expect(setup.sampler.kind).toBe('transform');
    const r = await crb(setup, compiled, { n: 400, trials: 600, seed: 17 });
    expect(r.method).toBe('fisher-scoring');
    expect(r.failed_trials).toBe(0);
    // the MLE of a scale is x̄: unbiased, variance λ²/n
    const se = Math.sqrt(r.empirical_cov[0][0] / 600);
    expect(Math.abs(r.bias[0])).toBeLessThan(4 * se);
    expect(r.efficiency_ci[0][0]).toBeLessThanOrEqual(1);
    expect(r.efficiency_ci[0][1]).toBeGreaterThanOrEqual(1);
    expect(r.bound[0][0]).toBeCloseTo(4 / 400, 10);
  });

  it('logistic with no sampler and no closed form: inversion sampler + Fisher scoring, efficiency CIs contain 1 at n = 800', async () => {
    const { spec, compiled } = load(join(FIX, 'logistic_nosampler.yaml'));
    const setup = crbSetup(spec, compiled, [1, 0.5]);
    expect(setup.sampler.kind).toBe('inversion');
    const r = await crb(setup, compiled, { n: 800, trials: 300, seed: 5 });
    expect(r.failed_trials).toBe(0);
    for (let i = 0; i < 2; i++) {
      expect(r.efficiency_ci[i][0]).toBeLessThanOrEqual(1);
      expect(r.efficiency_ci[i][1]).toBeGreaterThanOrEqual(1);
    }
  });

  it('worker threads: bitwise identical estimates for 1, 2 and 3 workers (transform sampler, quadrature Fisher frozen for the chord method)', async () => {
    for (const [file, theta] of [[join(FIX, 'gumbel.yaml'), [1, 2]]] as const) {
      const { spec, compiled } = load(file);
      const setup = crbSetup(spec, compiled, theta);
      expect(setup.modelSource?.kind).toBe('portable');
      const runs = [];
      for (const workers of [1, 2, 3]) runs.push(await crb(setup, compiled, { n: 60, trials: 30, seed: 9, workers, blockSize: 4, mainThread: false }));
      for (const r of runs.slice(1)) expect(Array.from(r.estimates)).toEqual(Array.from(runs[0].estimates));
    }
  }, 60_000);
});
