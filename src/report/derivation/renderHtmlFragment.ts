/**
 * A {@link DerivationDocument} as HTML with every formula rendered server-side by KaTeX
 * (`throwOnError: true`: a formula KaTeX cannot parse is a bug and throws here, never a `.katex-error` in a page).
 * {@link renderHtmlFragment} gives the `<article>` body for the docs site; {@link renderHtmlPage} a complete page.
 */
import katex from 'katex';
import type { DerivationDocument, DocEquation } from './derivationDocument.js';
import { alignLines } from './renderLatexDocument.js';

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** KaTeX with throwOnError; the thrown error names the offending TeX. */
export function renderTex(tex: string, displayMode: boolean): string {
  try {
    return katex.renderToString(tex, { throwOnError: true, displayMode, output: 'htmlAndMathml', strict: 'ignore' });
  } catch (e) {
    throw new Error(`KaTeX cannot render ${JSON.stringify(tex)}: ${(e as Error).message}`);
  }
}

/** Text with inline `$…$` math, `**bold**` and `` `code` `` → HTML. */
export function textToHtml(s: string): string {
  return s
    .split(/(\$[^$]*\$)/)
    .map((p, i) => {
      if (i % 2 === 1) return renderTex(p.slice(1, -1), false);
      return escapeHtml(p).replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>').replace(/`([^`]+)`/g, '<code>$1</code>');
    })
    .join('');
}

/** TeX of one display equation; a right-hand side broken into lines is set in `aligned`. */
export function equationTex(eq: DocEquation): string {
  const lines = alignLines(eq);
  if (lines.length === 1) return `${eq.lhs} ${eq.rel ?? '='} ${eq.rhs}${eq.suffix ? ` ${eq.suffix}` : ''}`;
  return `\\begin{aligned} ${lines.join(' \\\\ ')} \\end{aligned}`;
}

export function renderHtmlFragment(doc: DerivationDocument, opts: { headingLevel?: number } = {}): string {
  const h = opts.headingLevel ?? 2;
  const out: string[] = [`<article class="derivation" data-family="${escapeHtml(doc.family)}">`];
  out.push(`<nav class="toc"><ol>${doc.sections.map((s) => `<li><a href="#${s.id}">${escapeHtml(s.title)}</a></li>`).join('')}</ol></nav>`);
  for (const s of doc.sections) {
    out.push(`<section id="${s.id}">`, `<h${h}>${escapeHtml(s.title)}</h${h}>`);
    for (const b of s.blocks) {
      if (b.kind === 'text') out.push(`<p>${textToHtml(b.text)}</p>`);
      else for (const e of b.equations) out.push(`<div class="eq">${renderTex(equationTex(e), true)}</div>`);
    }
    out.push('</section>');
  }
  out.push('</article>');
  return out.join('\n');
}

/** Minimal page CSS shared by the derive verb and the docs site. */
export const PAGE_CSS = `
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; max-width: 60rem; margin: 0 auto; padding: 1rem 1.5rem 4rem; line-height: 1.5; color: #1b1b1b; }
h1 { font-size: 1.7rem; } h2 { margin-top: 2rem; border-bottom: 1px solid #ddd; }
.eq { overflow-x: auto; overflow-y: hidden; padding: 0.1rem 0; }
.toc ol { columns: 2; font-size: 0.95rem; }
table { border-collapse: collapse; } td, th { border: 1px solid #ccc; padding: 0.25rem 0.6rem; text-align: left; vertical-align: top; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 0.92em; } pre { background: #f5f5f5; padding: 0.6rem; overflow-x: auto; }
figure { margin: 1.5rem 0; } figcaption { font-size: 0.92rem; color: #444; }
nav.site { font-size: 0.95rem; margin-bottom: 1rem; } nav.site a { margin-right: 1rem; }
`;

/** A complete HTML page around the fragment. `css` is inlined in a `<style>`; `stylesheets` are linked. */
export function renderHtmlPage(doc: DerivationDocument, opts: { css?: string; stylesheets?: readonly string[]; header?: string } = {}): string {
  const links = (opts.stylesheets ?? []).map((href) => `<link rel="stylesheet" href="${escapeHtml(href)}">`).join('\n');
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(doc.title)} (${escapeHtml(doc.family)}): Fisher geometry</title>`,
    links,
    `<style>${PAGE_CSS}${opts.css ?? ''}</style>`,
    '</head>',
    '<body>',
    opts.header ?? '',
    `<h1>${escapeHtml(doc.title)} <small>(<code>${escapeHtml(doc.family)}</code>)</small></h1>`,
    renderHtmlFragment(doc),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
