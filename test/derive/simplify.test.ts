import { describe, expect, it } from 'vitest';
import { parse } from 'mathjs';
import { evaluate } from '../../src/core/evaluate.js';
import { listFamilies, loadFamily } from '../../src/node/loadFamily.js';
import { size, strip, type Expr } from '../../src/derive/build.js';
import { differentiate } from '../../src/derive/differentiate.js';
import { expectBatch, familyContext } from '../../src/derive/expectation.js';
import { simplify } from '../../src/derive/simplify.js';
import { randomPoint, relDiff, rng } from './helpers.js';

const S = (s: string) => simplify(strip(parse(s)));

describe('simplify: algebraic identities', () => {
  it('collects like terms, cancels and combines powers', () => {
    expect(S('(a + b)*(a - b) - a^2').toString()).toBe('-b ^ 2');
    expect(S('x/3 + x/6').toString()).toBe('x / 2');
    expect(S('sigma^2 / (2*sigma) / sigma').toString()).toBe('1 / 2');
    expect(S('k*A*cos(mu)^2 + k*A*sin(mu)^2').toString()).toBe('A * k');
  });
  it('recognises a sum up to sign and cancels it from a single fraction', () => {
    expect(S('1/(1 - p1 - p2) - 1/(p1 + p2 - 1)').toString()).toBe('2 / (1 - p1 - p2)');
    // det of the categorical3 metric: (1/p1 + 1/p3)(1/p2 + 1/p3) − 1/p3² = 1/(p1 p2 p3)
    const det = S('(1/p1 + 1/(1 - p1 - p2))*(1/p2 + 1/(1 - p1 - p2)) - 1/(1 - p1 - p2)^2');
    const s = { p1: 0.2, p2: 0.3 };
    expect(evaluate(det, s)).toBeCloseTo(1 / (0.2 * 0.3 * 0.5), 10);
    expect(size(det)).toBeLessThanOrEqual(12);
  });
  it('never returns a larger tree than its input', () => {
    for (const s of ['a + b', 'log(x) * (1 + y)', '(a + b + c + d)^3 / (a - b)']) {
      const e = strip(parse(s));
      expect(size(simplify(e))).toBeLessThanOrEqual(size(e));
    }
  });
});

describe('simplify: simplified == unsimplified numerically on raw derive-stage expressions', () => {
  for (const name of listFamilies()) {
    it(name, () => {
      const spec = loadFamily(name);
      const ctx = familyContext(spec);
      const n = ctx.params.length;
      const raw: Expr[] = [];
      const items = [];
      for (let i = 0; i < n; i++) for (let j = i; j < n; j++) items.push({ deriv: [i, j] });
      const b = expectBatch(ctx, items);
      for (const v of b.values) {
        if (v.toString().includes('expect')) continue;
        raw.push(v);
        for (const p of ctx.params) raw.push(differentiate(v, p));
      }
      const r = rng(name.length * 13);
      for (const e of raw) {
        const se = simplify(e);
        expect(size(se)).toBeLessThanOrEqual(size(e));
        for (let k = 0; k < 3; k++) {
          const s = randomPoint(spec, r);
          expect(relDiff(evaluate(se, s), evaluate(e, s)), `${e.toString()} → ${se.toString()}`).toBeLessThan(1e-10);
        }
      }
    });
  }
});
