/**
 * The mean of the sufficient statistics (src/compile/portableCode.ts meanT): statistics log g(x)
 * are summed as the log of a rescaled product of g. Checked against the plain sum of logarithms
 * computed here point by point, including values that force the power-of-two rescaling and
 * values outside the product's range (0, negative, huge, tiny, NaN).
 */
import { describe, expect, it } from 'vitest';
import { parseFamily } from '../../src/declare/parseFamily.js';
import { compileSuffStats, instantiateSuffStats } from '../../src/compile/compileStatistics.js';
import { createRng } from '../../src/core/random.js';

const BETA = `name: betatest
title: Beta test
params:
  - { name: a, domain: positive }
  - { name: b, domain: positive }
variables: [x]
support: unit
logDensity: "(a - 1)*log(x) + (b - 1)*log(1 - x) - lbeta(a, b)"
expfam:
  eta: ["a - 1", "b - 1"]
  T: ["log(x)", "(log(1 - x))"]
  A: "lbeta(a, b)"
  ET: ["digamma(a) - digamma(a + b)", "digamma(b) - digamma(a + b)"]
  base: "0"
`;

const GAMMA = `name: gammatest
title: Gamma test
params:
  - { name: alpha, domain: positive }
  - { name: beta, domain: positive }
variables: [x]
support: positive
logDensity: "alpha*log(beta) - lgamma(alpha) + (alpha - 1)*log(x) - beta*x"
expfam:
  eta: ["alpha - 1", "-beta"]
  T: ["log(x)", "x"]
  A: "lgamma(alpha) - alpha*log(beta)"
  ET: ["digamma(alpha) - log(beta)", "alpha/beta"]
  base: "0"
`;

/** Mean of f over xs by compensated (Neumaier) summation: the reference. */
const plainMean = (xs: Float64Array, f: (x: number) => number) => {
  let s = 0;
  let c = 0;
  for (const x of xs) {
    const v = f(x);
    const t = s + v;
    c += Math.abs(s) >= Math.abs(v) ? s - t + v : v - t + s;
    s = t;
  }
  return (s + c) / xs.length;
};
/**
 * Error bound of the product route for a mean m: each of the n multiplications rounds by ≤ 2⁻⁵³
 * relative (≤ 2⁻⁵³ absolute on the mean after dividing by n), log and the e·log 2 term by a few
 * ulps of |m|.
 */
const bound = (m: number) => 2.3e-16 + 4.5e-16 * Math.abs(m);

describe('meanT: sums of log statistics as logs of products', () => {
  const beta = instantiateSuffStats(compileSuffStats(parseFamily(BETA, '/virtual/betatest.yaml'))!);
  const gamma = instantiateSuffStats(compileSuffStats(parseFamily(GAMMA, '/virtual/gammatest.yaml'))!);

  it('log statistics (also parenthesised) are marked, others are not', () => {
    expect(compileSuffStats(parseFamily(BETA, '/virtual/betatest.yaml'))!.logOf).toEqual([true, true]);
    expect(compileSuffStats(parseFamily(GAMMA, '/virtual/gammatest.yaml'))!.logOf).toEqual([true, false]);
  });

  it('agrees with the compensated point-by-point sum of logarithms within the rounding bound', () => {
    const rng = createRng(5, 0);
    for (const n of [1, 7, 1000, 20000]) {
      const x = Float64Array.from({ length: n }, () => rng.nextOpen());
      const m = beta.meanT(x);
      const r0 = plainMean(x, Math.log);
      const r1 = plainMean(x, (v) => Math.log(1 - v));
      expect(Math.abs(m[0] - r0)).toBeLessThanOrEqual(bound(r0));
      expect(Math.abs(m[1] - r1)).toBeLessThanOrEqual(bound(r1));
      const y = Float64Array.from(x, (v) => -10 * Math.log(v));
      const g = gamma.meanT(y);
      const r2 = plainMean(y, Math.log);
      expect(Math.abs(g[0] - r2)).toBeLessThanOrEqual(bound(r2));
      expect(Math.abs(g[1] - plainMean(y, (v) => v))).toBeLessThanOrEqual(1e-12 * g[1]); // plain running sum
    }
  });

  it('products that leave [2^-400, 2^400] are rescaled exactly; out-of-range points go through log', () => {
    // 3000 values of 1e-30 (product 1e-90000) and 1e30: both directions of rescaling
    const tiny = new Float64Array(3000).fill(1e-30);
    expect(gamma.meanT(tiny)[0]).toBeCloseTo(Math.log(1e-30), 12);
    const huge = new Float64Array(3000).fill(1e30);
    expect(gamma.meanT(huge)[0]).toBeCloseTo(Math.log(1e30), 12);
    const mixed = Float64Array.from([1e-200, 1e250, 5e-324, 1.7e308, 3, 1e-130, 1e130]);
    expect(gamma.meanT(mixed)[0]).toBeCloseTo(plainMean(mixed, Math.log), 12);
  });

  it('zero, negative and NaN values give the same −∞ / NaN as the plain sum', () => {
    expect(gamma.meanT(Float64Array.from([1, 2, 0]))[0]).toBe(-Infinity);
    expect(gamma.meanT(Float64Array.from([1, -2, 3]))[0]).toBeNaN();
    expect(gamma.meanT(Float64Array.from([1, NaN, 3]))[0]).toBeNaN();
    expect(gamma.meanT(Float64Array.from([1, Infinity, 3]))[0]).toBe(Infinity);
    // two negatives would make a positive product: they must not be multiplied
    expect(beta.meanT(Float64Array.from([2, 3]))[1]).toBeNaN();
  });
});
