/**
 * Issue 10: the Bessel ratio A = I₁/I₀ and its derivatives A^(n) without cancellation, against mpmath
 * (test/fixtures/numeric/gen_besselratio.py, 150 digits), and the forward-error evaluator that exposes
 * the cancellation of the textbook form A′ = 1 − A/κ − A².
 */
import { readFileSync } from 'node:fs';
import { parse } from 'mathjs';
import { describe, expect, it } from 'vitest';
import { besselratio, besselratioderiv } from '../../src/core/special.js';
import { evaluate, evaluateWithError } from '../../src/core/evaluate.js';

interface Row { kappa: number; A: string; A1: string; A2: string; A3: string; A4: string; extreme: boolean }
const fixture = JSON.parse(readFileSync(new URL('../fixtures/numeric/besselratio.json', import.meta.url), 'utf8')) as { points: Row[] };
const ref = (r: Row, n: number) => Number([r.A, r.A1, r.A2, r.A3, r.A4][n]);
const rel = (a: number, b: number) => (a === b ? 0 : Math.abs(a - b) / Math.abs(b));

/** Measured worst relative errors (×4 margin): the middle range 1 < κ < 25 loses ≈ κ^(n−1) in the Riccati recursion. */
const TOL = [1e-15, 2e-15, 5e-14, 2e-13, 5e-12];

describe('besselratioderiv(n, κ) = A^(n)(κ)', () => {
  it('has 18 mpmath reference rows covering 1e-8 … 1e12 and both switch points', () => {
    expect(fixture.points.length).toBe(18);
    expect(fixture.points.map((r) => r.kappa)).toEqual(expect.arrayContaining([1e-8, 0.999, 1.001, 24.99, 25.01, 1e12]));
  });
  for (let n = 0; n <= 4; n++) {
    it(`order ${n} matches mpmath to ${TOL[n]} relative at every κ`, () => {
      for (const r of fixture.points) {
        const got = besselratioderiv(n, r.kappa);
        expect(rel(got, ref(r, n)), `κ=${r.kappa}: ${got} vs ${ref(r, n)}`).toBeLessThanOrEqual(TOL[n]);
      }
    });
  }
  it('order 0 is besselratio; parity A^(n)(−κ) = (−1)^(n+1) A^(n)(κ); A^(n)(0) = n!·c_n', () => {
    expect(besselratioderiv(0, 3.5)).toBe(besselratio(3.5));
    for (const k of [1e-3, 0.7, 7, 70]) for (let n = 1; n <= 4; n++) expect(besselratioderiv(n, -k)).toBe((n % 2 === 1 ? 1 : -1) * besselratioderiv(n, k));
    expect(besselratioderiv(1, 0)).toBe(0.5);
    expect(besselratioderiv(3, 0)).toBeCloseTo(-0.375, 15); // 3!·(−1/16)
    expect(besselratioderiv(2, 0)).toBe(0);
  });
  it('is NaN for an order that is negative, fractional or above the supported maximum, and for NaN', () => {
    for (const n of [-1, 1.5, 9, NaN]) expect(besselratioderiv(n, 2)).toBeNaN();
    expect(besselratioderiv(1, NaN)).toBeNaN();
    expect(besselratioderiv(1, Infinity)).toBe(0);
  });
});

describe('evaluateWithError: forward error bounds expose cancellation', () => {
  const textbook = parse('1 - besselratio(kappa)/kappa - besselratio(kappa)^2');
  const accurate = parse('besselratioderiv(1, kappa)');
  it('flags 1 − A/κ − A² at κ = 1e5 and 1e12 (estimated relative error > 1e-6) and the bound covers the true error', () => {
    for (const r of fixture.points.filter((p) => p.kappa >= 1e5)) {
      const { value, error } = evaluateWithError(textbook, { kappa: r.kappa });
      expect(value).toBe(evaluate(textbook, { kappa: r.kappa }));
      const trueError = Math.abs(value - ref(r, 1));
      expect(trueError / ref(r, 1)).toBeGreaterThan(1e-6); // the old output really was wrong …
      expect(error).toBeGreaterThanOrEqual(trueError); // … and the estimate says so
      expect(error / Math.abs(value)).toBeGreaterThan(1e-6);
    }
  });
  it('does not flag the textbook form where it is accurate (κ ≤ 1), nor A′ as its own function anywhere', () => {
    for (const r of fixture.points) {
      const a = evaluateWithError(accurate, { kappa: r.kappa });
      expect(a.error / a.value).toBeLessThan(1e-13);
      expect(a.error).toBeGreaterThanOrEqual(Math.abs(a.value - ref(r, 1)));
      if (r.kappa <= 1) {
        const t = evaluateWithError(textbook, { kappa: r.kappa });
        expect(t.error / Math.abs(t.value)).toBeLessThan(1e-12);
      }
    }
  });
  it('a product that underflows to 0 carries a non-zero error; exact zeros and integer inputs carry none', () => {
    const u = evaluateWithError(parse('kappa * besselratio(kappa)'), { kappa: 1e-200 });
    expect(u.value).toBe(0);
    expect(u.error).toBeGreaterThan(0);
    expect(evaluateWithError(parse('sin(mu) * kappa'), { mu: 0, kappa: 3 })).toEqual({ value: 0, error: 0 });
    expect(evaluateWithError(parse('2 * kappa - 1'), { kappa: 3 })).toEqual({ value: 5, error: 5 * 2 ** -53 + 6 * 2 ** -53 });
  });
  it('an ordinary sum of positive terms keeps a relative error of a few ulps', () => {
    const r = evaluateWithError(parse('x^2 + 3*x + log(x) + exp(-x)'), { x: 1.7 });
    expect(r.error / r.value).toBeLessThan(1e-15);
  });
});
