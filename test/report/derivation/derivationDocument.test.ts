import { describe, expect, it } from 'vitest';
import katex from 'katex';
import { parse } from 'mathjs';
import trigamma from '@stdlib/math-base-special-trigamma';
import { derivationDocument, type DerivationDocument } from '../../../src/report/derivation/derivationDocument.js';
import { tidyProblems } from '../../../src/report/latex/printLatex.js';
import { gammaDerivation, normalDerivation } from './fixtures.js';

const render = (tex: string, displayMode: boolean) => katex.renderToString(tex, { throwOnError: true, displayMode });

function equations(doc: DerivationDocument, id: string) {
  const s = doc.sections.find((x) => x.id === id)!;
  return s.blocks.flatMap((b) => (b.kind === 'equations' ? b.equations : []));
}

/** Every display equation and every inline `$…$` of a document renders in KaTeX and is tidy. */
export function assertRenders(doc: DerivationDocument): number {
  let count = 0;
  for (const s of doc.sections) {
    for (const b of s.blocks) {
      if (b.kind === 'text') {
        for (const m of b.text.matchAll(/\$([^$]*)\$/g)) render(m[1], false);
      } else {
        for (const e of b.equations) {
          const tex = `${e.lhs} ${e.rel ?? '='} ${e.rhs}`;
          expect(() => render(tex, true), tex).not.toThrow();
          expect(tidyProblems(e.rhs), e.rhs).toEqual([]);
          count++;
        }
      }
    }
  }
  return count;
}

