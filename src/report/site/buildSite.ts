/**
 * Static documentation site: `index.html` (overview, family catalogue, conventions, guide links), one page per
 * family (`family-<name>.html`: the full derivation with server-side KaTeX, figures, numbers at a reference
 * point, links to the standalone `.tex` and `.json` derivations) and one page per guide (`guide-<name>.html`,
 * converted from docs/*.md). KaTeX CSS and fonts are copied to `katex/`, so the site works offline from
 * `file://`. Every formula goes through KaTeX with `throwOnError: true`: a bad formula fails the build.
 */
import type { Derivation } from '../../derive/types.js';
import { derivationDocument, familySymbols } from '../derivation/derivationDocument.js';
import { escapeHtml, PAGE_CSS, renderHtmlFragment, renderTex, textToHtml } from '../derivation/renderHtmlFragment.js';
import { renderJson } from '../derivation/renderJson.js';
import { renderLatexDocument } from '../derivation/renderLatexDocument.js';
import { printLatex } from '../latex/printLatex.js';
import { familyFigures, plotFrame, type PlotFamily } from './familyPlots.js';
import { markdownToHtml } from './markdownToHtml.js';
import { PLAYGROUND_CSS, PLAYGROUND_FILE, playgroundBody, type PlaygroundFamily } from './playground.js';

/** A family for the site: its derivation, plus the compiled closures when available (figures and numbers). */
export interface SiteFamily {
  readonly derivation: Derivation;
  readonly compiled?: PlotFamily & { scalarCurvature?(theta: ArrayLike<number>): number };
}

/** A family that failed to load or derive: listed in the catalogue with its error. */
export interface SiteFailure {
  readonly name: string;
  readonly error: string;
}

export interface SiteGuide {
  /** File stem, e.g. `family-format` for docs/family-format.md. */
  readonly name: string;
  readonly markdown: string;
}

export interface SiteInput {
  readonly families: readonly SiteFamily[];
  readonly failures?: readonly SiteFailure[];
  readonly guides?: readonly SiteGuide[];
  readonly title?: string;
  /**
   * Adds playground.html (edit a family file, see its derivation, metric and geodesics in the page). Its script,
   * playground.js (the browser bundle with the page code), is not rendered here: the writer copies it.
   */
  readonly playground?: { readonly families: readonly PlaygroundFamily[]; readonly initial?: string };
}

export interface SiteResult {
  /** Paths of the HTML pages, relative to the site folder. */
  readonly pages: readonly string[];
  /** Other files (style sheet, .tex, .json), relative to the site folder. */
  readonly files: readonly string[];
  /** Content of every page and file by relative path. The KaTeX CSS and fonts (katex/) are not included: the
   * Node writer (src/node/writeSite.ts) copies them from the katex package. */
  readonly content: ReadonlyMap<string, string>;
}

const SITE_CSS = `${PAGE_CSS}
.catalogue td:first-child { white-space: nowrap; }
.catalogue .katex { font-size: 1.0em; }
.numbers td { font-family: ui-monospace, monospace; }
figure svg { max-width: 100%; height: auto; border: 1px solid #eee; }
.failure { color: #a00; }
.scroll { max-width: 26rem; overflow-x: auto; overflow-y: hidden; }
`;

export const guideFile = (name: string) => `guide-${name}.html`;
export const familyFile = (name: string) => `family-${name}.html`;

function page(title: string, body: string, nav: string): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    '<link rel="stylesheet" href="katex/katex.min.css">',
    '<link rel="stylesheet" href="style.css">',
    '</head>',
    '<body>',
    nav,
    body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

const SUPPORT: Record<string, string> = {
  real: '\\mathbb{R}', positive: '(0, \\infty)', unit: '(0, 1)', circle: '[-\\pi, \\pi)', nonnegint: '\\{0, 1, 2, \\ldots\\}', simplex: '\\text{simplex}',
};

function supportCell(d: Derivation): string {
  const s = d.family.support;
  const tex = s.kind === 'integers' ? `\\{${s.lo}, \\ldots, ${s.hi}\\}` : s.kind === 'finite' ? `\\{${s.values.join(', ')}\\}` : SUPPORT[s.kind];
  const dims = d.family.variables.length > 1 && s.kind !== 'simplex' ? `^{${d.family.variables.length}}` : '';
  return renderTex(`${tex}${dims}`, false);
}

function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e-4 && a < 1e6 ? String(Number(v.toPrecision(10))) : v.toExponential(8);
}

