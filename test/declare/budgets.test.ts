/**
 * Declare-time budgets (src/declare/whitelist.ts EXPRESSION_BUDGET) and refusal of non-finite
 * constant subexpressions: a tiny family file must never exhaust memory or the stack, and `0/0`
 * must not pass. Each case is refused with one FamilyError naming file, line, field and the budget.
 */
import { describe, expect, it } from 'vitest';
import { FamilyError } from '../../src/core/errors.js';
import { listFamilies, loadFamily } from '../../src/node/loadFamily.js';
import { parseFamily } from '../../src/declare/parseFamily.js';
import { EXPRESSION_BUDGET, tryParseExpression } from '../../src/declare/whitelist.js';
import { familyWith } from '../helpers/pathological.js';

function refusal(text: string): FamilyError {
  let err: unknown;
  try {
    parseFamily(text, 'budget.yaml');
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(FamilyError);
  return err as FamilyError;
}

const terms = (n: number, t = 'x') => Array.from({ length: n }, () => t).join('+');

describe('expression budgets', () => {
  it('a flat sum of 3,500 terms (once a stack overflow in the whitelist walk) is refused with the budget overrun', () => {
    const e = refusal(familyWith(terms(3500)));
    expect(e.problems).toHaveLength(1);
    expect(e.problems[0]).toMatchObject({ file: 'budget.yaml', line: 8, field: 'logDensity' });
    expect(e.problems[0].message).toMatch(/exceeds the size budget/);
    // the family's own −log σ − (x−μ)²/(2σ²) adds 2 terms to the 3,500
    expect(e.problems[0].message).toMatch(/3502 terms in one sum, budget 150 \(over by 3352\)/);
    expect(e.message.length).toBeLessThan(400); // no echo of the 7 KB expression
  });

  it('a sum of 1,200 terms (once a stack overflow in derive/build rebuild) is refused', () => {
    expect(refusal(familyWith(terms(1200))).problems[0].message).toMatch(/1202 terms in one sum, budget 150 \(over by 1052\)/);
  });

  it('a product of 400 factors is refused; the issue\'s 40-factor product and a 60-term series are accepted', () => {
    expect(refusal(familyWith(`0.001*${terms(400, 'sigma').replace(/\+/g, '*')}`)).problems[0].message).toMatch(/401 factors in one product, budget 150/);
    const product = ['sigma', ...Array.from({ length: 39 }, (_, i) => `(sigma + ${i + 1})`)].join('*');
    expect(() => parseFamily(familyWith(`0.001*log(${product})`), 'p.yaml')).not.toThrow();
    const series = Array.from({ length: 60 }, (_, k) => `${k + 1}e-3*sin(${k}*sigma)`).join(' + ');
    expect(() => parseFamily(familyWith(series), 's.yaml')).not.toThrow();
  });

  it('too long, too deeply bracketed, unary-minus and power chains: budget errors, never a RangeError', () => {
    expect(refusal(familyWith(`0*${'1+'.repeat(6000)}1`)).problems[0].message).toMatch(/characters, budget 10000 \(over by/);
    expect(refusal(familyWith(`${'('.repeat(3000)}x${')'.repeat(3000)}`)).problems[0].message).toMatch(/brackets nested 3000 deep, budget 150 \(over by 2850\)/);
    expect(refusal(familyWith(`${'-'.repeat(4000)}x`)).problems[0].message).toMatch(/depth budget|depth \d+, budget 150/);
    expect(refusal(familyWith(`${'x^'.repeat(3000)}x`)).problems[0].message).toMatch(/depth budget|depth \d+, budget 150/);
    expect(refusal(familyWith(`${'log(1+'.repeat(200)}sigma${')'.repeat(200)}`)).problems[0].message).toMatch(/depth budget/);
  });

  it('every built-in family is far inside the budgets', () => {
    for (const name of listFamilies()) expect(() => loadFamily(name)).not.toThrow();
    expect(EXPRESSION_BUDGET).toEqual({ chars: 10_000, nodes: 4_000, depth: 150, terms: 150 });
  });

  it('a per-outcome log-pmf with 201 outcomes (the most a finite support may have) still loads: its generated combination gets scaled budgets', () => {
    const n = 200;
    const cases = Array.from({ length: n + 1 }, (_, k) => `  ${k}: "lgamma(${n + 1}) - lgamma(${k + 1}) - lgamma(${n - k + 1}) + ${k}*log(p) + ${n - k}*log(1 - p)"`);
    const text = ['name: bin200', 'title: binomial 200', 'params:', "  - { name: p, domain: unit, tex: 'p' }", 'variables: [x]', `support: { integers: [0, ${n}] }`, 'logDensity:', ...cases].join('\n');
    const spec = parseFamily(text, 'bin200.yaml');
    expect(spec.logDensityCases?.size).toBe(n + 1);
  });

  it('node budget: 4,001 nodes within the other budgets', () => {
    // 40 terms of 160 nodes each: depth and terms stay within budget, nodes exceed 4,000
    const term = `sin(${Array.from({ length: 40 }, () => 'a*b').join('+')})`;
    const r = tryParseExpression(Array.from({ length: 40 }, () => term).join('+'), new Set(['a', 'b']), { file: 'f', field: 'g' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0].message).toMatch(/\d+ nodes, budget 4000 \(over by \d+\)/);
  });
});

describe('non-finite constant subexpressions are refused (the simplifier would fold them away)', () => {
  for (const [extra, value] of [
    ['0/0', 'NaN'],
    ['0*(0/0)', 'NaN'],
    ['mu*log(0)', '-Infinity'],
    ['sigma + 1/0', 'Infinity'],
    ['lgamma(0)*x', 'Infinity'],
    ['exp(-1/0)*mu', '-Infinity'],
  ] as const) {
    it(`${extra} → ${value}`, () => {
      const e = refusal(familyWith(extra));
      expect(e.problems[0]).toMatchObject({ file: 'budget.yaml', line: 8, field: 'logDensity' });
      expect(e.problems[0].message).toMatch(new RegExp(`constant subexpression ".*" evaluates to ${value.replace('-', '\\-')}`));
    });
  }

  it('also in other expression fields (constraints)', () => {
    const e = refusal(familyWith('sigma - 0/0', 'constraint'));
    expect(e.problems[0].field).toBe('constraints[0]');
    expect(e.problems[0].message).toMatch(/evaluates to NaN/);
  });

  it('finite constants are fine: 0*log(2), 1/2, exp(0) − 1', () => {
    expect(() => parseFamily(familyWith('0*log(2)*mu + 1/2 + exp(0) - 1'), 'ok.yaml')).not.toThrow();
  });
});
