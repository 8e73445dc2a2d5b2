/**
 * The step-by-step derivation of a family's Fisher geometry as a format-neutral document
 * (sections of text and display equations, all TeX already printed), rendered by
 * {@link renderLatexDocument}, {@link renderHtmlFragment} and {@link renderJson}.
 *
 * Sections, in order: parameters and density, log-likelihood, score, second derivatives,
 * expectations used, Fisher matrix, its inverse, Christoffel symbols, curvature, KL divergence
 * (quadratic form and exact closed form), with the Amari–Chentsov tensor before the divergence. The prose of the
 * derive stage's steps (`Derivation.steps`) is attached to the matching sections; steps with other titles follow
 * in a last section.
 *
 * Conventions (docs/conventions.md): parameters in the family file order θ = (θ¹, …, θⁿ); g_ij = E[∂_i ℓ ∂_j ℓ];
 * Γ^k_ij second kind; Γ_ij,k = ½(∂_i g_jk + ∂_j g_ik − ∂_k g_ij); scalar curvature R with the round sphere positive.
 */
import { parse } from '../../core/mathjs.js';
import type { MathNode } from 'mathjs';
import type { Derivation } from '../../derive/types.js';
import type { Expr, FamilySpec, SupportSpec } from '../../declare/types.js';
import { printLatex, printLatexTerms, symbolTex, type LatexOptions } from '../latex/printLatex.js';
import { densityFromLogDensity } from './densityFromLogDensity.js';
import { assertFamilyTexSafe, atomTex } from './familyTex.js';
import { visualLength } from './renderLatexDocument.js';
import { nodes } from './nodes.js';
import { symbolicInverse } from './symbolicInverse.js';
import { simplify } from '../../derive/simplify.js';
import { depth, size } from '../../derive/build.js';
import { budgetError } from '../../derive/budget.js';

/**
 * Print budget of the derivation document: printing expands shared subexpressions of the derived
 * DAGs into trees, so each equation's expanded size (nodes), its depth (the printer recurses) and
 * the document's total are bounded. The built-in families print at most 1,757 nodes in one
 * equation and 9,657 in all.
 */
export const PRINT_BUDGET = Object.freeze({ equationNodes: 40_000, totalNodes: 150_000, depth: 400 });

/** Throws a FamilyError naming the first equation that exceeds the print budget. */
function checkPrintable(d: Derivation): void {
  let total = 0;
  const fmt = (n: number) => n.toLocaleString('en-US');
  const leaves = (x: unknown): Expr[] => (Array.isArray(x) ? x.flatMap(leaves) : [x as Expr]);
  for (const st of d.steps) {
    for (const eq of st.equations ?? []) {
      const what = `"${st.title}" equation ${eq.lhs}`;
      for (const e of leaves(eq.rhs)) {
        const n = size(e);
        const dp = depth(e);
        total += n;
        if (n > PRINT_BUDGET.equationNodes || dp > PRINT_BUDGET.depth || total > PRINT_BUDGET.totalNodes) {
          const why =
            n > PRINT_BUDGET.equationNodes
              ? `has ${fmt(n)} nodes to print, budget ${fmt(PRINT_BUDGET.equationNodes)}`
              : dp > PRINT_BUDGET.depth
                ? `has depth ${fmt(dp)}, budget ${fmt(PRINT_BUDGET.depth)}`
                : `brings the document to ${fmt(total)} nodes, budget ${fmt(PRINT_BUDGET.totalNodes)}`;
          throw budgetError(d.family, `derivation document exceeds its print budget: ${what} ${why}`);
        }
      }
    }
  }
}

/** One display equation `lhs = rhs`. */
export interface DocEquation {
  /** TeX of the left-hand side. */
  readonly lhs: string;
  /** TeX of the right-hand side (a scalar expression or a pmatrix). */
  readonly rhs: string;
  /** For scalar sums: the signed terms of rhs (first unsigned-led), so renderers can break long lines. */
  readonly terms?: readonly string[];
  /** mathjs source of the rhs (for JSON consumers): a string, or nested arrays for vectors/matrices. */
  readonly source?: string | readonly string[] | readonly (readonly string[])[];
  /** Relation symbol (default `=`). */
  readonly rel?: string;
}

