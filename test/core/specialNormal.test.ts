/**
 * erf, erfc, log1p, expm1, normcdf (Φ), lognormcdf (log Φ), normratio (φ/Φ), lbeta and the Bessel K
 * family (besselk0/1, logbesselk0/1, besselkratio; the series/continued-fraction switch is at x = 2) against mpmath
 * (test/core/fixtures/normalErfReference.py), and their derivative rules (src/derive/differentiate.ts)
 * against central differences of the implementations.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'mathjs';
import { describe, expect, it } from 'vitest';
import { SPECIAL, lognormcdf, normcdf, normratio } from '../../src/core/special.js';
import { evaluate } from '../../src/core/evaluate.js';
import { differentiate } from '../../src/derive/differentiate.js';

const ref = JSON.parse(readFileSync(new URL('./fixtures/normalErfReference.json', import.meta.url), 'utf8')) as Record<
  string,
  number[][]
>;

const rel = (a: number, b: number) => (a === b ? 0 : Math.abs(a - b) / Math.abs(b));

function worst(f: (...x: number[]) => number, rows: number[][]): number {
  let err = 0;
  for (const r of rows) {
    const e = rel(f(...r.slice(0, -1)), r[r.length - 1]);
    if (!(e <= err)) err = e;
  }
  return err;
}

describe('normal-distribution and error functions against mpmath (50 digits)', () => {
  const cases: [string, (...x: number[]) => number, number][] = [
    ['erf', SPECIAL.erf, 4e-16],
    ['erfc', SPECIAL.erfc, 3e-15],
    ['log1p', SPECIAL.log1p, 2e-16],
    ['expm1', SPECIAL.expm1, 2e-16],
    ['normcdf', normcdf, 3e-15],
    ['lognormcdf', lognormcdf, 3e-15],
    ['normratio', normratio, 3e-15],
    ['lbeta', SPECIAL.lbeta, 3e-15],
    ['besselk0', SPECIAL.besselk0, 4e-15],
    ['besselk1', SPECIAL.besselk1, 4e-15],
    ['logbesselk0', SPECIAL.logbesselk0, 8e-15],
    ['logbesselk1', SPECIAL.logbesselk1, 4e-15],
    ['besselkratio', SPECIAL.besselkratio, 4e-15],
  ];
  for (const [name, f, tol] of cases) {
    it(`${name}: worst relative error over ${ref[name].length} points ≤ ${tol}`, () => {
      expect(ref[name].length).toBeGreaterThan(8);
      expect(worst(f, ref[name])).toBeLessThanOrEqual(tol);
    });
  }

  it('lognormcdf stays finite and ≈ −x²/2 − log(−x√(2π)) far in the left tail where Φ underflows', () => {
    expect(normcdf(-40)).toBe(0);
    const x = -1e5;
    expect(rel(lognormcdf(x), -0.5 * x * x - Math.log(-x * Math.sqrt(2 * Math.PI)))).toBeLessThan(1e-15);
    expect(rel(normratio(-1e5), 1e5)).toBeLessThan(1e-9);
    expect(lognormcdf(-Infinity)).toBe(-Infinity);
    expect(lognormcdf(Infinity) === 0).toBe(true);
    expect(normratio(Infinity)).toBe(0);
    expect(Number.isNaN(lognormcdf(NaN))).toBe(true);
  });
});

describe('derivative rules of the new functions agree with central differences', () => {
  // f(u(t)) with u = 1.3 t − 0.4 (chain rule exercised), differentiated in t.
  const cases: [string, number[]][] = [
    ['erf(1.3*t - 0.4)', [-2, -0.3, 0.2, 1.7]],
    ['erfc(1.3*t - 0.4)', [-2, -0.3, 0.2, 1.7]],
    ['normcdf(1.3*t - 0.4)', [-3, -0.3, 0.2, 2.5]],
    ['lognormcdf(1.3*t - 0.4)', [-20, -3, -0.3, 0.2, 2.5]],
    ['normratio(1.3*t - 0.4)', [-20, -3, -0.3, 0.2, 2.5]],
    ['lbeta(t, 2.5)', [0.3, 1, 4]],
    ['lbeta(1.5, t^2)', [0.3, 1, 4]],
    ['lbeta(t, 3*t)', [0.3, 1, 4]],
    ['log1p(t^2)', [0.3, 1, 4]],
    ['expm1(-t)', [0.3, 1, 4]],
    ['besselk0(1.3*t)', [0.2, 1.5, 1.6, 7]],
    ['besselk1(1.3*t)', [0.2, 1.5, 1.6, 7]],
    ['logbesselk0(1.3*t)', [0.2, 1.5, 1.6, 7, 300]],
    ['logbesselk1(1.3*t)', [0.2, 1.5, 1.6, 7, 300]],
    ['besselkratio(1.3*t)', [0.2, 1.5, 1.6, 7, 300]],
  ];
  for (const [text, ts] of cases) {
    it(text, () => {
      const f = parse(text);
      const df = differentiate(f, 't');
      for (const t of ts) {
        const h = 1e-5 * Math.max(1, Math.abs(t));
        const fd = (evaluate(f, { t: t + h }) - evaluate(f, { t: t - h })) / (2 * h);
        const v = evaluate(df, { t });
        expect(Math.abs(v - fd)).toBeLessThan(1e-7 * Math.max(1, Math.abs(fd)));
      }
    });
  }
});
