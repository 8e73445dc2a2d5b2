import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { parse } from 'mathjs';
import { FUNCTIONS } from '../../src/core/functions.js';
import { evaluate } from '../../src/core/evaluate.js';
import { listFamilies, loadFamily } from '../../src/node/loadFamily.js';
import { fn, num, strip, sym } from '../../src/derive/build.js';
import { RULES, SPECIAL_RULES, differentiate } from '../../src/derive/differentiate.js';
import { centralDiff, ev, quadExpect, randomPoint, relDiff, rng, scopeOf } from './helpers.js';

const require = createRequire(import.meta.url);

/** Argument ranges where each function is smooth and finite. */
const RANGE: Record<string, [number, number]> = { tan: [0.05, 1.2], log1p: [0, 2], abs: [0.2, 3], sign: [0.2, 3] };

describe('differentiate: rule table', () => {
  it('has a rule for every whitelisted function', () => {
    const missing = [...FUNCTIONS.keys()].filter((f) => !Object.hasOwn(RULES, f) && !SPECIAL_RULES.includes(f));
    expect(missing).toEqual([]);
  });
  it('matches central differences for every function of a composite argument', () => {
    const r = rng(11);
    for (const [name, info] of FUNCTIONS) {
      const [lo, hi] = RANGE[name] ?? [0.3, 4];
      // f(u) with u = t^2/2 + t/3 (chain rule exercised)
      const u = parse('t^2/2 + t/3');
      const e = info.arity === 2 ? fn(name, num(2), strip(u)) : fn(name, strip(u));
      const d = differentiate(e, 't');
      for (let k = 0; k < 4; k++) {
        // solve for t so that u lies in [lo, hi]
        const target = lo + (hi - lo) * r();
        const t = -1 / 3 + Math.sqrt(1 / 9 + 2 * target);
        const s = { t };
        const fd = centralDiff((sc) => evaluate(e, sc), s, 't');
        expect(relDiff(evaluate(d, s), fd), `${name} at u=${target}`).toBeLessThan(1e-6);
      }
    }
  });
  it('treats data variables, fixed constants, pi and e as constants', () => {
    const d = differentiate(strip(parse('x*nu*pi*e + theta*x')), 'theta');
    expect(d.toString()).toBe('x');
  });
  it('differentiates u^v with a variable exponent', () => {
    const e = strip(parse('(x/lam)^k'));
    const s = { x: 1.7, lam: 1.3, k: 2.2 };
    for (const w of ['k', 'lam']) expect(relDiff(evaluate(differentiate(e, w), s), centralDiff((sc) => evaluate(e, sc), s, w))).toBeLessThan(1e-7);
  });
});

describe('differentiate: every catalogue log-density', () => {
  for (const name of listFamilies()) {
    it(`gives score and Hessian of ${name} equal to central differences`, () => {
      const spec = loadFamily(name);
      const l = strip(spec.logDensity);
      const r = rng(name.length * 31);
      const ps = spec.params.map((p) => p.name);
      for (let k = 0; k < 3; k++) {
        const s = randomPoint(spec, r);
        // a data point inside the support
        const xs: Record<string, number> = {};
        const kind = spec.support.kind;
        spec.variables.forEach((v) => (xs[v] = kind === 'real' || kind === 'circle' ? -1 + 2 * r() : kind === 'simplex' ? 0.1 + 0.3 * r() : kind === 'unit' ? 0.2 + 0.6 * r() : kind === 'positive' ? 0.3 + 2 * r() : kind === 'finite' ? spec.support.values[k % spec.support.values.length] : Math.floor(5 * r())));
        const sc = { ...s, ...xs };
        for (const a of ps) {
          const da = differentiate(l, a);
          expect(relDiff(evaluate(da, sc), centralDiff((q) => evaluate(l, q), sc, a)), `∂${a}`).toBeLessThan(1e-6);
          for (const b of ps) {
            const dab = differentiate(da, b);
            expect(relDiff(evaluate(dab, sc), centralDiff((q) => evaluate(da, q), sc, b)), `∂${a}∂${b}`).toBeLessThan(1e-5);
          }
        }
      }
    });
  }
});

describe('differentiate: cross-check against nerdamer on elementary log-densities', () => {
  const nerdamer = require('nerdamer');
  require('nerdamer/Calculus');
  const cases: [string, string, Record<string, number>][] = [
    ['-log(sigma) - (x - mu)^2/(2*sigma^2)', 'mu,sigma', { x: 0.7, mu: -0.2, sigma: 1.3 }],
    ['log(k) - log(lam) + (k - 1)*(log(x) - log(lam)) - (x/lam)^k', 'k,lam', { x: 1.4, k: 1.8, lam: 0.9 }],
    ['-log(s) - 3*log(1 + ((x - mu)/s)^2/5)', 'mu,s', { x: 0.4, mu: 1.1, s: 0.8 }],
  ];
  for (const [l, wrt, s] of cases) {
    it(`agrees with nerdamer diff on ${l}`, () => {
      const tree = strip(parse(l));
      for (const a of wrt.split(',')) {
        const ours = differentiate(tree, a);
        const theirs = parse(nerdamer.diff(l, a).toString());
        expect(relDiff(evaluate(ours, s), evaluate(theirs, s))).toBeLessThan(1e-12);
        for (const b of wrt.split(',')) {
          const ours2 = differentiate(ours, b);
          const theirs2 = parse(nerdamer.diff(nerdamer.diff(l, a), b).toString());
          expect(relDiff(evaluate(ours2, s), evaluate(theirs2, s))).toBeLessThan(1e-12);
        }
      }
    });
  }
});

describe('differentiate: expect(·) by the score identity', () => {
  it('∂_m E[f] = E[∂_m f + f ∂_m l] matches central differences of the quadrature value (cauchy)', () => {
    const spec = loadFamily('cauchy');
    const l = strip(spec.logDensity);
    const f = strip(parse('((x - x0)/gamma)^2 / (1 + ((x - x0)/gamma)^2)'));
    const E = fn('expect', f);
    const s = scopeOf(spec, [0.3, 1.4]);
    for (const m of ['x0', 'gamma']) {
      const d = differentiate(E, m, { logDensity: l });
      const fd = centralDiff((q) => quadExpect(spec, q, f), s, m);
      expect(relDiff(ev(d, s, spec), fd)).toBeLessThan(1e-7);
    }
    // E[f] = 1/2 for the Cauchy law (E[z²/(1+z²)] with z standard Cauchy)
    expect(ev(E, s, spec)).toBeCloseTo(0.5, 10);
  });
  it('refuses expect(·) without a log-density in the context', () => {
    expect(() => differentiate(fn('expect', sym('x')), 'mu')).toThrow(/log-density/);
  });
});