export type DocBlock =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'equations'; readonly equations: readonly DocEquation[] };

export interface DocSection {
  /** Stable id (HTML anchor, JSON key). */
  readonly id: string;
  readonly title: string;
  readonly blocks: readonly DocBlock[];
}

export interface DerivationDocument {
  readonly family: string;
  readonly title: string;
  readonly params: readonly { readonly name: string; readonly tex: string; readonly domain: string }[];
  readonly routes: Readonly<Record<string, string>>;
  readonly sections: readonly DocSection[];
}

/** Matrices whose entries are all visually shorter than this (and rows than MATRIX_ROW_MAX) are shown as one pmatrix. */
const MATRIX_ENTRY_MAX = 30;
const MATRIX_ROW_MAX = 80;

const ROUTE_TEXT: Record<string, string> = {
  declared: 'closed form declared in the family file',
  'exponential-family': 'exponential-family identity',
  'finite-sum': 'exact sum over the finite support',
  moments: 'moments table (expand, split into θ-part × x-feature, replace each feature by its expectation)',
  quadrature: 'numerical quadrature of the deferred expectations',
  'finite-difference': 'finite differences of the quadrature metric',
};

/** Special functions explained in the Density section when they occur anywhere in the derivation. */
const NOTATION: [string, string][] = [
  ['lgamma', '$\\ln\\Gamma$ is the log-gamma function'],
  ['digamma', '$\\psi = (\\ln\\Gamma)\'$ the digamma function'],
  ['trigamma', '$\\psi_1 = \\psi\'$ the trigamma function'],
  ['polygamma', '$\\psi^{(n)}$ the polygamma function of order $n$'],
  ['besseli0', '$I_0$ is the modified Bessel function of the first kind of order 0'],
  ['besseli1', '$I_1$ is the modified Bessel function of the first kind of order 1'],
  ['logbesseli0', '$\\ln I_0$ is the log of the modified Bessel function $I_0$'],
  ['besselratio', '$A(\\kappa) = I_1(\\kappa)/I_0(\\kappa)$ is the Bessel ratio, with $A\'(\\kappa) = 1 - A/\\kappa - A^2$'],
  ['expect', '$\\mathbb{E}_\\theta[\\cdot]$ marks an expectation without closed form, computed by quadrature'],
];

/** Names of all functions called anywhere in the derived objects. */
function functionsUsed(d: Derivation): Set<string> {
  const out = new Set<string>();
  const seen = new Set<unknown>();
  const walk = (x: unknown): void => {
    if (x === null || x === undefined || typeof x !== 'object' || seen.has(x)) return;
    seen.add(x);
    if (Array.isArray(x)) return x.forEach(walk);
    const n = x as { type?: string; fn?: { name?: string }; args?: unknown[]; content?: unknown };
    if (n.type === 'FunctionNode' && n.fn?.name) out.add(n.fn.name);
    if (n.args) n.args.forEach(walk);
    if (n.content) walk(n.content);
  };
  [d.logDensity, d.score, d.hessian, d.fisher, d.christoffel, d.christoffelFirst, d.scalarCurvature, d.kl?.expr, d.family.expfam?.ET, d.family.expfam?.A].forEach(walk);
  for (const v of d.family.moments.values()) walk(v);
  return out;
}

/** `\\mathbb{E}[…]`, with growing brackets only around tall content. */
function expectationTex(inner: string): string {
  return /\\(frac|sqrt|left)/.test(inner) ? `\\mathbb{E}\\left[${inner}\\right]` : `\\mathbb{E}[${inner}]`;
}

