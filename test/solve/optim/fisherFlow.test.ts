import { describe, expect, it } from 'vitest';
import { fisherFlow } from '../../../src/solve/optim/fisherFlow.js';
import { normalFamily, normalLogSigmaFamily, rng } from './referenceFamilies.js';
import type { LikelihoodModel } from '../../../src/solve/optim/fit.js';

const r = rng(11);
const data = Array.from({ length: 150 }, () => -0.5 + 1.7 * r.normal());
const meanGrad = (fam: LikelihoodModel) => (t: Float64Array) => {
  const g = new Float64Array(2);
  for (const x of data) {
    const s = fam.score(x, t);
    g[0] -= s[0] / data.length;
    g[1] -= s[1] / data.length;
  }
  return g;
};
const mean = data.reduce((a, b) => a + b, 0) / data.length;
const sd = Math.sqrt(data.reduce((a, b) => a + (b - mean) ** 2, 0) / data.length);

describe('fisherFlow', () => {
  it('traces the same curve of distributions in (mu, sigma) and (mu, log sigma) coordinates', () => {
    const T = 3;
    const a = fisherFlow((t) => normalFamily.fisher(t), meanGrad(normalFamily), [2, 0.3], T, { samples: 7 });
    const b = fisherFlow((t) => normalLogSigmaFamily.fisher(t), meanGrad(normalLogSigmaFamily), [2, Math.log(0.3)], T, { samples: 7 });
    expect(a.converged && b.converged).toBe(true);
    for (let s = 0; s < 7; s++) {
      expect(Math.abs(a.path!.theta[s][0] - b.path!.theta[s][0])).toBeLessThan(1e-7);
      expect(Math.abs(a.path!.theta[s][1] - Math.exp(b.path!.theta[s][1]))).toBeLessThan(1e-7);
    }
  });

  it('matches the closed-form flow for the normal NLL: μ(t) − x̄ ∝ e^{−t}, σ²(t) − s² ∝ e^{−t}', () => {
    // For the normal NLL, −F⁻¹∇L gives dμ/dt = −(μ − x̄) and d(σ²)/dt = −(σ² + (μ − x̄)² − s²).
    const mu0 = 2, s0 = 0.3, T = 1.5;
    const f = fisherFlow((t) => normalFamily.fisher(t), meanGrad(normalFamily), [mu0, s0], T);
    const muT = mean + (mu0 - mean) * Math.exp(-T);
    expect(Math.abs(f.value[0] - muT)).toBeLessThan(1e-8);
    // v = σ² satisfies v' = −(v + (μ−x̄)² − s²) with (μ−x̄)² = d0² e^{−2t}: v(t) = s² + (v0 − s² + d0²) e^{−t} − d0² e^{−2t}
    const d0 = mu0 - mean;
    const vT = sd * sd + (s0 * s0 - sd * sd + d0 * d0) * Math.exp(-T) - d0 * d0 * Math.exp(-2 * T);
    expect(Math.abs(f.value[1] - Math.sqrt(vT))).toBeLessThan(1e-8);
  });
});
