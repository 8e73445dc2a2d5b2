/**
 * Fisher scoring with a frozen Fisher matrix (the chord method crb uses when F comes from
 * quadrature) started far from the maximum: scoring alone converges only linearly there (the old
 * engine ran out of its 500 iterations at a natural-gradient norm ~1e-6 and the trial was dropped);
 * the engine must switch to Newton steps and reach the MLE of an independent route — for the Lomax
 * example family the profile likelihood in λ (α̂(λ) = 1 / mean log(1 + x/λ)) maximised by golden
 * section.
 */
import { describe, expect, it } from 'vitest';
import { loadCompiled } from '../../../src/cli/family.js';
import { createRng } from '../../../src/core/random.js';
import { dataObjective, fisherScoring } from '../../../src/solve/optim/fit.js';

const DIR = new URL('../../../examples/families/', import.meta.url).pathname;

/** Lomax MLE by the profile likelihood: golden section on log λ. */
function lomaxProfileMle(xs: Float64Array): [number, number] {
  const prof = (logLam: number) => {
    const lam = Math.exp(logLam);
    let s = 0;
    for (const x of xs) s += Math.log1p(x / lam);
    const m = s / xs.length;
    return -Math.log(m) - logLam - (1 / m + 1) * m;
  };
  let a = Math.log(1e-3);
  let b = Math.log(1e3);
  const g = (Math.sqrt(5) - 1) / 2;
  for (let i = 0; i < 200 && b - a > 1e-13; i++) {
    const c = b - g * (b - a);
    const d = a + g * (b - a);
    if (prof(c) > prof(d)) b = d;
    else a = c;
  }
  const lam = Math.exp((a + b) / 2);
  let s = 0;
  for (const x of xs) s += Math.log1p(x / lam);
  return [xs.length / s, lam];
}

describe('Fisher scoring with a frozen F far from the maximum', () => {
  it('lomax, n = 1000: converges to the profile-likelihood MLE (1e-7) in under 40 iterations', () => {
    const { compiled } = loadCompiled(DIR + 'lomax.yaml', DIR);
    const rng = createRng(11);
    const xs = new Float64Array(1000);
    for (let i = 0; i < xs.length; i++) xs[i] = 1.5 * (rng.nextOpen() ** (-1 / 2.5) - 1);
    const [alpha, lambda] = lomaxProfileMle(xs);
    for (const start of [[5, 3.5], [1.2, 0.5], [2.5, 1.5]]) {
      const r = fisherScoring(compiled, dataObjective(compiled, xs), start, { refreshFisher: false, domains: ['positive', 'positive'] });
      expect(r.status, `from ${start}: ${r.message}`).toBe('converged');
      expect(r.iterations).toBeLessThan(40);
      expect(Math.abs(r.value[0] / alpha - 1)).toBeLessThan(1e-7);
      expect(Math.abs(r.value[1] / lambda - 1)).toBeLessThan(1e-7);
    }
  });
});
