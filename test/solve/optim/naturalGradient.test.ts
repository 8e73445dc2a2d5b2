import { describe, expect, it } from 'vitest';
import { naturalGradient } from '../../../src/solve/optim/naturalGradient.js';
import { sgd } from '../../../src/solve/optim/sgd.js';
import { adam } from '../../../src/solve/optim/adam.js';
import { minimize, type Objective } from '../../../src/solve/optim/minimize.js';
import { klTrustRegion } from '../../../src/solve/optim/klTrustRegion.js';
import { chain, scale } from '../../../src/solve/optim/transformation.js';
import { scaleByFisherInverse } from '../../../src/solve/optim/scaleByFisherInverse.js';
import { normalFamily, normalLogSigmaFamily, rng } from './referenceFamilies.js';
import type { LikelihoodModel } from '../../../src/solve/optim/fit.js';

/**
 * Gaussian mean estimation with known covariance Σ = R diag(1, 1/κ) Rᵀ (condition number κ):
 * L(μ) = ½ (μ − x̄)ᵀ Σ⁻¹ (μ − x̄), Fisher of the mean = Σ⁻¹ = Hessian.
 */
function gaussianMeanProblem(kappa: number) {
  const c = Math.cos(0.3), s = Math.sin(0.3);
  const ev = [1, kappa]; // eigenvalues of Σ⁻¹
  const P = [c * c * ev[0] + s * s * ev[1], c * s * (ev[0] - ev[1]), c * s * (ev[0] - ev[1]), s * s * ev[0] + c * c * ev[1]];
  const xbar = [1, -2];
  const obj: Objective = {
    value: (m) => {
      const d = [m[0] - xbar[0], m[1] - xbar[1]];
      return 0.5 * (d[0] * (P[0] * d[0] + P[1] * d[1]) + d[1] * (P[2] * d[0] + P[3] * d[1]));
    },
    grad: (m) => {
      const d = [m[0] - xbar[0], m[1] - xbar[1]];
      return Float64Array.of(P[0] * d[0] + P[1] * d[1], P[2] * d[0] + P[3] * d[1]);
    },
  };
  return { obj, fisher: () => P, lmax: kappa, xbar };
}

const stopAt = (xbar: number[]) => (m: Float64Array) => Math.hypot(m[0] - xbar[0], m[1] - xbar[1]) < 1e-8;

