/**
 * Conformance, issue 10: no family prints a cancelled or non-finite metric. At extreme points of every
 * catalogue family the compiled Fisher metric is compared with textbook closed forms evaluated by mpmath
 * at 60 digits (test/fixtures/numeric/gen_fisher_extreme.py, independent of the derive stage). Either the
 * CLI's output check (src/cli/outputCheck.ts, run by every verb before printing) refuses the point with a
 * NumericError, or every entry agrees with mpmath to 1e-9 relative — or, for a closed-form entry, to
 * within its forward-error estimate (which must then be honest: ≥ the true error) and CANCELLATION_TOLERANCE.
 * The same for the scalar curvature of every two-parameter family (mpmath Brioschi formula on the closed-form
 * metric). The refusals are listed explicitly, so that a new one (or a silently wrong value) fails the test.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NumericError } from '../../src/core/errors.js';
import { loadCompiled } from '../../src/cli/family.js';
import { nest2 } from '../../src/cli/family.js';
import { CANCELLATION_TOLERANCE, checkCancellation, checkMetricInvertible, checkOutput } from '../../src/cli/outputCheck.js';
import { evaluateWithError } from '../../src/core/evaluate.js';
import { UnsupportedError } from '../../src/core/errors.js';
import { POINTS } from './points.js';

interface Row { at: number[]; fisher: string[][]; R?: string }
const fixture = JSON.parse(readFileSync(new URL('../fixtures/numeric/fisher_extreme.json', import.meta.url), 'utf8')) as {
  families: Record<string, Row[]>;
};

/** Points the output check refuses (value not representable or not computable to 1e-9), with the reason. */
const EXPECTED_REFUSALS: Record<string, string> = {
  // ψ₁(a3) − ψ₁(a1 + a2 + a3) ≈ 1.65e-24 from two terms ≈ 1e-8: no accurate form of the trigamma difference
  'dirichlet3@1e-8,1e-8,100000000': 'fisher[a3][a3] of dirichlet3 lost its significant digits to cancellation',
  'beta@1e-8,100000000': 'fisher[b][b] of beta lost its significant digits to cancellation',
};

describe('cancellation check: compiled Fisher metric at extreme points vs mpmath', () => {
  it('covers every catalogue family', () => {
    expect(Object.keys(fixture.families).sort()).toEqual(Object.keys(POINTS).sort());
  });
  for (const [name, rows] of Object.entries(fixture.families)) {
    it(`${name}: every entry agrees with mpmath (1e-9, or within its error estimate) or is refused by the output check`, () => {
      const fam = loadCompiled(name, process.cwd());
      const accepted: string[] = [];
      const c = fam.compiled;
      for (const row of rows) {
        const theta = Float64Array.from(row.at);
        expect(c.checkPoint(theta), `${name} at ${row.at}`).toBeNull();
        const g = c.fisher(theta);
        const key = `${name}@${row.at.join(',')}`;
        let refused: string | null = null;
        try {
          checkOutput({ params: c.paramNames, fisher: nest2(g, c.dim) }, `fisher of ${name}`);
          checkCancellation(fam, 'fisher', fam.derivation.fisher, theta);
        } catch (e) {
          if (!(e instanceof NumericError)) throw e;
          refused = e.message;
        }
        if (refused !== null) {
          expect(EXPECTED_REFUSALS[key], `unexpected refusal ${key}: ${refused}`).toBeDefined();
          expect(refused).toContain(EXPECTED_REFUSALS[key]);
          continue;
        }
        expect(EXPECTED_REFUSALS[key], `${key} is listed as refused but was accepted`).toBeUndefined();
        const ref = row.fisher.flat().map(Number);
        const scale = Math.max(...ref.map(Math.abs));
        const scope = new Map<string, number>(Object.entries(fam.spec.constants));
        c.paramNames.forEach((p, i) => scope.set(p, theta[i]));
        ref.forEach((r, k) => {
          const err = r === 0 ? Math.abs(g[k]) / scale : Math.abs(g[k] - r) / Math.abs(r);
          if (err <= 1e-9) return;
          let estimate = NaN;
          try {
            estimate = evaluateWithError(fam.derivation.fisher[Math.floor(k / c.dim)][k % c.dim], scope).error;
          } catch (e) {
            if (!(e instanceof UnsupportedError)) throw e;
          }
          // worse than 1e-9: only acceptable for a closed form whose error estimate covers the true error
          expect(Math.abs(g[k] - r), `${key} entry ${k}: ${g[k]} vs ${r} (estimate ${estimate})`).toBeLessThanOrEqual(estimate);
          expect(err).toBeLessThanOrEqual(CANCELLATION_TOLERANCE);
          accepted.push(`${key}[${k}]: ${err.toExponential(1)} ≤ estimate ${(estimate / Math.abs(r)).toExponential(1)}`);
        });
      }
      // entries between 1e-9 and the tolerance, each within its honest error estimate (measured: beta at
      // a = 1e8, b = 1: ψ₁(a) − ψ₁(a + b) ≈ 1e-16 to 1.6e-8, estimate 7e-7)
      expect(accepted.length).toBeLessThanOrEqual(name === 'beta' ? 1 : 0);
    });
  }
});