describe('derivationDocument', () => {
  const normal = derivationDocument(normalDerivation());
  const gamma = derivationDocument(gammaDerivation());

  it('has the sections of the issue in order: density … KL, then the derive-stage steps', () => {
    expect(normal.sections.map((s) => s.id)).toEqual([
      'density', 'log-likelihood', 'score', 'second-derivatives', 'expectations', 'fisher', 'inverse', 'christoffel', 'curvature', 'amari-chentsov', 'kl', 'steps',
    ]);
    expect(gamma.sections.map((s) => s.id)).not.toContain('steps');
  });

  it('shows the normal density in product form and its Fisher matrix diag(1/σ², 2/σ²)', () => {
    expect(equations(normal, 'density')[0].rhs).toBe('\\frac{e^{-\\frac{(x - \\mu)^{2}}{2 \\sigma^{2}}}}{\\sigma \\sqrt{2 \\pi}}');
    expect(equations(normal, 'fisher')[0].rhs).toBe('\\begin{pmatrix} \\frac{1}{\\sigma^{2}} & 0 \\\\ 0 & \\frac{2}{\\sigma^{2}} \\end{pmatrix}');
    expect(equations(normal, 'fisher')[0].source).toEqual([['1 / sigma ^ 2', '0'], ['0', '2 / sigma ^ 2']]);
  });

  it('inverts the diagonal normal metric to diag(σ², σ²/2)', () => {
    expect(equations(normal, 'inverse')[0].rhs).toBe('\\begin{pmatrix} \\sigma^{2} & 0 \\\\ 0 & \\frac{\\sigma^{2}}{2} \\end{pmatrix}');
  });

  it('inverts the gamma metric: det g = (α ψ₁(α) − 1)/β², and g⁻¹ g = I numerically', () => {
    const [det, ginv] = equations(gamma, 'inverse');
    expect(det.lhs).toBe('\\det g');
    expect(det.rhs).toBe('\\frac{\\alpha \\, \\psi_1(\\alpha) - 1}{\\beta^{2}}');
    expect(ginv.lhs).toBe('g^{-1}(\\theta)');
    const scope = { alpha: 2.5, beta: 1.7, trigamma: (x: number) => trigamma(x) };
    const g = [[trigamma(2.5), -1 / 1.7], [-1 / 1.7, 2.5 / 1.7 ** 2]];
    const inv = (ginv.source as string[][]).map((r) => r.map((e) => Number(parse(e).evaluate({ ...scope }))));
    for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) {
      expect(inv[i][0] * g[0][j] + inv[i][1] * g[1][j]).toBeCloseTo(i === j ? 1 : 0, 12);
    }
  });

  it('lists the three non-zero normal Christoffel symbols Γ^μ_μσ = −1/σ, Γ^σ_μμ = 1/(2σ), Γ^σ_σσ = −1/σ', () => {
    expect(equations(normal, 'christoffel').map((e) => `${e.lhs} = ${e.rhs}`)).toEqual([
      '\\Gamma^{{\\mu}}_{{\\mu} {\\sigma}} = -\\frac{1}{\\sigma}',
      '\\Gamma^{{\\sigma}}_{{\\mu} {\\mu}} = \\frac{1}{2 \\sigma}',
      '\\Gamma^{{\\sigma}}_{{\\sigma} {\\sigma}} = -\\frac{1}{\\sigma}',
    ]);
  });

  it('falls back to first-kind symbols when the second kind is not symbolic (gamma: 4 non-zero with i ≤ j)', () => {
    const eqs = equations(gamma, 'christoffel');
    expect(eqs.map((e) => e.lhs)).toEqual([
      '\\Gamma_{{\\alpha} {\\alpha}, {\\alpha}}',
      '\\Gamma_{{\\alpha} {\\beta}, {\\beta}}',
      '\\Gamma_{{\\beta} {\\beta}, {\\alpha}}',
      '\\Gamma_{{\\beta} {\\beta}, {\\beta}}',
    ]);
    expect(eqs[0].rhs).toBe('\\frac{\\psi^{(2)}(\\alpha)}{2}');
  });

  it('lists the Amari–Chentsov components T_μμσ = 2/σ³ and T_σσσ = 8/σ³', () => {
    expect(equations(normal, 'amari-chentsov').map((e) => `${e.lhs} = ${e.rhs}`)).toEqual([
      'T_{{\\mu} {\\mu} {\\sigma}} = \\frac{2}{\\sigma^{3}}',
      'T_{{\\sigma} {\\sigma} {\\sigma}} = \\frac{8}{\\sigma^{3}}',
    ]);
  });

  it('says each thing once: R = 2K and the Amari–Chentsov intro appear once; unknown derive steps are kept in full', () => {
    const all = normal.sections.flatMap((s) => s.blocks.map((b) => (b.kind === 'text' ? b.text : ''))).join('\n');
    expect(all.match(/R = 2K/g)?.length).toBe(1);
    expect(all.match(/skewness tensor/gi)?.length).toBe(1);
    expect(all).not.toMatch(/contract order/);
    const steps = normal.sections.find((s) => s.id === 'steps')!;
    expect(steps.blocks[0]).toEqual({ kind: 'text', text: '**Check.** Symmetric in $i, j$ — verified; ∂ and θ survive.' });
  });

  it('gives R = −1 for the normal family and says when no symbolic curvature exists', () => {
    expect(equations(normal, 'curvature')[0].rhs).toBe('-1');
    expect(equations(gamma, 'curvature')).toEqual([]);
  });

  it('writes the KL quadratic form ½ dθᵀ g dθ in terms of the named metric entries, and the exact KL with primed parameters', () => {
    const [quad, exact] = equations(normal, 'kl');
    expect(quad.rhs).toBe('\\frac{g_{{\\mu} {\\mu}} {\\delta \\mu}^{2} + g_{{\\sigma} {\\sigma}} {\\delta \\sigma}^{2}}{2}');
    expect(quad.suffix).toBe('+ O(\\|\\delta\\theta\\|^3)');
    expect(exact.rhs).toContain("{\\sigma'}");
    const gq = equations(gamma, 'kl')[0];
    expect(gq.source).toBe('1 / 2 * (trigamma(alpha) * __d0 ^ 2 + -1 / beta * 2 * __d0 * __d1 + alpha / beta ^ 2 * __d1 ^ 2)');
  });

  it('lists the moments used for the gamma metric', () => {
    expect(equations(gamma, 'expectations').map((e) => `${e.lhs} = ${e.rhs}`)).toEqual([
      '\\mathbb{E}[x] = \\frac{\\alpha}{\\beta}',
      '\\mathbb{E}[\\ln(x)] = \\psi(\\alpha) - \\ln(\\beta)',
    ]);
  });

  it('renders every equation and inline formula of both documents in KaTeX (throwOnError) without untidy TeX', () => {
    expect(assertRenders(normal)).toBeGreaterThan(20);
    expect(assertRenders(gamma)).toBeGreaterThan(10);
  });
});

describe('numerically identified constants', () => {
  it('labels R of normal_logsigma as identified numerically, with the agreement reached, in the text, the equation and JSON', async () => {
    const { loadFamily } = await import('../../../src/node/loadFamily.js');
    const { deriveFamily } = await import('../../../src/derive/deriveFamily.js');
    const { renderJson } = await import('../../../src/report/derivation/renderJson.js');
    const { renderLatexDocument } = await import('../../../src/report/derivation/renderLatexDocument.js');
    const d = deriveFamily(loadFamily('normal_logsigma'));
    expect(d.identified?.scalarCurvature?.points).toBe(8);
    const doc = derivationDocument(d);
    const [R] = equations(doc, 'curvature');
    expect(R.rhs).toBe('-1');
    expect(R.suffix).toMatch(/identified numerically: agrees (to \de-\d+|exactly in double precision) at 8 points/);
    const json = JSON.parse(renderJson(doc));
    expect(json.identified).toEqual([{ quantity: 'scalarCurvature', value: -1, points: 8, maxDeviation: d.identified!.scalarCurvature!.maxDeviation }]);
    expect(renderLatexDocument(doc)).toContain('identified numerically');
    // an exactly derived constant carries no such label
    expect(equations(derivationDocument(deriveFamily(loadFamily('normal'))), 'curvature')[0].suffix).toBeUndefined();
  });
});
