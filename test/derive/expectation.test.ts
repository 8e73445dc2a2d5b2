import { describe, expect, it } from 'vitest';
import { parse } from 'mathjs';
import { loadFamily } from '../../src/node/loadFamily.js';
import { deriveFamilyWith } from '../../src/derive/deriveFamily.js';
import { expectBatch, familyContext, featureKey, momentsExpectation } from '../../src/derive/expectation.js';
import { strip } from '../../src/derive/build.js';
import { ev, quadExpect, randomPoint, relDiff, rng } from './helpers.js';
import type { Route } from '../../src/derive/types.js';

function compareRoutes(name: string, skip: Route[], expected: Route): void {
  const spec = loadFamily(name);
  const a = deriveFamilyWith(spec);
  const b = deriveFamilyWith(spec, { skip });
  expect(b.routes.fisher).toBe(expected);
  const r = rng(name.length);
  for (let k = 0; k < 3; k++) {
    const s = randomPoint(spec, r);
    a.fisher.forEach((row, i) => row.forEach((e, j) => expect(relDiff(ev(e, s), ev(b.fisher[i][j], s)), `g${i}${j}`).toBeLessThan(1e-12)));
    a.amariChentsov!.flat(2).forEach((e, q) => expect(relDiff(ev(e, s), ev(b.amariChentsov!.flat(2)[q], s))).toBeLessThan(1e-11));
  }
}

describe('expectation: routes agree', () => {
  for (const name of ['gamma', 'vonmises', 'normal', 'lognormal', 'inversegaussian', 'beta', 'poisson']) {
    it(`${name}: exponential-family route == moments route`, () => compareRoutes(name, ['exponential-family'], 'moments'));
  }
  for (const name of ['categorical3', 'bernoulli', 'binomial10']) {
    it(`${name}: exponential-family route == exact finite sum`, () => compareRoutes(name, ['exponential-family'], 'finite-sum'));
  }
  it('normal: the quadrature route (all symbolic routes skipped) gives the same metric numerically', () => {
    const spec = loadFamily('normal');
    const q = deriveFamilyWith(spec, { skip: ['exponential-family', 'moments', 'finite-sum'] });
    expect(q.routes.fisher).toBe('quadrature');
    expect(q.fisher[1][1].toString()).toMatch(/expect\(/);
    expect(q.routes.christoffel).toBe('quadrature');
    const s = randomPoint(spec, rng(1));
    const a = deriveFamilyWith(spec);
    a.fisher.forEach((row, i) => row.forEach((e, j) => expect(relDiff(ev(q.fisher[i][j], s, spec), ev(e, s))).toBeLessThan(1e-9)));
    // metric derivatives through the score identity, still by quadrature
    expect(relDiff(ev(q.dFisher![1][0][0], s, spec), ev(a.dFisher![1][0][0], s))).toBeLessThan(1e-8);
  });
});

describe('expectation: moments table', () => {
  it('canonicalises features so that x*x, x^2 and (x)^2 share one key', () => {
    expect(featureKey(parse('x*x'))).toBe(featureKey(parse('(x)^2')));
    expect(featureKey(parse('x2*x1'))).toBe(featureKey(parse('x1 * x2')));
  });
  it('expands (x − μ)² σ⁻² into features x², x, 1', () => {
    const ctx = familyContext(loadFamily('normal'));
    const e = momentsExpectation(ctx, strip(parse('(x - mu)^2 / sigma^2')))!;
    expect(ev(e, { mu: 0.7, sigma: 1.9 })).toBeCloseTo(1, 14);
  });
  it('fails (null) when a feature is missing from the table', () => {
    const ctx = familyContext(loadFamily('normal'));
    expect(momentsExpectation(ctx, strip(parse('x^3 + mu')))).toBeNull();
    expect(momentsExpectation(ctx, strip(parse('log(1 + x^2)')))).toBeNull();
  });
  it('defers to expect(·) when no symbolic route applies, and the deferred value is right', () => {
    const spec = loadFamily('cauchy');
    const ctx = familyContext(spec);
    const b = expectBatch(ctx, [{ deriv: [1, 1] }]);
    expect(b.route).toBe('quadrature');
    const s = randomPoint(spec, rng(2));
    // −E[∂²l/∂γ²] = 1/(2γ²)
    expect(relDiff(-ev(b.values[0], s, spec), 1 / (2 * s.gamma ** 2))).toBeLessThan(1e-9);
    expect(relDiff(quadExpect(spec, s, parse('1')), 1)).toBeLessThan(1e-12);
  });
});
