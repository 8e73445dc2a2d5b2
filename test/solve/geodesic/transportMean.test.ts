/**
 * α-geodesics, parallel transport and Fréchet means on compiled families, against closed forms
 * (hyperbolic half-plane midpoints, 1-D means in the arc-length coordinate) and invariants
 * (Levi-Civita transport preserves inner products; α- and (−α)-transports preserve the pairing).
 */
import { describe, expect, it } from 'vitest';
import { loadFamily } from '../../../src/node/loadFamily.js';
import { deriveFamily } from '../../../src/derive/deriveFamily.js';
import { compileFamily } from '../../../src/compile/compileFamily.js';
import type { CompiledFamily } from '../../../src/core/types.js';
import { alphaConnection } from '../../../src/solve/geodesic/alphaConnection.js';
import { expMap } from '../../../src/solve/geodesic/expMap.js';
import { logMap } from '../../../src/solve/geodesic/logMap.js';
import { parallelTransport } from '../../../src/solve/geodesic/transport.js';
import { frechetMean } from '../../../src/solve/geodesic/frechetMean.js';

const cache = new Map<string, CompiledFamily>();
const family = (name: string) => {
  if (!cache.has(name)) cache.set(name, compileFamily(deriveFamily(loadFamily(name))));
  return cache.get(name)!;
};
const rel = (got: number, want: number) => Math.abs(got - want) / Math.max(1e-300, Math.abs(want));
const inner = (c: CompiledFamily, at: ArrayLike<number>, u: ArrayLike<number>, w: ArrayLike<number>) => {
  const g = c.fisher(at);
  const n = c.dim;
  let s = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) s += g[i * n + j] * u[i] * w[j];
  return s;
};

describe('α-geodesics', () => {
  it('log map of the α-connection inverts its exp map (gamma, α ∈ {−1, 0.5, 2})', () => {
    const c = family('gamma');
    for (const alpha of [-1, 0.5, 2]) {
      const m = alphaConnection(c, alpha);
      const a = [2, 1];
      // α-geodesics need not be complete (the α = −1 and α = 2 ones from here with velocity
      // (0.8, −0.3) escape to infinity before t = 1): a shorter velocity.
      const v = [0.3, -0.1];
      const e = expMap(m, a, v);
      expect(e.converged).toBe(true);
      const l = logMap(m, a, e.value);
      expect(l.converged).toBe(true);
      v.forEach((vi, i) => expect(rel(l.value[i], vi)).toBeLessThan(1e-8));
    }
  });

  it('α = 0 is the Levi-Civita connection itself', () => {
    const c = family('normal');
    expect(alphaConnection(c, 0)).toBe(c);
  });
});

describe('parallel transport', () => {
  it('Levi-Civita transport keeps Fisher inner products (gamma, beta, normal)', () => {
    for (const [name, a, v] of [['gamma', [2, 1], [1, -0.5]], ['beta', [1.5, 2], [0.7, 1.1]], ['normal', [0, 1], [2, 0.5]]] as const) {
      const c = family(name);
      const u = [1, 0];
      const w = [0.3, 1];
      const r = parallelTransport(c, a, v, [u, w]);
      expect(r.converged).toBe(true);
      for (const [x, y, xe, ye] of [[u, u, r.vectors[0], r.vectors[0]], [u, w, r.vectors[0], r.vectors[1]], [w, w, r.vectors[1], r.vectors[1]]] as const) {
        expect(rel(inner(c, r.end, xe, ye), inner(c, a, x, y))).toBeLessThan(1e-9);
      }
    }
  });

  it('the geodesic velocity is transported into itself', () => {
    const c = family('gamma');
    const r = parallelTransport(c, [2, 1], [1, -0.5], [[1, -0.5]]);
    r.velocity.forEach((vi, i) => expect(rel(r.vectors[0][i], vi)).toBeLessThan(1e-9));
  });

  it('dual transports: ⟨Π^(α) u, Π^(−α) w⟩ is constant along a curve, Π^(α) alone does not keep norms', () => {
    const c = family('gamma');
    const a = [2, 1];
    const v = [1, -0.5];
    const u = [1, 0.2];
    const w = [-0.4, 1];
    const pu = parallelTransport(c, a, v, [u], { connection: alphaConnection(c, 0.8) });
    const pw = parallelTransport(c, a, v, [w], { connection: alphaConnection(c, -0.8) });
    expect(rel(inner(c, pu.end, pu.vectors[0], pw.vectors[0]), inner(c, a, u, w))).toBeLessThan(1e-9);
    expect(rel(inner(c, pu.end, pu.vectors[0], pu.vectors[0]), inner(c, a, u, u))).toBeGreaterThan(1e-3);
  });
});

describe('Fréchet (Karcher) mean', () => {
  it('normal = scaled hyperbolic half-plane: the mean of (±m, σ) is (0, √(m²/2 + σ²))', () => {
    const c = family('normal');
    const r = frechetMean(c, [[-1.2, 0.5], [1.2, 0.5]]);
    expect(Math.abs(r.mean[0])).toBeLessThan(1e-10);
    expect(rel(r.mean[1], Math.sqrt(1.44 / 2 + 0.25))).toBeLessThan(1e-10);
  });

  it('normal, same mean: the Fréchet mean of σ_i is their geometric mean (vertical geodesic)', () => {
    const c = family('normal');
    const s = [0.3, 1, 4];
    const r = frechetMean(c, s.map((x) => [0.7, x]));
    expect(rel(r.mean[1], Math.cbrt(0.3 * 1 * 4))).toBeLessThan(1e-10);
  });

  it('one-parameter families are flat in arc length: exponential → geometric mean, poisson → (mean √λ)²', () => {
    const lam = [0.5, 2, 3, 9];
    const w = [1, 2, 1, 0.5];
    const W = w.reduce((a, b) => a + b, 0);
    const geo = Math.exp(lam.reduce((s, l, i) => s + w[i] * Math.log(l), 0) / W);
    expect(rel(frechetMean(family('exponential'), lam.map((l) => [l]), { weights: w }).mean[0], geo)).toBeLessThan(1e-10);
    const sq = lam.reduce((s, l, i) => s + w[i] * Math.sqrt(l), 0) / W;
    expect(rel(frechetMean(family('poisson'), lam.map((l) => [l]), { weights: w }).mean[0], sq * sq)).toBeLessThan(1e-10);
  });
});

describe('α-geodesic figure of the docs site', () => {
  it('draws the three α-geodesics between two points of a 2-parameter family', async () => {
    const { alphaGeodesicFigure } = await import('../../../src/report/site/dualPlots.js');
    const fig = alphaGeodesicFigure(family('gamma'), { x: [0.3, 3], y: [0.3, 3] }, ['alpha', 'beta']);
    expect(fig).not.toBeNull();
    for (const name of ['m-geodesic (α = −1)', 'Fisher–Rao geodesic (α = 0)', 'e-geodesic (α = +1)']) expect(fig!.svg).toContain(name);
  });
});
