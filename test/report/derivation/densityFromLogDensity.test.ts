import { describe, expect, it } from 'vitest';
import { evaluate, parse, type MathNode } from 'mathjs';
import { densityFromLogDensity } from '../../../src/report/derivation/densityFromLogDensity.js';
import { printLatex } from '../../../src/report/latex/printLatex.js';

// Trees built by infogeo come from its parser-only mathjs instance (src/core/mathjs.ts), which cannot
// .compile(): evaluate their text with the full mathjs instead.
const val = (src: MathNode, scope: Record<string, number>) => Number(evaluate(src.toString(), { ...scope }));

describe('densityFromLogDensity', () => {
  const cases: [string, Record<string, number>][] = [
    ['-log(sigma) - (x-mu)^2/(2*sigma^2) - log(2*pi)/2', { x: 0.7, mu: -0.2, sigma: 1.4 }],
    ['alpha*log(beta) - lgamma(alpha) + (alpha-1)*log(x) - beta*x', { x: 2.1, alpha: 3.2, beta: 0.8 }],
    ['x*log(p) + (1-x)*log(1-p)', { x: 1, p: 0.3 }],
    ['log(k) - log(lam) + (k-1)*(log(x)-log(lam)) - (x/lam)^k', { k: 1.7, lam: 2.2, x: 1.3 }],
    ['lgamma(n+1) - lgamma(x+1) - lgamma(n-x+1) + x*log(p) + (n-x)*log(1-p)', { n: 10, x: 4, p: 0.35 }],
  ];
  for (const [l, scope] of cases) {
    it(`gives exp(l) for l = ${l}`, () => {
      const p = densityFromLogDensity(parse(l));
      expect(val(p, scope)).toBeCloseTo(Math.exp(val(parse(l), scope)), 12);
    });
  }

  it('prints the normal density in textbook form', () => {
    const p = densityFromLogDensity(parse('-log(sigma) - (x-mu)^2/(2*sigma^2) - log(2*pi)/2'));
    expect(printLatex(p)).toBe('\\frac{e^{-\\frac{(x - \\mu)^{2}}{2 \\sigma^{2}}}}{\\sigma \\sqrt{2 \\pi}}');
  });

  it('turns -log(2 pi) - logbesseli0(kappa) into the von Mises normaliser 2 pi I0(kappa)', () => {
    const p = densityFromLogDensity(parse('kappa*cos(x-mu) - log(2*pi) - logbesseli0(kappa)'));
    expect(printLatex(p)).toBe('\\frac{e^{\\kappa \\, \\cos(x - \\mu)}}{2 \\pi \\, I_0(\\kappa)}');
  });

  it('turns lognormcdf into a Phi factor (skew-normal)', () => {
    const p = densityFromLogDensity(parse('log(2) - x^2/2 - log(2*pi)/2 + lognormcdf(a*x)'));
    expect(printLatex(p)).toBe('\\frac{2 \\, \\Phi(a x) \\, e^{-\\frac{x^{2}}{2}}}{\\sqrt{2 \\pi}}');
  });

  it('distributes a coefficient over a sum of logs (Weibull)', () => {
    const p = densityFromLogDensity(parse('log(k) - log(lam) + (k-1)*(log(x)-log(lam)) - (x/lam)^k'));
    expect(printLatex(p, { symbols: { lam: '\\lambda' } })).toBe('\\frac{k x^{k - 1} e^{-\\left(\\frac{x}{\\lambda}\\right)^{k}}}{\\lambda \\lambda^{k - 1}}');
  });

  it('turns lgamma terms into Gamma factors', () => {
    const p = densityFromLogDensity(parse('alpha*log(beta) - lgamma(alpha) + (alpha-1)*log(x) - beta*x'));
    expect(printLatex(p)).toBe('\\frac{\\beta^{\\alpha} x^{\\alpha - 1} e^{-\\beta x}}{\\Gamma(\\alpha)}');
  });
});