describe('natural gradient', () => {
  it('converges in a number of steps independent of the condition number; GD steps grow ∝ κ', () => {
    const nat: number[] = [], gd: number[] = [];
    for (const kappa of [10, 100, 1000]) {
      const p = gaussianMeanProblem(kappa);
      const stop = stopAt(p.xbar);
      nat.push(minimize(p.obj, [0, 0], naturalGradient(p.fisher, { lr: 0.5 }), { stop, maxIterations: 10000 }).iterations);
      gd.push(minimize(p.obj, [0, 0], sgd(1 / p.lmax), { stop, maxIterations: 100000 }).iterations);
    }
    expect(new Set(nat).size).toBe(1); // identical step counts (exactly 2^-k contraction)
    expect(nat[0]).toBeLessThan(40);
    expect(gd[1] / gd[0]).toBeGreaterThan(8);
    expect(gd[2] / gd[1]).toBeGreaterThan(8);
    expect(gd[2]).toBeGreaterThan(100 * nat[2]);
  });

  it('with lr = 1 reaches the minimum of a quadratic with Fisher = Hessian in one step', () => {
    const p = gaussianMeanProblem(1e6);
    const r = minimize(p.obj, [5, 5], naturalGradient(p.fisher, { lr: 1 }), { stop: stopAt(p.xbar), maxIterations: 5 });
    expect(r.iterations).toBe(1);
  });

  it('is invariant to reparameterization to O(lr²): normal (mu, sigma) vs normal_logsigma (mu, s)', () => {
    const r = rng(3);
    const data = Array.from({ length: 200 }, () => 1 + 2 * r.normal());
    const objective = (fam: LikelihoodModel): Objective => ({
      value: (t) => -data.reduce((s, x) => s + fam.logDensity(x, t), 0) / data.length,
      grad: (t) => {
        const g = new Float64Array(2);
        for (const x of data) {
          const sc = fam.score(x, t);
          g[0] -= sc[0] / data.length;
          g[1] -= sc[1] / data.length;
        }
        return g;
      },
    });
    const start = [0, 0.7];
    const oneStep = (fam: LikelihoodModel, t0: number[], tr: ReturnType<typeof sgd>) =>
      minimize(objective(fam), t0, tr, { maxIterations: 1, stop: () => false }).value;
    const gapNat: number[] = [], gapGd: number[] = [];
    for (const lr of [0.1, 0.05, 0.025]) {
      const a = oneStep(normalFamily, start, naturalGradient((t) => normalFamily.fisher(t), { lr }));
      const b = oneStep(normalLogSigmaFamily, [start[0], Math.log(start[1])], naturalGradient((t) => normalLogSigmaFamily.fisher(t), { lr }));
      gapNat.push(Math.hypot(a[0] - b[0], a[1] - Math.exp(b[1])));
      const c = oneStep(normalFamily, start, sgd(lr));
      const d = oneStep(normalLogSigmaFamily, [start[0], Math.log(start[1])], sgd(lr));
      gapGd.push(Math.hypot(c[0] - d[0], c[1] - Math.exp(d[1])));
    }
    // natural gradient: per-step discrepancy shrinks 4× per halving of lr (second order)
    expect(gapNat[0] / gapNat[1]).toBeGreaterThan(3.5);
    expect(gapNat[1] / gapNat[2]).toBeGreaterThan(3.5);
    // gradient descent: first order (2× per halving) and much larger
    expect(gapGd[1] / gapGd[2]).toBeLessThan(2.5);
    expect(gapGd[2]).toBeGreaterThan(10 * gapNat[2]);
  });

  it('klTrustRegion caps ½ uᵀFu at maxKl and leaves small steps alone', () => {
    const F = () => [4, 0, 0, 1];
    const tr = chain(scaleByFisherInverse(F), scale(-1), klTrustRegion(F, { maxKl: 0.01 }));
    const [u] = tr.update(Float64Array.of(8, 1), tr.init(Float64Array.of(0, 0)), Float64Array.of(0, 0));
    expect(0.5 * (4 * u[0] * u[0] + u[1] * u[1])).toBeCloseTo(0.01, 14);
    expect(u[0] / u[1]).toBeCloseTo(2, 12); // direction F⁻¹g = (2, 1) kept
    const [w] = tr.update(Float64Array.of(0.08, 0.01), tr.init(Float64Array.of(0, 0)), Float64Array.of(0, 0));
    expect(Array.from(w)).toEqual([-0.02, -0.01]);
  });

  it('damping interpolates between natural gradient (λ → 0) and scaled gradient (λ → ∞)', () => {
    const F = () => [100, 0, 0, 1];
    const g = Float64Array.of(1, 1);
    const [u0] = scaleByFisherInverse(F, { damping: 0 }).update(g, null, g);
    expect(Array.from(u0)).toEqual([0.01, 1]);
    const [u1] = scaleByFisherInverse(F, { damping: 1e8 }).update(g, null, g);
    expect(u1[0] * 1e8).toBeCloseTo(1, 5);
    expect(u1[1] * 1e8).toBeCloseTo(1, 5);
  });

  it('Adam follows the reference first step −lr·sign(g) and converges on the quadratic', () => {
    const p = gaussianMeanProblem(10);
    const tr = adam(0.1);
    const [u] = tr.update(Float64Array.of(3, -0.5), tr.init(Float64Array.of(0, 0)), Float64Array.of(0, 0));
    expect(u[0]).toBeCloseTo(-0.1, 8);
    expect(u[1]).toBeCloseTo(0.1, 8);
    const r = minimize(p.obj, [0, 0], adam(0.05), { stop: (m) => Math.hypot(m[0] - 1, m[1] + 2) < 1e-4, maxIterations: 20000 });
    expect(r.converged).toBe(true);
  });
});
