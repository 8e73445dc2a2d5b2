import { describe, expect, it } from 'vitest';
import { derivationDocument } from '../../../src/report/derivation/derivationDocument.js';
import { equationTex, renderHtmlFragment, renderHtmlPage, renderTex, textToHtml } from '../../../src/report/derivation/renderHtmlFragment.js';
import { katexCssInline } from '../../../src/node/katexAssets.js';
import { normalDerivation } from './fixtures.js';

describe('renderHtmlFragment', () => {
  const doc = derivationDocument(normalDerivation());
  const html = renderHtmlFragment(doc);

  it('renders one KaTeX display per equation and no katex-error', () => {
    const n = doc.sections.flatMap((s) => s.blocks).reduce((a, b) => a + (b.kind === 'equations' ? b.equations.length : 0), 0);
    expect(html.match(/<div class="eq">/g)?.length).toBe(n);
    expect(html.match(/class="katex-display"/g)?.length).toBe(n);
    expect(html).not.toContain('katex-error');
    expect(html).toContain('<section id="christoffel">');
  });

  it('throws (naming the TeX) instead of emitting a katex-error', () => {
    expect(() => renderTex('\\frac{1}', true)).toThrow(/\\\\frac\{1\}/);
  });

  it('escapes HTML in text and renders inline math', () => {
    const h = textToHtml('a < b & $\\alpha$ **x**');
    expect(h.startsWith('a &lt; b &amp; <span class="katex">')).toBe(true);
    expect(h.endsWith('<strong>x</strong>')).toBe(true);
  });

  it('wraps a right-hand side broken into lines in aligned', () => {
    const terms = Array.from({ length: 20 }, (_, i) => (i ? '+ ' : '') + `a_{${i}} b_{${i}} c_{${i}}`);
    const lines = [terms.slice(0, 10).join(' '), terms.slice(10).join(' ')];
    const t = equationTex({ lhs: 'f', rhs: terms.join(' '), lines });
    expect(t.startsWith('\\begin{aligned} f &= ')).toBe(true);
    expect(t).toContain('\\\\ &\\quad + a_{10}');
    expect(() => renderTex(t, true)).not.toThrow();
  });

  it('builds a self-contained page with the KaTeX fonts inlined as woff2 data URIs', () => {
    const css = katexCssInline();
    expect(css.match(/data:font\/woff2;base64,/g)?.length).toBe(20);
    expect(css).not.toMatch(/url\(fonts\//);
    const page = renderHtmlPage(doc, { css });
    expect(page.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(page).toContain('<title>Normal distribution (normal): Fisher geometry</title>');
  });
});
