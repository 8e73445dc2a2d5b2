import { describe, expect, it } from 'vitest';
import { derivationDocument } from '../../../src/report/derivation/derivationDocument.js';
import { alignLines, renderLatexDocument, textToLatex } from '../../../src/report/derivation/renderLatexDocument.js';
import { gammaDerivation, normalDerivation } from './fixtures.js';
import { compileLatex, hasPdflatex } from '../latexTools.js';

const PDFLATEX = hasPdflatex();
if (!PDFLATEX) console.warn('[skip] pdflatex not found: standalone LaTeX compilation tests skipped (apt-get install -y --no-install-recommends texlive-latex-base)');

describe('renderLatexDocument', () => {
  const normalTex = renderLatexDocument(derivationDocument(normalDerivation()));
  const gammaTex = renderLatexDocument(derivationDocument(gammaDerivation()));

  it('is a standalone amsmath document in pure ASCII (unicode text converted)', () => {
    expect(normalTex.startsWith('\\documentclass')).toBe(true);
    expect(normalTex).toContain('\\usepackage{amsmath,amssymb}');
    expect(normalTex.trimEnd().endsWith('\\end{document}')).toBe(true);
    expect(/[^\x00-\x7f]/.test(normalTex + gammaTex)).toBe(false);
    expect(normalTex).toContain('\\section{Inverse metric}');
  });

  it('escapes |, < and > in text (OT1 would print them as other glyphs)', () => {
    expect(textToLatex('Var|x| < 1 > 0')).toBe('Var\\textbar{}x\\textbar{} \\textless{} 1 \\textgreater{} 0');
  });

  it('escapes text and keeps inline math', () => {
    expect(textToLatex('50% of θ_1 & **bold** `code` $\\mu_1$ — ok')).toBe('50\\% of $\\theta$\\_1 \\& \\textbf{bold} \\texttt{code} $\\mu_1$ --- ok');
  });

  it('sets the lines of a broken right-hand side as aligned continuation lines, the suffix after the last', () => {
    const lines = alignLines({ lhs: 'f', rhs: 'a + b + c', lines: ['a', '+ b', '+ c'], suffix: '+ O(h)' });
    expect(lines).toEqual(['f &= a', '&\\quad + b', '&\\quad + c + O(h)']);
    expect(alignLines({ lhs: 'f', rhs: 'x' })).toEqual(['f &= x']);
  });

  it.skipIf(!PDFLATEX)('compiles with pdflatex (normal and gamma fixtures)', () => {
    expect(compileLatex(normalTex, 'normal')).toBeNull();
    expect(compileLatex(gammaTex, 'gamma')).toBeNull();
  });

  it.skipIf(!PDFLATEX)('detects a document that does not compile (the check can fail)', () => {
    expect(compileLatex(normalTex.replace('\\maketitle', '\\maketitle $\\frac{1}$'), 'broken')).not.toBeNull();
  });
});