/** g, det g and R at the plot reference point, computed by the compiled closures. */
function numbersHtml(fam: SiteFamily): string {
  const c = fam.compiled;
  if (!c) return '';
  const d = fam.derivation;
  const frame = d.dim === 2 ? plotFrame(d.family.params, c) : null;
  const theta = frame ? frame.center : d.family.params.map((p) => (p.domain === 'positive' ? 1.5 : p.domain === 'unit' ? 0.2 : 0.3));
  if (c.checkPoint(theta) !== null) return '';
  const g = c.fisher(theta);
  const n = d.dim;
  const rows = d.family.params.map((p, i) => `<tr><th>${renderTex(p.tex, false)}</th>${Array.from({ length: n }, (_, j) => `<td>${fmt(g[i * n + j])}</td>`).join('')}</tr>`);
  const head = `<tr><th></th>${d.family.params.map((p) => `<th>${renderTex(p.tex, false)}</th>`).join('')}</tr>`;
  let curv = '';
  if (n >= 2 && c.scalarCurvature) {
    const r = c.scalarCurvature(theta);
    curv = `<p>Scalar curvature ${renderTex('R', false)} at this point: <code>${fmt(r)}</code>.</p>`;
  }
  const at = d.family.params.map((p, i) => `${p.tex} = ${fmt(theta[i])}`).join(',\\ ');
  return [
    '<section id="numbers">',
    '<h2>Numbers at a reference point</h2>',
    `<p>Compiled closures evaluated at ${renderTex(at, false)}:</p>`,
    `<table class="numbers">${head}${rows.join('')}</table>`,
    curv,
    '</section>',
  ].join('\n');
}