function supportTex(s: SupportSpec, v: string): string {
  switch (s.kind) {
    case 'real': return `${v} \\in \\mathbb{R}`;
    case 'positive': return `${v} > 0`;
    case 'unit': return `0 < ${v} < 1`;
    case 'circle': return `${v} \\in [-\\pi, \\pi)`;
    case 'nonnegint': return `${v} \\in \\{0, 1, 2, \\ldots\\}`;
    case 'simplex': return `${v} \\text{ in the open simplex}`;
    case 'integers': return `${v} \\in \\{${s.lo}, \\ldots, ${s.hi}\\}`;
    case 'finite': return `${v} \\in \\{${s.values.join(', ')}\\}`;
  }
}

function domainTex(domain: string, t: string): string {
  return domain === 'positive' ? `${t} > 0` : domain === 'unit' ? `0 < ${t} < 1` : domain === 'circle' ? `${t} \\in [-\\pi, \\pi)` : `${t} \\in \\mathbb{R}`;
}

/** Symbol table for the printer: parameter TeX from the spec, data variables, fixed constants. */
export function familySymbols(spec: FamilySpec): Record<string, string> {
  const s: Record<string, string> = {};
  for (const p of spec.params) s[p.name] = atomTex(p.tex);
  for (const v of spec.variables) if (!Object.hasOwn(s, v)) s[v] = symbolTex(v);
  return s;
}

function isZero(e: Expr): boolean {
  return nodes.isZero(e);
}

