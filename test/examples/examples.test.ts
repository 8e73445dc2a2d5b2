/**
 * The example user families of examples/families/*.yaml (docs/examples.md) against an independent
 * reference: test/fixtures/example-families/reference.py re-types each density in sympy and computes
 * the Fisher metric, Christoffel symbols Γ^k_ij, scalar curvature and KL by 40-digit mpmath
 * quadrature/summation (reference.json). Also: `check` passes on every file at both points, the
 * guards of every verb pass there, and each declared inverse-CDF `sampler.transform` in u alone maps
 * u to the u- (or 1−u-) quantile of the density.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { integrate } from '../../src/core/quadrature.js';
import { evaluate } from '../../src/core/evaluate.js';
import { checkFamily } from '../../src/compile/checkFamily.js';
import { guardPoint, loadCompiled, type LoadedFamily } from '../../src/cli/family.js';

const DIR = new URL('../../examples/families/', import.meta.url).pathname;
interface RefFamily {
  params: string[];
  points: number[][];
  fisher: number[][][];
  christoffel: number[][][][];
  scalar: number[];
  kl: number[];
}
const ref = JSON.parse(readFileSync(new URL('../fixtures/example-families/reference.json', import.meta.url), 'utf8')) as {
  families: Record<string, RefFamily>;
};

const allFiles = readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort();
// compoisson and ztpoisson (series normaliser, half-infinite integer support) have their own mpmath
// reference in test/compile/robustExpectations.test.ts; every other example file must have one here.
const files = allFiles.filter((f) => Object.hasOwn(ref.families, f.replace(/\.yaml$/, '')));
const cache = new Map<string, LoadedFamily>();
function fam(name: string): LoadedFamily {
  let f = cache.get(name);
  if (!f) cache.set(name, (f = loadCompiled(`${DIR}${name}.yaml`, DIR)));
  return f;
}

/** max |a − b| / max|b| over all entries (relative to the largest reference entry). */
function relErr(a: ArrayLike<number>, b: readonly number[]): number {
  let scale = 0;
  let err = 0;
  for (let i = 0; i < b.length; i++) {
    scale = Math.max(scale, Math.abs(b[i]));
    err = Math.max(err, Math.abs(a[i] - b[i]));
  }
  return err / scale;
}

describe('example families', () => {
  it('every reference entry has its example file, at least 13 of them, and only the two checked elsewhere lack one', () => {
    expect(files.length).toBeGreaterThanOrEqual(13);
    expect(files.map((f) => f.replace(/\.yaml$/, '')).sort()).toEqual(Object.keys(ref.families).sort());
    expect(allFiles.filter((g) => !files.includes(g))).toEqual(['compoisson.yaml', 'ztpoisson.yaml']);
  });

  for (const file of files) {
    const name = file.replace(/\.yaml$/, '');
    describe(name, () => {
      const r = ref.families[name];
      it('declares the reference parameters in the same order', () => {
        expect(fam(name).compiled.paramNames).toEqual(r.params);
      });
      r.points.forEach((theta, k) => {
        it(`Fisher (≤1e-9), Γ^k_ij (≤1e-8), R (≤1e-7) at ${theta.join(', ')}`, () => {
          const c = fam(name).compiled;
          expect(relErr(c.fisher(theta), r.fisher[k].flat())).toBeLessThanOrEqual(1e-9);
          expect(relErr(c.christoffel(theta), r.christoffel[k].flat(2))).toBeLessThanOrEqual(1e-8);
          if (c.dim > 1) {
            const R = c.scalarCurvature(theta);
            expect(Math.abs(R - r.scalar[k])).toBeLessThanOrEqual(1e-7 * Math.max(1, Math.abs(r.scalar[k])));
          } else expect(r.scalar[k]).toBe(0);
        });
      });
      it('KL both ways ≤ 1e-9 relative', () => {
        const c = fam(name).compiled;
        const [a, b] = r.points;
        expect(Math.abs(c.kl(a, b) - r.kl[0])).toBeLessThanOrEqual(1e-9 * r.kl[0]);
        expect(Math.abs(c.kl(b, a) - r.kl[1])).toBeLessThanOrEqual(1e-9 * r.kl[1]);
      });
      it('passes check and the verb guards at both points', () => {
        const f = fam(name);
        const failed = checkFamily(f.derivation, f.compiled, r.points).filter((c) => !c.ok);
        expect(failed).toEqual([]);
        for (const t of r.points) expect(() => guardPoint(f, t, '--at')).not.toThrow();
      });
      const sampler = fam(name).spec.sampler;
      const t = sampler?.kind === 'transform' && sampler.inputs.join() === 'u' ? sampler.transform[0] : undefined;
      if (t) {
        it('its transform sampler maps u to the u- or (1−u)-quantile', () => {
          const f = fam(name);
          const support = f.spec.support.kind;
          const lo = support === 'real' ? -Infinity : 0;
          for (const theta of r.points) {
            const scope: Record<string, number> = {};
            f.compiled.paramNames.forEach((p, i) => (scope[p] = theta[i]));
            for (const u of [0.1, 0.37, 0.8]) {
              const xq = evaluate(t, { ...scope, u });
              const cdf = integrate((x) => Math.exp(f.compiled.logDensity(x, theta)), lo, xq).value;
              expect(Math.min(Math.abs(cdf - u), Math.abs(cdf - (1 - u)))).toBeLessThan(1e-10);
            }
          }
        });
      }
    });
  }
});