/** Renders the whole site in memory (no file system: runs in a browser too). */
export function renderSite(input: SiteInput): SiteResult {
  const files: string[] = [];
  const pages: string[] = [];
  const content = new Map<string, string>();
  const write = (rel: string, text: string, isPage = false) => {
    content.set(rel, text);
    (isPage ? pages : files).push(rel);
  };
  write('style.css', SITE_CSS + (input.playground ? PLAYGROUND_CSS : ''));

  const title = input.title ?? 'infogeo: information geometry of distribution families';
  const guides = input.guides ?? [];
  const families = [...input.families].sort((a, b) => a.derivation.family.name.localeCompare(b.derivation.family.name));
  const playgroundLink = input.playground ? `<a href="${PLAYGROUND_FILE}">Playground</a>` : '';
  const nav = `<nav class="site"><a href="index.html">Home</a>${playgroundLink}${guides.map((g) => `<a href="${guideFile(g.name)}">${escapeHtml(g.name)}</a>`).join('')}</nav>`;
  const linkMap = (href: string) => {
    const m = /^(?:\.\/)?([\w-]+)\.md(#.*)?$/.exec(href);
    if (m && guides.some((g) => g.name === m[1])) return guideFile(m[1]) + (m[2] ?? '');
    return href;
  };

  // Guides
  for (const g of guides) {
    const md = markdownToHtml(g.markdown, { linkMap, source: `docs/${g.name}.md` });
    write(guideFile(g.name), page(md.title ?? g.name, `<main>\n${md.html}\n</main>`, nav), true);
  }

  if (input.playground) {
    const body = playgroundBody(input.playground.families, input.playground.initial ?? 'gamma');
    write(PLAYGROUND_FILE, page('Playground', `<main>\n${body}\n</main>`, nav), true);
  }

  // Family pages
  for (const fam of families) {
    const d = fam.derivation;
    const name = d.family.name;
    const doc = derivationDocument(d);
    write(`tex/${name}.tex`, renderLatexDocument(doc));
    write(`tex/${name}.json`, renderJson(doc));
    const figs = fam.compiled ? familyFigures(d.family.params, fam.compiled) : [];
    let k = 0;
    const figHtml = figs.map((f) => {
      k++;
      const svg = f.svg.replace(/plot-area/g, `plot-area-${name}-${k}`).replace(/^<\?xml[^>]*>\s*/, '');
      return `<figure id="fig-${f.id}">\n${svg}<figcaption>${textToHtml(f.caption)}</figcaption>\n</figure>`;
    });
    const routes = Object.entries(d.routes).map(([k2, v]) => `${escapeHtml(k2)}: ${escapeHtml(v)}`).join('; ');
    const body = [
      `<h1>${escapeHtml(d.family.title)} <small>(<code>${escapeHtml(name)}</code>)</small></h1>`,
      `<p>Parameters ${renderTex(`\\theta = (${d.family.params.map((p) => p.tex).join(', ')})`, false)}; routes: ${routes || 'n/a'}. Standalone derivation: <a href="tex/${name}.tex">LaTeX</a>, <a href="tex/${name}.json">JSON</a>.</p>`,
      figs.length ? `<section id="figures"><h2>Figures</h2>\n${figHtml.join('\n')}\n</section>` : '',
      numbersHtml(fam),
      renderHtmlFragment(doc),
    ].join('\n');
    write(familyFile(name), page(`${d.family.title} (${name})`, `<main>\n${body}\n</main>`, nav), true);
  }

  // Index
  const rows = families.map((fam) => {
    const d = fam.derivation;
    const symbols = { symbols: familySymbols(d.family) };
    const params = renderTex(d.family.params.map((p) => p.tex).join(', '), false);
    const l = d.family.logDensityCases ? '<em>finite support: see page</em>' : `<div class="scroll">${renderTex(printLatex(d.logDensity, symbols), false)}</div>`;
    return `<tr><td><a href="${familyFile(d.family.name)}"><code>${escapeHtml(d.family.name)}</code></a></td><td>${escapeHtml(d.family.title)}</td><td>${params}</td><td>${supportCell(d)}</td><td>${l}</td><td>${escapeHtml(d.routes.fisher ?? '')}</td></tr>`;
  });
  const failed = (input.failures ?? []).map((f) => `<tr class="failure"><td><code>${escapeHtml(f.name)}</code></td><td colspan="5">not generated: ${escapeHtml(f.error)}</td></tr>`);
  const conventions = [
    ['Parameters', 'Listed in the order of the family file $\\theta = (\\theta^1, \\ldots, \\theta^n)$; every matrix and tensor uses this index order.'],
    ['Fisher metric', '$g_{ij}(\\theta) = \\mathbb{E}_\\theta[\\partial_i \\ell \\, \\partial_j \\ell]$ for one observation, $\\ell = \\ln p(x; \\theta)$; row-major, $g[i][j] = g_{ij}$.'],
    ['Christoffel symbols', 'Second kind of the Levi-Civita connection, index $[k][i][j] = \\Gamma^k_{ij}$; first kind $[i][j][k] = \\Gamma_{ij,k} = \\tfrac12(\\partial_i g_{jk} + \\partial_j g_{ik} - \\partial_k g_{ij})$.'],
    ['Geodesics', '$\\ddot\\theta^k + \\Gamma^k_{ij}\\dot\\theta^i\\dot\\theta^j = 0$ from $\\theta_0$ with velocity $v$; the exponential map is the point at $t = 1$.'],
    ['Curvature', '$R^a{}_{bcd} = \\partial_c \\Gamma^a_{db} - \\partial_d \\Gamma^a_{cb} + \\Gamma^a_{ce}\\Gamma^e_{db} - \\Gamma^a_{de}\\Gamma^e_{cb}$, Ricci $R_{bd} = R^a{}_{bad}$, scalar $R = g^{bd}R_{bd}$. Sign: the round sphere is positive; the normal family in $(\\mu, \\sigma)$ has $R = -1$.'],
    ['Divergence', '$\\mathrm{KL}(p_{\\text{from}} \\,\\|\\, p_{\\text{to}})$, and $\\mathrm{KL}(p_\\theta \\| p_{\\theta + \\delta\\theta}) \\approx \\tfrac12\\, \\delta\\theta^\\top g(\\theta)\\, \\delta\\theta$.'],
    ['Amari–Chentsov', '$T_{ijk} = \\mathbb{E}[\\partial_i \\ell\\, \\partial_j \\ell\\, \\partial_k \\ell]$; $\\alpha$-connection $\\Gamma^{(\\alpha)}_{ij,k} = \\Gamma^{(0)}_{ij,k} - \\tfrac{\\alpha}{2} T_{ijk}$.'],
  ];
  const body = [
    `<h1>${escapeHtml(title)}</h1>`,
    '<p>Each family is declared in a small file (log-density, parameters, support); the toolkit derives its Fisher metric, Christoffel symbols, curvature and divergences symbolically, compiles them to fast closures, and solves geodesics and natural-gradient problems. Each page below shows the derivation step by step.</p>',
    '<h2 id="catalogue">Family catalogue</h2>',
    `<table class="catalogue"><thead><tr><th>name</th><th>family</th><th>parameters</th><th>support</th><th>log-density ${renderTex('\\ell(\\theta; x)', false)}</th><th>Fisher route</th></tr></thead><tbody>${[...rows, ...failed].join('\n')}</tbody></table>`,
    '<h2 id="conventions">Conventions</h2>',
    `<table class="conventions"><tbody>${conventions.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${textToHtml(v)}</td></tr>`).join('\n')}</tbody></table>`,
    guides.length ? `<h2 id="guides">Guides</h2><ul>${guides.map((g) => `<li><a href="${guideFile(g.name)}">${escapeHtml(g.name)}</a></li>`).join('')}</ul>` : '',
  ].join('\n');
  write('index.html', page(title, `<main>\n${body}\n</main>`, nav), true);
  return { pages, files, content };
}
