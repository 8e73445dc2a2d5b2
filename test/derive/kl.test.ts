import { describe, expect, it } from 'vitest';
import { ConstantNode } from 'mathjs';
import { loadFamily } from '../../src/node/loadFamily.js';
import type { FamilySpec } from '../../src/declare/types.js';
import { deriveFamily, deriveFamilyWith } from '../../src/derive/deriveFamily.js';
import { substitute, sub, strip } from '../../src/derive/build.js';
import { ev, quadExpect, scopeOf } from './helpers.js';

/** KL(p_from ‖ p_to) by quadrature of l_from − l_to under p_from. */
function klQuad(spec: FamilySpec, from: number[], to: number[]): number {
  const l = strip(spec.logDensity);
  const lto = substitute(l, new Map(spec.params.map((p, i) => [p.name, new ConstantNode(to[i])])));
  return quadExpect(spec, scopeOf(spec, from), sub(l, lto));
}

function klExact(spec: FamilySpec, from: number[], to: number[]): number {
  const d = deriveFamily(spec);
  const s = scopeOf(spec, from);
  d.kl!.toSymbols.forEach((t, i) => (s[t] = to[i]));
  return ev(d.kl!.expr, s);
}

describe('kl: exact closed forms agree with quadrature', () => {
  const cases: [string, number[], number[]][] = [
    ['normal', [0.3, 1.2], [-0.5, 0.8]],
    ['gamma', [2.5, 1.5], [1.2, 0.7]],
    ['vonmises', [0.4, 2.2], [-0.3, 0.9]],
    ['beta', [1.5, 2.5], [3, 1.2]],
    ['poisson', [2.5], [4]],
    ['categorical3', [0.2, 0.5], [0.4, 0.1]],
  ];
  for (const [name, from, to] of cases) {
    it(`${name}: KL(${from} ‖ ${to})`, () => {
      const spec = loadFamily(name);
      const exact = klExact(spec, from, to);
      expect(exact).toBeGreaterThan(0);
      expect(Math.abs(exact - klQuad(spec, from, to))).toBeLessThan(1e-10 * Math.max(1, exact));
      expect(Math.abs(klExact(spec, from, from))).toBeLessThan(1e-13);
    });
  }
  it('normal: KL = log(τ/σ) + (σ² + (μ − m)²)/(2τ²) − ½ with target (m, τ)', () => {
    const [m, s, m2, s2] = [0.3, 1.2, -0.5, 0.8];
    expect(klExact(loadFamily('normal'), [m, s], [m2, s2])).toBeCloseTo(Math.log(s2 / s) + (s * s + (m - m2) ** 2) / (2 * s2 * s2) - 0.5, 13);
  });
  it('moments and finite-sum routes give the same KL as the exponential-family route', () => {
    for (const [name, route, from, to] of [
      ['normal', 'moments', [0.3, 1.2], [-0.5, 0.8]],
      ['gamma', 'moments', [2.5, 1.5], [1.2, 0.7]],
      ['categorical3', 'finite-sum', [0.2, 0.5], [0.4, 0.1]],
      ['binomial10', 'finite-sum', [0.3], [0.6]],
    ] as const) {
      const spec = loadFamily(name);
      const d = deriveFamilyWith(spec, { skip: ['exponential-family'] });
      expect(d.routes.kl).toBe(route);
      const s = scopeOf(spec, [...from]);
      d.kl!.toSymbols.forEach((t, i) => (s[t] = to[i]));
      expect(ev(d.kl!.expr, s)).toBeCloseTo(klExact(spec, [...from], [...to]), 12);
    }
  });
  it('von Mises without its exponential-family block has no KL closed form (E[cos(x − μ′)] is not in the moments table)', () => {
    expect(deriveFamilyWith(loadFamily('vonmises'), { skip: ['exponential-family'] }).kl).toBeNull();
  });
  it('has no closed form for cauchy, student5, laplace, weibull', () => {
    for (const name of ['cauchy', 'student5', 'laplace', 'weibull']) expect(deriveFamily(loadFamily(name)).kl).toBeNull();
  });
});
