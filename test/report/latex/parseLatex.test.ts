import { describe, expect, it } from 'vitest';
import { parse, type MathNode } from 'mathjs';
import { evaluate } from '../../../src/core/evaluate.js';
import { parseLatex } from '../../../src/report/latex/parseLatex.js';
import { printLatex, printLatexLines } from '../../../src/report/latex/printLatex.js';
import { nestedFractions, texWidth } from '../../../src/report/latex/texWidth.js';
import { freeTextWithMath, isSafeMath } from '../../../src/report/derivation/freeText.js';

const symbols = { x: 'x', alpha: '\\alpha', beta: '\\beta', sigma: '\\sigma', x0: 'x_0', mu: '\\mu', kappa: '\\kappa' };
const scope = { alpha: 1.7, beta: 0.6, sigma: 1.3, x0: -0.4, mu: 0.25, kappa: 2.2, x: 0.9 };
const value = (n: MathNode) => evaluate(n, scope);

describe('parseLatex (the printer’s grammar back to a tree)', () => {
  const cases = [
    'alpha*log(beta) - lgamma(alpha) + (alpha - 1)*log(x) - beta*x',
    '(sigma^2 + sigma^2)/(4*sigma^2)/2/x',
    '-(2*sigma^2)^2 / sigma^3 * (x - mu)^3',
    'alpha*polygamma(2,alpha)/2/(trigamma(alpha)*alpha-1)',
    'kappa*besselratio(kappa) - logbesseli0(kappa) + besseli1(kappa)/besseli0(kappa)',
    'exp(-(x - mu)^2/(2*sigma^2)) / (sigma*sqrt(2*pi))',
    'abs(x - mu)/sigma + sign(x - mu)*digamma(alpha)',
    'log1p(x^2) - expm1(-x) + sin(x)*cos(mu) - tan(x)',
    'exp((x - mu)^2/sigma^2 + (x - x0)^3/(alpha*beta*sigma) + alpha*beta*x^5/(1 + x^2) + log(1 + x)^2)',
    '1.5e-7*x + 0.125*mu',
  ];
  for (const c of cases) {
    it(`reads back ${c}`, () => {
      const tex = printLatex(parse(c), { symbols });
      const p = parseLatex(tex, symbols);
      expect(p.kind).toBe('scalar');
      const got = value((p as { node: MathNode }).node);
      expect(got).toBeCloseTo(value(parse(c)), 10);
    });
  }

  it('reads a matrix with a scalar factor, and layout lines joined', () => {
    const p = parseLatex('\\frac{1}{\\sigma} \\begin{pmatrix} 1 & x \\\\ x & \\sigma^{2} \\end{pmatrix}', symbols);
    expect(p.kind).toBe('matrix');
    const rows = (p as { rows: MathNode[][] }).rows.map((r) => r.map(value));
    expect(rows).toEqual([[1 / 1.3, 0.9 / 1.3], [0.9 / 1.3, 1.3]].map((r) => r.map((v) => expect.closeTo(v, 12))));
    const q = parseLatex('\\frac{2}{\\sigma} \\Bigl( x \\\\ &\\quad + \\mu \\Bigr)^{2}', symbols) as { node: MathNode };
    expect(value(q.node)).toBeCloseTo((2 / 1.3) * (0.9 + 0.25) ** 2, 12);
  });

  it('rejects TeX outside the grammar (the check can fail)', () => {
    expect(() => parseLatex('\\foo{x}', symbols)).toThrow(/unknown token/);
    expect(() => parseLatex('x +', symbols)).toThrow();
  });
});

describe('printLatexLines (line breaking by measured width)', () => {
  it('breaks a long sum at + and − into lines within the budget, and the lines mean the same expression', () => {
    const e = parse(Array.from({ length: 30 }, (_, i) => `${i + 1}*alpha^${i % 4 + 1}*beta/(sigma + ${i})`).join(' - '));
    const lines = printLatexLines(e, 30, { symbols });
    expect(lines.length).toBeGreaterThanOrEqual(5);
    for (const l of lines) expect(texWidth(l)).toBeLessThanOrEqual(30);
    expect(lines.slice(1).every((l) => /^[-+] /.test(l))).toBe(true);
    const p = parseLatex(lines.join(' \\\\ &\\quad '), symbols) as { node: MathNode };
    expect(value(p.node)).toBeCloseTo(value(e), 9);
  });

  it('opens a wide factor (a bracketed sum inside a product, a long function argument) across lines with \\Bigl … \\Bigr', () => {
    const e = parse(`2*x/sigma^3 * (${Array.from({ length: 20 }, (_, i) => `alpha^${i + 1}*mu`).join(' + ')}) + log(${Array.from({ length: 20 }, (_, i) => `beta^${i + 1}*x`).join(' + ')})`);
    const lines = printLatexLines(e, 30, { symbols });
    const joined = lines.join(' ');
    expect(joined).toContain('\\Bigl(');
    expect(joined).toContain('\\ln\\Bigl(');
    for (const l of lines) expect(texWidth(l)).toBeLessThanOrEqual(34);
    expect(value((parseLatex(joined, symbols) as { node: MathNode }).node)).toBeCloseTo(value(e), 9);
  });

  it('keeps a short expression on one line', () => {
    expect(printLatexLines(parse('alpha + beta'), 30, { symbols })).toEqual(['\\alpha + \\beta']);
  });
});

describe('texWidth', () => {
  it('measures a fraction as its wider part, scripts smaller, matrices by columns', () => {
    expect(texWidth('\\frac{a}{b c d e f}')).toBeCloseTo(texWidth('b c d e f') + 0.3, 6);
    expect(texWidth('x^{abc}')).toBeLessThan(texWidth('xabc'));
    expect(texWidth('\\begin{pmatrix} a & bbbbbb \\\\ cccccc & d \\end{pmatrix}')).toBeGreaterThan(texWidth('bbbbbbcccccc'));
    expect(nestedFractions('\\frac{1 + \\frac{a}{b}}{c}')).toBe(1);
    expect(nestedFractions('\\frac{a}{b} + \\frac{c}{d}')).toBe(0);
  });
});

describe('free text of family files', () => {
  it('renders plain-text powers and Greek letters of the gamma notes as inline math', () => {
    const t = freeTextWithMath('Density β^α x^(α−1) e^(−βx) / Γ(α) with shape α, RATE β.');
    expect(t).toContain('$\\beta^{\\alpha}$');
    expect(t).toContain('$x^{\\alpha-1}$');
    expect(t).toContain('$e^{-\\beta x}$');
    expect(t).not.toContain('^(');
  });

  it('keeps safe author math and drops the dollars of unsafe math (shown as text, escaped by the renderers)', () => {
    expect(freeTextWithMath('mean $\\alpha/\\beta$')).toBe('mean $\\alpha/\\beta$');
    expect(freeTextWithMath('bad $\\input{/etc/passwd}$ x')).toBe('bad \\input{/etc/passwd} x');
    expect(isSafeMath('\\def\\x{1}')).toBe(false);
    expect(isSafeMath('\\frac{a}{b}^{2}')).toBe(true);
  });
});