/** Scalar-curvature points the output check refuses, with the reason. */
const EXPECTED_R_REFUSALS: Record<string, string> = {
  // computed −1.000000029 (true −0.99999999999999998889): the closed form cancels in ψ₁-differences
  'gamma@100000000,1e-8': 'curvature of gamma lost its significant digits to cancellation',
  // computed −8.77e-16 (true −9.87e-16)
  'beta@1e-8,1e-8': 'curvature of beta lost its significant digits to cancellation',
  // computed −0.25 (true −0.50000001)
  'beta@1e-8,100000000': 'curvature of beta lost its significant digits to cancellation',
  // computed −0.91260747 (true −0.91260738), estimated relative error 1.4e-5
  'beta@100000000,1': 'curvature of beta lost its significant digits to cancellation',
  // computed 0 (true −1.25e-17): (μ, κ) are polar coordinates around κ = 0, the 1/κ² terms cancel
  'vonmises@0,1e-8': 'curvature of vonmises lost its significant digits to cancellation',
};

describe('cancellation check: scalar curvature of two-parameter families at extreme points vs mpmath (Brioschi, 80 digits)', () => {
  for (const [name, rows] of Object.entries(fixture.families).filter(([, r]) => r[0].R !== undefined)) {
    it(`${name}: R agrees with mpmath (1e-9, or within its error estimate) or is refused by the output check`, () => {
      const fam = loadCompiled(name, process.cwd());
      const c = fam.compiled;
      for (const row of rows) {
        const theta = Float64Array.from(row.at);
        const key = `${name}@${row.at.join(',')}`;
        const R = c.scalarCurvature(theta);
        let refused: string | null = null;
        try {
          if (c.methods.curvature !== 'closed-form') checkMetricInvertible(fam, theta, 'curvature');
          checkOutput({ scalar: R }, `curvature of ${name}`);
          checkCancellation(fam, 'curvature', fam.derivation.scalarCurvature, theta);
        } catch (e) {
          if (!(e instanceof NumericError)) throw e;
          refused = e.message;
        }
        if (refused !== null) {
          expect(EXPECTED_R_REFUSALS[key], `unexpected refusal ${key}: ${refused}`).toBeDefined();
          expect(refused).toContain(EXPECTED_R_REFUSALS[key]);
          continue;
        }
        expect(EXPECTED_R_REFUSALS[key], `${key} is listed as refused but was accepted`).toBeUndefined();
        const ref = Number(row.R);
        const err = Math.abs(R - ref) / Math.abs(ref);
        if (err <= 1e-9) continue;
        const scope = new Map<string, number>(Object.entries(fam.spec.constants));
        c.paramNames.forEach((p, i) => scope.set(p, theta[i]));
        const estimate = fam.derivation.scalarCurvature ? evaluateWithError(fam.derivation.scalarCurvature, scope).error : NaN;
        expect(Math.abs(R - ref), `${key}: R = ${R} vs ${ref} (estimate ${estimate})`).toBeLessThanOrEqual(estimate);
        expect(err).toBeLessThanOrEqual(CANCELLATION_TOLERANCE);
      }
    });
  }
});
