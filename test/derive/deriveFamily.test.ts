import { describe, expect, it } from 'vitest';
import { listFamilies, loadFamily } from '../../src/node/loadFamily.js';
import { deriveFamily, deriveFamilyWith } from '../../src/derive/deriveFamily.js';
import { centralDiff, ev, randomPoint, rng } from './helpers.js';

describe('deriveFamily: whole catalogue', () => {
  for (const name of listFamilies()) {
    it(`${name}: consistent shapes, positive definite metric, steps for the report`, () => {
      const spec = loadFamily(name);
      const d = deriveFamily(spec);
      const n = spec.params.length;
      expect(d.dim).toBe(n);
      expect(d.params).toEqual(spec.params.map((p) => p.name));
      expect(d.score).toHaveLength(n);
      expect(d.fisher.map((r) => r.length)).toEqual(new Array(n).fill(n));
      // Cholesky succeeds at a random point ⇔ positive definite
      const s = randomPoint(spec, rng(n * 17 + name.length));
      const g = d.fisher.map((r) => r.map((e) => ev(e, s, spec)));
      const L: number[][] = g.map(() => new Array(n).fill(0));
      for (let i = 0; i < n; i++)
        for (let j = 0; j <= i; j++) {
          let v = g[i][j];
          for (let k = 0; k < j; k++) v -= L[i][k] * L[j][k];
          if (i === j) {
            expect(v, `pivot ${i}`).toBeGreaterThan(0);
            L[i][i] = Math.sqrt(v);
          } else L[i][j] = v / L[j][j];
        }
      // score and Hessian (simplified) against central differences of l at a data point
      const x0: Record<string, number> = {};
      const kind = spec.support.kind;
      spec.variables.forEach((v, q) => (x0[v] = kind === 'finite' ? spec.support.values[1] : kind === 'integers' || kind === 'nonnegint' ? 2 : kind === 'unit' || kind === 'simplex' ? 0.2 + 0.1 * q : 0.7));
      const sx = { ...s, ...x0 };
      d.params.forEach((a, i) => {
        expect(Math.abs(ev(d.score[i], sx) - centralDiff((q) => ev(d.logDensity, q), sx, a))).toBeLessThan(1e-6 * Math.max(1, Math.abs(ev(d.score[i], sx))));
        d.params.forEach((b, j) => {
          const h = ev(d.hessian[i][j], sx);
          expect(Math.abs(h - centralDiff((q) => ev(d.score[i], q), sx, b))).toBeLessThan(1e-5 * Math.max(1, Math.abs(h)));
        });
      });
      const titles = d.steps.map((st) => st.title);
      expect(titles.slice(0, 5)).toEqual(['Density and log-likelihood', 'Score', 'Second derivatives', 'Expectations', 'Fisher information matrix']);
      expect(titles).toContain('Kullback–Leibler divergence');
      expect(d.millis).toBeGreaterThan(0);
    });
  }
  it('caches per spec object', () => {
    const spec = loadFamily('gamma');
    expect(deriveFamily(spec)).toBe(deriveFamily(spec));
  });
});

describe('deriveFamily: routes', () => {
  const fisherRoute: Record<string, string> = {
    normal: 'exponential-family', gamma: 'exponential-family', beta: 'exponential-family', vonmises: 'exponential-family',
    categorical3: 'exponential-family', cauchy: 'quadrature', student5: 'quadrature', laplace: 'quadrature', weibull: 'declared',
  };
  for (const [name, route] of Object.entries(fisherRoute)) {
    it(`${name}: fisher by ${route}`, () => expect(deriveFamily(loadFamily(name)).routes.fisher).toBe(route));
  }
  for (const name of ['cauchy', 'student5', 'laplace']) {
    it(`${name} without its declared block: quadrature, and the Expectations step says no closed form is used`, () => {
      const d = deriveFamilyWith(loadFamily(name), { useDeclared: false });
      expect(d.routes.fisher).toBe('quadrature');
      expect(d.routes.amariChentsov).toBe('quadrature');
      expect(d.kl).toBeNull();
      const step = d.steps.find((s) => s.title === 'Expectations')!;
      expect(step.text).toMatch(/No closed form is used/);
      expect(step.text).toMatch(/quadrature/);
      expect(d.nonSmooth).toBe(name === 'laplace');
      if (name === 'laplace') expect(d.steps.find((s) => s.title === 'Expectations')!.text).toMatch(/score form/);
    });
  }
  it('names the exponential-family ingredients in the Expectations step (gamma)', () => {
    const d = deriveFamily(loadFamily('gamma'));
    const step = d.steps.find((s) => s.title === 'Expectations')!;
    expect(step.equations!.map((e) => e.lhs)).toEqual(['\\eta_{1}', '\\eta_{2}', 'T_{1}', 'T_{2}', 'A(\\theta)', 'E[T_{1}]', 'E[T_{2}]']);
  });
});
