/**
 * Confidence regions from the geometry: boundaries satisfy their defining equations through
 * independent routes (Fisher–Rao distance by shooting for the ball; the log-likelihood for the LR
 * region), the three regions agree as n grows, and Monte-Carlo coverage matches the nominal level.
 */
import { describe, expect, it } from 'vitest';
import { loadFamily } from '../../../src/node/loadFamily.js';
import { deriveFamily } from '../../../src/derive/deriveFamily.js';
import { compileFamily } from '../../../src/compile/compileFamily.js';
import { createRng } from '../../../src/core/random.js';
import { distance } from '../../../src/solve/geodesic/distance.js';
import {
  geodesicBallBoundary, likelihoodRatioBoundary, regionContains, regionThreshold, waldBoundary, type RegionKind,
} from '../../../src/solve/regions/confidenceRegions.js';

const normal = compileFamily(deriveFamily(loadFamily('normal')));
const normalLogLik = (xs: Float64Array) => (t: Float64Array) => {
  let s = 0;
  for (const x of xs) s += normal.logDensity(x, t);
  return s;
};
const normalMle = (xs: Float64Array): Float64Array => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  const v = xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length;
  return Float64Array.of(m, Math.sqrt(v));
};
const sample = (seed: number, n: number, mu: number, sigma: number) => {
  const rng = createRng(seed);
  return Float64Array.from({ length: n }, () => mu + sigma * rng.normal());
};

describe('confidence regions', () => {
  const c = regionThreshold(2, 0.95);
  it('χ²₂(0.95) = −2 log 0.05', () => expect(Math.abs(c + 2 * Math.log(0.05))).toBeLessThan(1e-10));

  it('geodesic-ball boundary points lie at Fisher–Rao distance √(c/n) (shooting vs exp map)', () => {
    const b = geodesicBallBoundary(normal, [0.2, 1.3], 30, c, 12);
    expect(b.open).toEqual([]);
    for (const p of b.points) expect(Math.abs(distance(normal, [0.2, 1.3], p).value - Math.sqrt(c / 30))).toBeLessThan(1e-9);
  });

  it('likelihood-ratio boundary satisfies 2(ℓ̂ − ℓ) = c; the three regions converge together as n grows', () => {
    const gaps: number[] = [];
    for (const n of [20, 2000]) {
      const xs = sample(7, n, 0.5, 2);
      const hat = normalMle(xs);
      const ll = normalLogLik(xs);
      const lr = likelihoodRatioBoundary(normal, ll, hat, n, c, 24);
      for (const p of lr.points) expect(Math.abs(2 * (ll(hat) - ll(p)) - c)).toBeLessThan(1e-8);
      const w = waldBoundary(normal, hat, n, c, 24);
      const g = geodesicBallBoundary(normal, hat, n, c, 24);
      // largest gap between corresponding boundary points, relative to the Wald radius
      const radius = Math.max(...w.points.map((p) => Math.hypot(p[0] - hat[0], p[1] - hat[1])));
      let gap = 0;
      for (let k = 0; k < 24; k++) {
        gap = Math.max(gap, Math.hypot(lr.points[k][0] - w.points[k][0], lr.points[k][1] - w.points[k][1]) / radius);
        gap = Math.max(gap, Math.hypot(g.points[k][0] - w.points[k][0], g.points[k][1] - w.points[k][1]) / radius);
      }
      gaps.push(gap);
    }
    // relative shape differences are O(n^{-1/2}): 100× more data, ~10× smaller gap
    expect(gaps[1]).toBeLessThan(gaps[0] / 5);
  });

  it('Monte-Carlo coverage of all three regions is 95% within its 99.9% binomial interval (n = 200)', () => {
    const trials = 600;
    const n = 200;
    const truth = Float64Array.of(0.5, 2);
    const hits: Record<RegionKind, number> = { wald: 0, geodesic: 0, likelihood: 0 };
    for (let t = 0; t < trials; t++) {
      const xs = sample(1000 + t, n, truth[0], truth[1]);
      const hat = normalMle(xs);
      for (const kind of ['wald', 'geodesic', 'likelihood'] as const) if (regionContains(kind, normal, hat, truth, n, c, normalLogLik(xs))) hits[kind]++;
    }
    const half = 3.29 * Math.sqrt((0.95 * 0.05) / trials);
    for (const kind of ['wald', 'geodesic', 'likelihood'] as const) expect(Math.abs(hits[kind] / trials - 0.95)).toBeLessThan(half);
  });
});