export function derivationDocument(d: Derivation): DerivationDocument {
  checkPrintable(d);
  const spec = d.family;
  assertFamilyTexSafe(spec);
  const symbols = familySymbols(spec);
  const opts: LatexOptions = { symbols };
  const tex = (e: Expr) => printLatex(e, opts);
  const src = (e: Expr) => e.toString();
  const n = d.dim;
  const P = spec.params.map((p) => atomTex(p.tex));
  /** `{}`-wrapped TeX of parameter i, safe to juxtapose. */
  const pt = (i: number) => `{${P[i]}}`;
  const idx = (...ii: number[]) => ii.map(pt).join(' ');
  const vars = spec.variables.map((v) => symbols[v]);
  const xTex = vars.length === 1 ? vars[0] : `(${vars.join(', ')})`;
  const thetaTex = `\\theta = (${P.join(', ')})`;

  const scalar = (lhs: string, e: Expr, rel?: string): DocEquation => {
    const terms = printLatexTerms(e, opts);
    return { lhs, rhs: tex(e), terms: terms.length > 1 ? terms : undefined, source: src(e), ...(rel ? { rel } : {}) };
  };
  const matrix = (lhs: string, m: readonly (readonly Expr[])[]): DocEquation => ({
    lhs,
    rhs: `\\begin{pmatrix} ${m.map((r) => r.map(tex).join(' & ')).join(' \\\\ ')} \\end{pmatrix}`,
    source: m.map((r) => r.map(src)),
  });
  const fitsMatrix = (m: readonly (readonly Expr[])[]) =>
    m.every((r) => r.every((e) => visualLength(tex(e)) <= MATRIX_ENTRY_MAX) && r.reduce((a, e) => a + visualLength(tex(e)) + 2, 0) <= MATRIX_ROW_MAX);
  const eqs = (equations: DocEquation[]): DocBlock => ({ kind: 'equations', equations });
  const text = (t: string): DocBlock => ({ kind: 'text', text: t });

  const sections: DocSection[] = [];

  // 1. Parameters and density -------------------------------------------------------------
  {
    const blocks: DocBlock[] = [];
    const plist = spec.params.map((p) => `$${domainTex(p.domain, p.tex)}$`).join(', ');
    blocks.push(text(`${spec.title}. Parameters in the family file order $${thetaTex}$, with ${plist}.`));
    if (spec.constraints.length) {
      blocks.push(text(`Further domain conditions: ${spec.constraints.map((c) => `$${tex(c)} > 0$`).join(', ')}.`));
    }
    const consts = Object.entries(spec.constants);
    if (consts.length) blocks.push(text(`Fixed constants: ${consts.map(([k, v]) => `$${symbolTex(k, symbols)} = ${v}$`).join(', ')}.`));
    blocks.push(text(`Support: $${supportTex(spec.support, xTex)}$.`));
    const used = functionsUsed(d);
    const notation = NOTATION.filter(([f]) => used.has(f)).map(([, t]) => t);
    if (notation.length) blocks.push(text(`Notation: ${notation.join('; ')}.`));
    if (spec.logDensityCases) {
      const list: DocEquation[] = [];
      for (const [v, l] of spec.logDensityCases) list.push(scalar(`p(${xTex} = ${v}; \\theta)`, densityFromLogDensity(l)));
      blocks.push(eqs(list));
    } else {
      blocks.push(eqs([scalar(`p(${xTex}; \\theta)`, densityFromLogDensity(d.logDensity))]));
    }
    if (spec.notes.trim()) blocks.push(text(spec.notes.trim()));
    sections.push({ id: 'density', title: 'Density', blocks });
  }

  // 2. Log-likelihood ----------------------------------------------------------------------
  {
    const blocks: DocBlock[] = [text(`One observation $${xTex}$; $\\ell(\\theta; ${xTex}) = \\ln p(${xTex}; \\theta)$.`)];
    if (spec.logDensityCases) {
      const list: DocEquation[] = [];
      for (const [v, l] of spec.logDensityCases) list.push(scalar(`\\ell(\\theta; ${xTex} = ${v})`, l));
      blocks.push(eqs(list));
      blocks.push(text('For differentiation the cases are combined into one expression in $x$ with Lagrange basis polynomials (exact on the support points).'));
    } else {
      blocks.push(eqs([scalar(`\\ell(\\theta; ${xTex})`, d.logDensity)]));
    }
    if (d.nonSmooth) blocks.push(text('$\\ell$ contains $|\\cdot|$ or $\\operatorname{sgn}$: it is not smooth in $\\theta$, so the Fisher metric must be taken in score form $g_{ij} = \\mathbb{E}[\\partial_i \\ell \\, \\partial_j \\ell]$; the Hessian form would miss the delta-function term.'));
    sections.push({ id: 'log-likelihood', title: 'Log-likelihood', blocks });
  }

  // 3. Score --------------------------------------------------------------------------------
  sections.push({
    id: 'score',
    title: 'Score',
    blocks: [eqs(d.score.map((s, i) => scalar(`\\frac{\\partial \\ell}{\\partial ${pt(i)}}`, s)))],
  });

  // 4. Second derivatives -------------------------------------------------------------------
  {
    const list: DocEquation[] = [];
    for (let i = 0; i < n; i++) {
      for (let j = i; j < n; j++) {
        const lhs = i === j ? `\\frac{\\partial^2 \\ell}{\\partial ${pt(i)}^2}` : `\\frac{\\partial^2 \\ell}{\\partial ${pt(i)} \\, \\partial ${pt(j)}}`;
        list.push(scalar(lhs, d.hessian[i][j]));
      }
    }
    const blocks: DocBlock[] = [];
    if (n > 1) blocks.push(text('The Hessian is symmetric; entries with $i \\le j$ are listed.'));
    blocks.push(eqs(list));
    sections.push({ id: 'second-derivatives', title: 'Second derivatives', blocks });
  }

  // 5. Expectations used --------------------------------------------------------------------
  {
    const route = d.routes.fisher ?? 'quadrature';
    const blocks: DocBlock[] = [text(`Route for the Fisher metric: ${ROUTE_TEXT[route] ?? route}.`)];
    if (route === 'exponential-family' && spec.expfam) {
      const ef = spec.expfam;
      blocks.push(text('Exponential family $\\ell = \\sum_a \\eta_a(\\theta) T_a(x) - \\ln Z(\\theta) + \\ln h(x)$ with log-partition $\\ln Z$, hence $-\\partial_i \\partial_j \\ell = \\partial_i \\partial_j \\ln Z - \\sum_a \\partial_i \\partial_j \\eta_a \\, T_a$ and $g_{ij} = \\partial_i \\partial_j \\ln Z - \\sum_a \\partial_i \\partial_j \\eta_a \\, \\mathbb{E}[T_a]$.'));
      const list: DocEquation[] = [];
      ef.eta.forEach((e, a) => list.push(scalar(`\\eta_{${a + 1}}`, e)));
      ef.T.forEach((e, a) => list.push(scalar(`T_{${a + 1}}`, e)));
      list.push(scalar('\\ln Z(\\theta)', ef.A));
      ef.ET.forEach((e, a) => list.push(scalar(`\\mathbb{E}[T_{${a + 1}}]`, e)));
      blocks.push(eqs(list));
    } else if (route === 'moments') {
      blocks.push(text('$-\\partial_i \\partial_j \\ell$ is expanded into a sum of $\\theta$-factors times $x$-features; each feature is replaced by its declared expectation:'));
      const list: DocEquation[] = [];
      for (const [key, val] of spec.moments) {
        let lhsTex: string;
        try {
          lhsTex = expectationTex(printLatex(parse(key), opts));
        } catch {
          lhsTex = `\\mathbb{E}[\\text{${key.replace(/[\\{}$&#^_%~]/g, '')}}]`;
        }
        list.push(scalar(lhsTex, val));
      }
      if (list.length) blocks.push(eqs(list));
    } else if (route === 'declared' && spec.fisher) {
      blocks.push(text(`The closed form is declared in the family file (source: ${spec.fisher.source}) and checked against quadrature of $\\mathbb{E}[\\partial_i \\ell \\, \\partial_j \\ell]$ by the test suite.`));
    } else if (route === 'finite-sum') {
      blocks.push(text(`The support is finite, so $g_{ij} = \\sum_{${xTex}} p(${xTex}; \\theta) \\, \\partial_i \\ell \\, \\partial_j \\ell$ is an exact finite sum.`));
    } else if (route === 'quadrature' || route === 'finite-difference') {
      blocks.push(text('No closed form: entries containing $\\mathbb{E}_\\theta[\\cdot]$ are integrals over the support, evaluated numerically (split at the breakpoints of $\\ell$).'));
    }
    if (spec.moments.size && route !== 'moments') {
      const list: DocEquation[] = [];
      for (const [key, val] of spec.moments) {
        try {
          list.push(scalar(expectationTex(printLatex(parse(key), opts)), val));
        } catch {
          /* a key that is not an expression is skipped */
        }
      }
      if (list.length) {
        blocks.push(text('Moments declared in the family file:'));
        blocks.push(eqs(list));
      }
    }
    sections.push({ id: 'expectations', title: 'Expectations used', blocks });
  }

  // 6. Fisher matrix -----------------------------------------------------------------------
  {
    const g = d.fisher;
    const blocks: DocBlock[] = [
      text(d.nonSmooth ? '$g_{ij}(\\theta) = \\mathbb{E}_\\theta[\\partial_i \\ell \\, \\partial_j \\ell]$:' : '$g_{ij}(\\theta) = \\mathbb{E}_\\theta[\\partial_i \\ell \\, \\partial_j \\ell] = -\\mathbb{E}_\\theta[\\partial_i \\partial_j \\ell]$:'),
    ];
    if (fitsMatrix(g)) blocks.push(eqs([matrix('g(\\theta)', g)]));
    else {
      const list: DocEquation[] = [];
      for (let i = 0; i < n; i++) for (let j = i; j < n; j++) if (!isZero(g[i][j])) list.push(scalar(`g_{${idx(i, j)}}`, g[i][j]));
      blocks.push(text('Non-zero entries with $i \\le j$ ($g$ is symmetric):'));
      blocks.push(eqs(list));
    }
    sections.push({ id: 'fisher', title: 'Fisher information matrix', blocks });
  }

  // 7. Inverse ------------------------------------------------------------------------------
  {
    const inv = symbolicInverse(d.fisher);
    // display entries: adj/det, simplified by the derive stage's x-free simplifier (kept only when smaller)
    const ginv = inv.inverse.map((r) => r.map((e) => (e ? simplify(e) : null)));
    const blocks: DocBlock[] = [];
    const entries = (idxs: readonly number[]): DocEquation[] => {
      const list: DocEquation[] = [];
      idxs.forEach((i, a) => idxs.forEach((j, c) => {
        if (c >= a && ginv[i][j] && !isZero(ginv[i][j]!)) list.push(scalar(`g^{${idx(i, j)}}`, ginv[i][j]!));
      }));
      return list;
    };
    const full = inv.blocks.length === 1 && inv.blocks[0].indices.length === n && n > 1;
    if (full && inv.blocks[0].det) {
      blocks.push(text('By cofactors, $g^{-1} = \\operatorname{adj}(g) / \\det g$, with'));
      const list: DocEquation[] = [scalar('\\det g', simplify(inv.blocks[0].det))];
      const m = ginv as Expr[][];
      if (fitsMatrix(m)) list.push(matrix('g^{-1}(\\theta)', m));
      else list.push(...entries(inv.blocks[0].indices));
      blocks.push(eqs(list));
      if (!fitsMatrix(m)) blocks.push(text('($g^{-1}$ is symmetric; entries with $i \\le j$ are listed.)'));
    } else if (inv.complete && inv.blocks.every((b) => b.indices.length === 1)) {
      blocks.push(text('$g$ is diagonal, so $g^{-1}$ is the diagonal of reciprocals:'));
      const m = ginv as Expr[][];
      if (fitsMatrix(m)) blocks.push(eqs([matrix('g^{-1}(\\theta)', m)]));
      else blocks.push(eqs(m.map((r, i) => scalar(`g^{${idx(i, i)}}`, r[i]))));
    } else {
      blocks.push(text('$g$ is block diagonal; each block is inverted separately by cofactors (entries across blocks are zero). Non-zero entries with $i \\le j$:'));
      const list: DocEquation[] = [];
      for (const b of inv.blocks) {
        if (b.det) list.push(scalar(`\\det g_{[${b.indices.map(pt).join(' ')}]}`, simplify(b.det)));
        list.push(...entries(b.indices));
      }
      blocks.push(eqs(list));
      if (!inv.complete) blocks.push(text('A block larger than 3×3 is inverted numerically only.'));
    }
    sections.push({ id: 'inverse', title: 'Inverse metric', blocks });
  }

  // 8. Christoffel symbols -----------------------------------------------------------------
  {
    const blocks: DocBlock[] = [];
    if (d.christoffel) {
      blocks.push(text('Levi-Civita connection, second kind: $\\Gamma^k_{ij} = \\tfrac12 g^{kl}(\\partial_i g_{jl} + \\partial_j g_{il} - \\partial_l g_{ij})$, symmetric in $i, j$. Non-zero symbols with $i \\le j$:'));
      const list: DocEquation[] = [];
      for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) for (let j = i; j < n; j++) {
        const e = d.christoffel[k][i][j];
        if (!isZero(e)) list.push(scalar(`\\Gamma^{${pt(k)}}_{${idx(i, j)}}`, e));
      }
      blocks.push(list.length ? eqs(list) : text('All Christoffel symbols vanish: the parametrisation is flat (affine).'));
    } else if (d.christoffelFirst) {
      blocks.push(text('The symbolic inverse is too large here; first-kind symbols $\\Gamma_{ij,k} = \\tfrac12(\\partial_i g_{jk} + \\partial_j g_{ik} - \\partial_k g_{ij})$ are shown, and $\\Gamma^k_{ij} = g^{kl}\\Gamma_{ij,l}$ is formed numerically. Non-zero symbols with $i \\le j$:'));
      const list: DocEquation[] = [];
      for (let i = 0; i < n; i++) for (let j = i; j < n; j++) for (let k = 0; k < n; k++) {
        const e = d.christoffelFirst[i][j][k];
        if (!isZero(e)) list.push(scalar(`\\Gamma_{${idx(i, j)}, ${pt(k)}}`, e));
      }
      blocks.push(list.length ? eqs(list) : text('All first-kind symbols vanish.'));
    } else {
      blocks.push(text('The metric has no closed form here, so the Christoffel symbols are computed numerically from derivatives of the quadrature metric.'));
    }
    sections.push({ id: 'christoffel', title: 'Christoffel symbols', blocks });
  }

  // 9. Curvature ---------------------------------------------------------------------------
  {
    const blocks: DocBlock[] = [
      text('Riemann tensor $R^a{}_{bcd} = \\partial_c \\Gamma^a_{db} - \\partial_d \\Gamma^a_{cb} + \\Gamma^a_{ce}\\Gamma^e_{db} - \\Gamma^a_{de}\\Gamma^e_{cb}$, Ricci $R_{bd} = R^a{}_{bad}$, scalar $R = g^{bd}R_{bd}$ (sign: the round sphere is positive; the normal family in $(\\mu, \\sigma)$ has $R = -1$).'),
    ];
    if (d.scalarCurvature) {
      if (n === 2) blocks.push(text('In two dimensions $R = 2K$ with $K$ the Gaussian curvature.'));
      blocks.push(eqs([scalar('R(\\theta)', d.scalarCurvature)]));
    } else {
      blocks.push(text('No symbolic form is derived for this family (dimension above 2 or a non-closed-form metric); `infogeo curvature` evaluates it numerically.'));
    }
    sections.push({ id: 'curvature', title: 'Curvature', blocks });
  }

  // 10. Amari–Chentsov tensor -------------------------------------------------------------------
  if (d.amariChentsov) {
    const T = d.amariChentsov;
    const list: DocEquation[] = [];
    for (let i = 0; i < n; i++) for (let j = i; j < n; j++) for (let k = j; k < n; k++) {
      if (!isZero(T[i][j][k])) list.push(scalar(`T_{${idx(i, j, k)}}`, T[i][j][k]));
    }
    sections.push({
      id: 'amari-chentsov',
      title: 'Amari–Chentsov tensor',
      blocks: [
        text(`Skewness tensor $T_{ijk} = \\mathbb{E}_\\theta[\\partial_i \\ell \\, \\partial_j \\ell \\, \\partial_k \\ell]$ (route: ${ROUTE_TEXT[d.routes.amariChentsov] ?? d.routes.amariChentsov ?? 'n/a'}), fully symmetric; it defines the $\\alpha$-connections $\\Gamma^{(\\alpha)}_{ij,k} = \\Gamma_{ij,k} - \\tfrac{\\alpha}{2} T_{ijk}$. Non-zero components with $i \\le j \\le k$:`),
        list.length ? eqs(list) : text('All components vanish.'),
      ],
    });
  }

  // 11. KL ------------------------------------------------------------------------------------
  {
    const dsym = (i: number) => `__d${i}`;
    const dsyms: Record<string, string> = { ...symbols };
    for (let i = 0; i < n; i++) dsyms[dsym(i)] = `{\\delta ${P[i]}}`;
    let q = nodes.num(0);
    for (let i = 0; i < n; i++) {
      for (let j = i; j < n; j++) {
        const gij = d.fisher[i][j];
        if (isZero(gij)) continue;
        const dd = i === j ? nodes.pow(nodes.sym(dsym(i)), nodes.num(2)) : nodes.mul(nodes.num(2), nodes.mul(nodes.sym(dsym(i)), nodes.sym(dsym(j))));
        q = nodes.add(q, nodes.mul(gij, dd));
      }
    }
    const half = nodes.mul(nodes.div(nodes.num(1), nodes.num(2)), q);
    const qtex = (e: MathNode) => printLatex(e, { symbols: dsyms });
    const quad: DocEquation = {
      lhs: `\\mathrm{KL}(p_\\theta \\,\\|\\, p_{\\theta + \\delta\\theta})`,
      rel: '=',
      rhs: `${qtex(half)} + O(\\|\\delta\\theta\\|^3)`,
      source: `0.5 * (${q.toString().replace(/__d(\d+)/g, (_, i) => `d${spec.params[Number(i)].name}`)})`,
    };
    const blocks: DocBlock[] = [
      text('Second-order expansion $\\mathrm{KL}(p_\\theta \\| p_{\\theta+\\delta\\theta}) = \\tfrac12 \\sum_{ij} g_{ij}(\\theta)\\, \\delta\\theta^i \\delta\\theta^j + O(\\|\\delta\\theta\\|^3)$:'),
      eqs([quad]),
    ];
    if (d.kl) {
      const klSyms: Record<string, string> = { ...symbols };
      d.kl.toSymbols.forEach((s, i) => (klSyms[s] = `{${P[i]}'}`));
      const primed = `\\theta' = (${P.map((p) => `{${p}'}`).join(', ')})`;
      blocks.push(text(`Exact closed form, with $${primed}$ the parameters of the second distribution (route: ${ROUTE_TEXT[d.routes.kl] ?? d.routes.kl ?? 'closed form'}):`));
      const terms = printLatexTerms(d.kl.expr, { symbols: klSyms });
      blocks.push(eqs([{ lhs: `\\mathrm{KL}(p_\\theta \\,\\|\\, p_{\\theta'})`, rhs: printLatex(d.kl.expr, { symbols: klSyms }), terms: terms.length > 1 ? terms : undefined, source: src(d.kl.expr) }]));
    } else {
      blocks.push(text('The exact divergence has no closed form here; `infogeo kl` evaluates $\\mathbb{E}_\\theta[\\ell(\\theta) - \\ell(\\theta\')]$ numerically.'));
    }
    sections.push({ id: 'kl', title: 'Kullback–Leibler divergence', blocks });
  }

  // Notes from the derive stage: prose of the steps that add information to a section above
  // (e.g. "derivatives hold almost everywhere", "Brioschi formula", the route of T); steps with
  // unknown titles are rendered in full in a last section.
  const ATTACH: [RegExp, string][] = [[/^score/i, 'score'], [/^scalar curvature/i, 'curvature'], [/^amari/i, 'amari-chentsov']];
  const COVERED = /^(density|score|second derivative|expectation|fisher information|inverse metric|christoffel|scalar curvature|amari|kullback)/i;
  const extra: DocBlock[] = [];
  for (const st of d.steps) {
    const hit = ATTACH.find(([re]) => re.test(st.title));
    if (hit) {
      const sec = sections.find((x) => x.id === hit[1]);
      if (sec && st.text?.trim() && !(hit[1] === 'curvature' && !d.scalarCurvature)) {
        (sec.blocks as DocBlock[]).splice(sec.id === 'curvature' ? 1 : 0, 0, text(st.text.trim()));
      }
      continue;
    }
    if (COVERED.test(st.title)) continue;
    extra.push(text(`**${st.title}.**${st.text ? ' ' + st.text : ''}`));
    if (st.equations?.length) {
      extra.push(eqs(st.equations.map((e) => {
        const r = e.rhs;
        if (Array.isArray(r) && r.length && Array.isArray(r[0])) return matrix(e.lhs, r as Expr[][]);
        if (Array.isArray(r)) return { lhs: e.lhs, rhs: `\\begin{pmatrix} ${(r as Expr[]).map(tex).join(' \\\\ ')} \\end{pmatrix}`, source: (r as Expr[]).map(src) };
        return scalar(e.lhs, r as Expr);
      })));
    }
  }
  if (extra.length) sections.push({ id: 'steps', title: 'Further steps recorded by the derivation', blocks: extra });

  return {
    family: spec.name,
    title: spec.title,
    params: spec.params.map((p) => ({ name: p.name, tex: p.tex, domain: p.domain })),
    routes: { ...d.routes },
    sections,
  };
}
